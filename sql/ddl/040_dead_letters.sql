-- Rejected input messages (also on the engagement-dlq topic), for accounting and for analysts
-- looking at client bugs. One row per input offset; a replay replaces, never adds.
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.DEAD_LETTERS).
CREATE TABLE IF NOT EXISTS engagement.dead_letters
(
    reason           String,
    detail           String,
    payload          Nullable(String),
    payload_encoding String,
    source_topic     String,
    source_partition Int32,
    source_offset    Int64
)
ENGINE = ReplacingMergeTree()
ORDER BY (source_topic, source_partition, source_offset)
