-- Feeds content_viewers_hourly from every insert into engagement_events (view_start events only).
-- Rows inserted before this view existed are not backfilled; to backfill, run the same SELECT as an
-- INSERT INTO engagement.content_viewers_hourly for the missing period.
CREATE MATERIALIZED VIEW IF NOT EXISTS engagement.content_viewers_hourly_mv
TO engagement.content_viewers_hourly
AS SELECT
    content_id,
    creator_id,
    toStartOfHour(event_time) AS hour,
    uniqState(if(isNull(user_id), concat('s:', session_id), concat('u:', assumeNotNull(user_id)))) AS viewers
FROM engagement.engagement_events
WHERE event_type = 'view_start'
GROUP BY content_id, creator_id, hour
