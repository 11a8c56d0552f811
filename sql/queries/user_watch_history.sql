-- A user's watch history (seed 002 getUserWatchHistory) from the raw events: per content, when it was
-- first and last watched, plays, watch time, furthest progress and whether it was watched to the end.
-- param user_id String: 'user-1'
-- param since DateTime: now() - 30 * 86400
-- param limit UInt32: 50
SELECT
    content_id,
    creator_id,
    min(event_time)                                        AS first_event,
    max(event_time)                                        AS last_event,
    countIf(event_type = 'view_start')                     AS plays,
    round(sum(ifNull(watch_time_ms, 0)) / 1000, 1)         AS watch_s,
    max(ifNull(progress, 0))                               AS max_progress,
    countIf(event_type = 'view_complete') > 0 OR max(ifNull(progress, 0)) >= 1 AS completed
FROM engagement.engagement_events FINAL
WHERE user_id = {{user_id}} AND event_time >= {{since}}
GROUP BY content_id, creator_id
ORDER BY last_event DESC, content_id
LIMIT {{limit}}
