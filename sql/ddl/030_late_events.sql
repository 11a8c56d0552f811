-- Events that arrived after their windows closed (older than the watermark minus the allowed
-- lateness): reason 'older than watermark minus allowed lateness'. They are in no window and not in
-- engagement_events; kept here with the reason. A second, defensive path writes reason
-- 'window closed: <grain>' for an accepted event that a window operator still found late (possible
-- only when an idle input resumes behind the watermark); that event is also in engagement_events.
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.LATE_EVENTS).
CREATE TABLE IF NOT EXISTS engagement.late_events
(
    event_id      String,
    event_type    String,
    content_id    String,
    creator_id    String,
    user_id       Nullable(String),
    session_id    String,
    event_time    DateTime,
    event_time_ms Int64,
    watch_time_ms Nullable(Int64),
    watermark_ms  Int64,
    reason        String,
    source_topic        String,
    source_partition    Int32,
    source_offset       Int64
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (content_id, event_time, event_id, reason)
