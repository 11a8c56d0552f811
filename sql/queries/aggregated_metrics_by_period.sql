-- Platform-wide metrics of a period (seed 001 getAggregatedMetrics): views, unique viewers (merged),
-- watch time, sessions and their average duration, completion rate, engagements and engagement rate.
-- The open hour counts from its provisional row; unique viewers only up to the newest hour row and at
-- most the views (the open hour's raw events can be a provisional interval ahead of its row).
-- param from DateTime: toStartOfDay(now()) - 7 * 86400
-- param to DateTime: now()
SELECT
    sum(views)                                                                  AS total_views,
    least(sum(views),
          (SELECT uniqMerge(viewers) FROM engagement.content_viewers_hourly
           WHERE hour >= {{from}} AND hour < {{to}}
             AND hour < (SELECT max(window_end) FROM engagement.content_metrics
                         WHERE grain = 'hour')))                                AS unique_viewers,
    round(sum(watch_time_ms) / 1000, 1)                                         AS total_watch_s,
    (SELECT count() FROM engagement.session_metrics FINAL
     WHERE session_start >= {{from}} AND session_start < {{to}} AND superseded = 0) AS total_sessions,
    (SELECT round(avg(duration_ms) / 1000, 1) FROM engagement.session_metrics FINAL
     WHERE session_start >= {{from}} AND session_start < {{to}} AND superseded = 0) AS avg_session_s,
    round(if(sum(views) = 0, 0, 100 * sum(completions) / sum(views)), 1)        AS completion_pct,
    sum(likes) + sum(comments) + sum(shares)                                    AS engagements,
    round(if(sum(views) = 0, 0, 100 * (sum(likes) + sum(comments) + sum(shares)) / sum(views)), 1) AS engagement_pct
FROM engagement.content_metrics FINAL
WHERE grain = 'hour' AND window_start >= {{from}} AND window_start < {{to}}
