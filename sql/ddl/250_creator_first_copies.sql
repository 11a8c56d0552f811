-- Creator-first copies for the creator dashboard (issue 24, 100 concurrent dashboard users). Every
-- creator route filters by creator_id, but content_metrics and content_country_metrics are sorted by
-- (grain, content_id, ...) and content_viewers_hourly by (content_id, hour, ...), so each such query
-- read every row of its range for all creators (about 0.4 s per creator card on a million hour rows).
-- These tables hold the same rows sorted by creator first, filled by materialized views on every
-- insert and once from the existing rows here; the creator queries read them and touch only that
-- creator's granules. The price is a second copy of the window rows (not of the raw events).
--
-- content_metrics_by_creator and content_country_metrics_by_creator have exactly their source's
-- columns (ClickHouseSchemaTest checks names, order and types): their views insert SELECT *, so a
-- migration adding a column to the source adds it to the copy first, in the same file.
CREATE TABLE IF NOT EXISTS engagement.content_metrics_by_creator
(
    grain                   String,
    window_start            DateTime,
    window_end              DateTime,
    content_id              String,
    creator_id              String,
    version                 UInt64,
    impressions             UInt64,
    views                   UInt64,
    unique_viewers          UInt64,
    unique_viewers_exact    UInt8,
    watch_time_ms           UInt64,
    avg_watch_time_ms       Float64,
    completions             UInt64,
    completion_rate         Float64,
    ended_over_75           UInt64,
    ended_over_50           UInt64,
    ended_over_25           UInt64,
    ended_under_25          UInt64,
    skips                   UInt64,
    rewatches               UInt64,
    rewatch_rate            Float64,
    likes                   Int64,
    comments                UInt64,
    shares                  UInt64,
    saves                   Int64,
    clicks                  UInt64,
    follows                 UInt64,
    unfollows               UInt64,
    not_interested          UInt64,
    reports                 UInt64,
    hides                   UInt64,
    engagement_rate         Float64,
    action_rate             Float64,
    engagement_score        Float64,
    retention_score         Float64,
    engagement_component    Float64,
    virality_score          Float64,
    watchability_score      Float64,
    quality_score           Float64,
    views_organic           UInt64,
    views_following         UInt64,
    views_profile           UInt64,
    views_hashtag           UInt64,
    views_search            UInt64,
    views_direct            UInt64,
    views_other_source      UInt64,
    views_mobile            UInt64,
    views_tablet            UInt64,
    views_desktop           UInt64,
    views_tv                UInt64,
    views_other_device      UInt64,
    views_ios               UInt64,
    views_android           UInt64,
    views_web               UInt64,
    views_other_platform    UInt64,
    median_watch_time_ms    Float64,
    swiped_away             UInt64,
    feed_views              UInt64,
    loop_plays              UInt64,
    creator_mismatches      UInt64,
    uncatalogued_events     UInt64,
    validated_views         UInt64,
    validated_completions   UInt64,
    validated_watch_time_ms UInt64,
    provisional             UInt8
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY (grain, toYYYYMM(window_start))
ORDER BY (grain, creator_id, window_start, content_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS engagement.content_metrics_by_creator_mv
TO engagement.content_metrics_by_creator
AS SELECT * FROM engagement.content_metrics;

-- The rows written before the view existed (a row inserted twice meanwhile is one row under FINAL:
-- same sorting key, same version).
INSERT INTO engagement.content_metrics_by_creator SELECT * FROM engagement.content_metrics;

-- Unique viewers per creator and hour, as content_viewers_hourly per content: uniq states merged at
-- query time over any range of hours.
CREATE TABLE IF NOT EXISTS engagement.creator_viewers_hourly
(
    creator_id String,
    hour       DateTime,
    viewers    AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (creator_id, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS engagement.creator_viewers_hourly_mv
TO engagement.creator_viewers_hourly
AS SELECT
    creator_id,
    toStartOfHour(event_time) AS hour,
    uniqState(if(isNull(user_id), concat('s:', session_id), concat('u:', assumeNotNull(user_id)))) AS viewers
FROM engagement.engagement_events
WHERE event_type = 'view_start'
GROUP BY creator_id, hour;

-- Backfilled from the per-content states (the same viewer keys), not from the raw events.
INSERT INTO engagement.creator_viewers_hourly
SELECT creator_id, hour, uniqMergeState(viewers) AS viewers
FROM engagement.content_viewers_hourly
GROUP BY creator_id, hour;

-- content_country_metrics likewise (the creator dashboard's countries card), with exactly its columns.
CREATE TABLE IF NOT EXISTS engagement.content_country_metrics_by_creator
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
    completion_rate Float64,
    provisional     UInt8
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (grain, creator_id, window_start, content_id, country);

CREATE MATERIALIZED VIEW IF NOT EXISTS engagement.content_country_metrics_by_creator_mv
TO engagement.content_country_metrics_by_creator
AS SELECT * FROM engagement.content_country_metrics;

INSERT INTO engagement.content_country_metrics_by_creator SELECT * FROM engagement.content_country_metrics;
