-- When the row reached ClickHouse (within a second of the job reading the message): the time the
-- dead-letter retention counts from (deploy/retention.sh). Filled by the server, not written by the
-- sink. Rows written before this migration read the time the column was added.
ALTER TABLE engagement.dead_letters
    ADD COLUMN received_at DateTime DEFAULT now()
