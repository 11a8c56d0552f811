-- Viewing sessions (seed 001 session analytics) of one day, or of one user when user_id is given:
-- duration, contents viewed, completions, saves, shares, clicks, average watch time, engagement rate.
-- param day Date: today()
-- param user_id String: ''
-- param limit UInt32: 100
SELECT
    session_id,
    user_id,
    session_start,
    round(duration_ms / 1000, 1)      AS duration_s,
    views,
    contents_viewed,
    completions,
    saves,
    shares,
    clicks,
    round(avg_watch_time_ms / 1000, 1) AS avg_watch_s,
    round(engagement_rate, 1)          AS engagement_pct
FROM engagement.session_metrics FINAL
WHERE toDate(session_start) = {{day}}
  AND superseded = 0
  AND ({{user_id}} = '' OR user_id = {{user_id}})
ORDER BY session_start, session_id
LIMIT {{limit}}
