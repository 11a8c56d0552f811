-- What is trending now (seed 002): content rising over the last 24 h with views per hour at or above
-- the job's trending.min-views-per-hour, as of the latest closed hour, fastest first.
-- only_trending = 0 lists every rising content (to explore below the threshold).
-- param only_trending UInt8: 1
-- param limit UInt32: 20
SELECT
    content_id,
    creator_id,
    as_of,
    round(views_per_hour, 2)      AS views_per_hour,
    round(engagement_per_hour, 2) AS engagement_per_hour,
    round(shares_per_hour, 2)     AS shares_per_hour,
    views_last_24h,
    views_previous_24h,
    trend,
    trending,
    round(peak_views_per_hour, 2) AS peak_views_per_hour,
    peak_at
FROM engagement.content_velocity FINAL
WHERE as_of = (SELECT max(as_of) FROM engagement.content_velocity)
  AND trend = 'rising'
  AND trending >= {{only_trending}}
ORDER BY views_per_hour DESC, content_id
LIMIT {{limit}}
