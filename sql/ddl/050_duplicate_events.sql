-- Client retries dropped by the job (an event id already seen within dedup.horizon), one row per
-- input offset, so every consumed message has exactly one outcome row (docs/guarantees.md).
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.DUPLICATES).
CREATE TABLE IF NOT EXISTS engagement.duplicate_events
(
    event_id         String,
    event_type       String,
    content_id       String,
    event_time       DateTime,
    source_topic     String,
    source_partition Int32,
    source_offset    Int64
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (source_topic, source_partition, source_offset)
