-- Velocity and trend per content as of the end of each hour (seed 002): views, engagements and
-- shares per hour over the last 24 h, the trend against the previous 24 h, the trending flag and the
-- peak velocity so far. One row per (content_id, as_of); a late update re-emits the same as_of with a
-- higher version, which replaces the row under FINAL.
-- Written by the job's JDBC sink (io.engagement.pipeline.sink.ClickHouseOutputs.CONTENT_VELOCITY).
CREATE TABLE IF NOT EXISTS engagement.content_velocity
(
    content_id           String,
    creator_id           String,
    as_of                DateTime,
    version              UInt64,
    views_last_24h       UInt64,
    views_previous_24h   UInt64,
    engagements_last_24h UInt64,
    shares_last_24h      UInt64,
    views_per_hour       Float64,
    engagement_per_hour  Float64,
    shares_per_hour      Float64,
    trend                String,
    trending             UInt8,
    peak_views_per_hour  Float64,
    peak_at              DateTime
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(as_of)
ORDER BY (content_id, as_of)
