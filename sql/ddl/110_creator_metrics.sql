-- Per-creator window roll-ups (seed 001 creator analytics), one row per (grain, creator_id,
-- window_start) and firing `version`, for the hour, day and week grains. Built in the job from the
-- newest firing of each of the creator's content windows: unique viewers and the median watch time
-- are merged from the contents' sketches, not summed. Read with FINAL, like content_metrics.
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.CREATOR_METRICS).
CREATE TABLE IF NOT EXISTS engagement.creator_metrics
(
    grain                        String,
    window_start                 DateTime,
    window_end                   DateTime,
    creator_id                   String,
    version                      UInt64,
    contents                     UInt64,
    impressions                  UInt64,
    views                        UInt64,
    unique_viewers               UInt64,
    unique_viewers_exact         UInt8,
    watch_time_ms                UInt64,
    avg_watch_time_ms            Float64,
    median_watch_time_ms         Float64,
    completions                  UInt64,
    completion_rate              Float64,
    avg_completion_rate          Float64,
    likes                        Int64,
    comments                     UInt64,
    shares                       UInt64,
    saves                        Int64,
    clicks                       UInt64,
    follows                      UInt64,
    skips                        UInt64,
    engagement_rate              Float64,
    action_rate                  Float64,
    engagement_score             Float64,
    top_content_id               String,
    top_content_views            UInt64,
    top_content_engagement_score Float64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (grain, creator_id, window_start)
