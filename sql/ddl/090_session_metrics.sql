-- Viewing sessions (seed 001 session analytics): event-time session windows keyed by session_id that
-- close after session.gap without events. One row per (session_id, session_start); a late event that
-- joins the session re-emits it with a higher version (read with FINAL). A late event that moves the
-- session's start earlier creates a row with the new start; the older row is superseded (the newest
-- session_end / version per session_id is current).
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.SESSION_METRICS).
CREATE TABLE IF NOT EXISTS engagement.session_metrics
(
    session_id        String,
    user_id           Nullable(String),
    session_start     DateTime,
    session_end       DateTime,
    duration_ms       Int64,
    version           UInt64,
    events            UInt64,
    views             UInt64,
    contents_viewed   UInt64,
    completions       UInt64,
    likes             Int64,
    comments          UInt64,
    shares            UInt64,
    saves             Int64,
    clicks            UInt64,
    watch_time_ms     UInt64,
    avg_watch_time_ms Float64,
    completion_rate   Float64,
    engagement_rate   Float64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(session_start)
ORDER BY (session_id, session_start)
