-- Dead letters keep at most 64 Ki characters of the rejected message (48 KiB before base64), so the
-- dead-letter record stays below Kafka's record size limit; these columns say what was cut. The whole
-- message stays at source_topic / source_partition / source_offset. Rows written before this migration
-- read 0. Safe to apply again (ApplySchema ignores "column already exists").
ALTER TABLE engagement.dead_letters
    ADD COLUMN payload_bytes Int64,
    ADD COLUMN payload_truncated UInt8
