-- Country breakdown per content (seed 002 demographics.topCountries), for the hour, day and week
-- grains: one row per (grain, content_id, country, window_start) and firing `version`. Country is
-- the upper-cased code the client sent, or 'unknown'. Read with FINAL.
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.CONTENT_COUNTRY_METRICS).
CREATE TABLE IF NOT EXISTS engagement.content_country_metrics
(
    grain           String,
    window_start    DateTime,
    window_end      DateTime,
    content_id      String,
    creator_id      String,
    country         String,
    version         UInt64,
    views           UInt64,
    unique_viewers  UInt64,
    watch_time_ms   UInt64,
    completions     UInt64,
    completion_rate Float64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (grain, content_id, country, window_start)
