-- Engagement broken down by one custom property (docs/events.md#custom-properties): per value of the
-- property over a time range, the views, viewers, completions, likes, shares and watch time of the
-- events that carry it; events without it are the row '(none)'. Any property, no schema change.
-- param property String: 'plan'
-- param from DateTime: now() - INTERVAL 1 DAY
-- param to DateTime: now()
-- param limit UInt32: 50
SELECT
    if(has(property_keys, {{property}}), property_values[indexOf(property_keys, {{property}})], '(none)') AS value,
    countIf(event_type = 'view_start') AS views,
    uniqExactIf(ifNull(concat('u:', user_id), concat('s:', session_id)), event_type = 'view_start') AS viewers,
    countIf(event_type = 'view_complete' OR (event_type = 'swipe_away' AND progress >= 1)) AS completions,
    countIf(event_type = 'like') AS likes,
    countIf(event_type = 'share') AS shares,
    sum(ifNull(watch_time_ms, 0)) AS watch_time_ms
FROM engagement.engagement_events FINAL
WHERE event_time >= {{from}} AND event_time < {{to}}
GROUP BY value
ORDER BY views DESC, value
LIMIT {{limit}}
