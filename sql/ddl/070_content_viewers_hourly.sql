-- Mergeable unique viewers: one uniq state per content and hour, built from engagement_events by the
-- materialized view in 071. uniqMerge over any set of hours (a day range, a week, a creator's
-- contents) gives correct uniques, unlike a sum of per-window unique_viewers. The viewer identity is
-- the job's (EngagementEvent.viewerKey): 'u:' + user_id, or 's:' + session_id for anonymous viewers.
-- A batch replayed after a restore inserts the same viewers again, which a union of sets ignores.
CREATE TABLE IF NOT EXISTS engagement.content_viewers_hourly
(
    content_id String,
    creator_id String,
    hour       DateTime,
    viewers    AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (content_id, hour, creator_id)
