-- Per-content window metrics, one row per (grain, content_id, window_start) and firing `version`.
-- ReplacingMergeTree(version) keeps the newest firing (late updates) and collapses replays of the
-- same firing, so a restore never double counts. Read with FINAL (or argMax by version).
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.CONTENT_METRICS).
CREATE TABLE IF NOT EXISTS engagement.content_metrics
(
    grain                String,
    window_start         DateTime,
    window_end           DateTime,
    content_id           String,
    creator_id           String,
    version              UInt64,
    impressions          UInt64,
    views                UInt64,
    unique_viewers       UInt64,
    unique_viewers_exact UInt8,
    watch_time_ms        UInt64,
    avg_watch_time_ms    Float64,
    completions          UInt64,
    completion_rate      Float64,
    ended_over_75        UInt64,
    ended_over_50        UInt64,
    ended_over_25        UInt64,
    ended_under_25       UInt64,
    skips                UInt64,
    rewatches            UInt64,
    rewatch_rate         Float64,
    likes                Int64,
    comments             UInt64,
    shares               UInt64,
    saves                Int64,
    clicks               UInt64,
    follows              UInt64,
    unfollows            UInt64,
    not_interested       UInt64,
    reports              UInt64,
    hides                UInt64,
    engagement_rate      Float64,
    action_rate          Float64,
    engagement_score     Float64,
    retention_score      Float64,
    engagement_component Float64,
    virality_score       Float64,
    watchability_score   Float64,
    quality_score        Float64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY (grain, toYYYYMM(window_start))
ORDER BY (grain, content_id, window_start)
