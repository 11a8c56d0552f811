-- This period against the previous one, per creator (seed 001 "period comparison", seed 000 weekly
-- aggregates): views, unique viewers, watch time, completion and engagement rates of one day or
-- week window of creator_metrics next to the window before it, and the change in views. A creator
-- active in only one of the two periods still shows (0 for the other; no change % without a
-- previous period). For days: grain 'day', this_start today(), previous_start today() - 1.
-- param grain String: 'week'
-- param this_start Date: toMonday(today())
-- param previous_start Date: toMonday(today()) - 7
-- param limit UInt32: 50
SELECT
    creator_id,
    sumIf(views, toDate(window_start) = {{this_start}})                               AS views_this,
    sumIf(views, toDate(window_start) = {{previous_start}})                           AS views_prev,
    if(views_prev = 0, NULL, round(100 * (toInt64(views_this) - toInt64(views_prev)) / views_prev, 1))  AS views_change_pct,
    sumIf(unique_viewers, toDate(window_start) = {{this_start}})                      AS uniques_this,
    sumIf(unique_viewers, toDate(window_start) = {{previous_start}})                  AS uniques_prev,
    round(sumIf(watch_time_ms, toDate(window_start) = {{this_start}}) / 1000, 1)      AS watch_s_this,
    round(sumIf(watch_time_ms, toDate(window_start) = {{previous_start}}) / 1000, 1)  AS watch_s_prev,
    round(sumIf(completion_rate, toDate(window_start) = {{this_start}}), 1)           AS completion_pct_this,
    round(sumIf(completion_rate, toDate(window_start) = {{previous_start}}), 1)       AS completion_pct_prev,
    round(sumIf(engagement_rate, toDate(window_start) = {{this_start}}), 1)           AS engagement_pct_this,
    round(sumIf(engagement_rate, toDate(window_start) = {{previous_start}}), 1)       AS engagement_pct_prev
FROM engagement.creator_metrics FINAL
WHERE grain = {{grain}} AND toDate(window_start) IN ({{this_start}}, {{previous_start}})
GROUP BY creator_id
ORDER BY views_this DESC, creator_id
LIMIT {{limit}}
