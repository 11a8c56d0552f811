-- Accepted (valid, deduplicated, not too late) events, one row per event.
-- ReplacingMergeTree on the event identity: if a restore from checkpoint replays a batch, the copy
-- has the same sorting key and is removed by background merges; `FINAL` removes it at query time.
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.EVENTS).
CREATE TABLE IF NOT EXISTS engagement.engagement_events
(
    event_id            String,
    event_type          String,
    content_id          String,
    creator_id          String,
    user_id             Nullable(String),
    session_id          String,
    event_time          DateTime,
    event_time_ms       Int64,
    watch_time_ms       Nullable(Int64),
    content_duration_ms Nullable(Int64),
    progress            Nullable(Float64),
    is_rewatch          Nullable(UInt8),
    source              Nullable(String),
    device              Nullable(String),
    platform            Nullable(String),
    country             Nullable(String),
    source_topic        String,
    source_partition    Int32,
    source_offset       Int64
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (content_id, event_time, event_id)
