-- One content over a date range (seed 001 getVideoAnalytics): totals from the hour windows (the open
-- hour from its provisional row), unique viewers merged from the hourly uniq states (only up to the
-- content's newest hour row, the hours its views come from, and at most the views: the open hour's raw
-- events can be a provisional interval ahead of its row), and rates recomputed from the summed counters.
-- (Output names differ from the columns: 18.16 resolves an alias in WHERE and inside other aggregates.)
-- param content_id String: 'content-1'
-- param from DateTime: toStartOfDay(now()) - 7 * 86400
-- param to DateTime: now()
SELECT
    {{content_id}}                                                               AS content,
    sum(views)                                                                   AS total_views,
    least(sum(views),
          (SELECT uniqMerge(viewers) FROM engagement.content_viewers_hourly
           WHERE content_id = {{content_id}} AND hour >= {{from}} AND hour < {{to}}
             AND hour < (SELECT max(window_end) FROM engagement.content_metrics
                         WHERE grain = 'hour' AND content_id = {{content_id}}))) AS unique_viewers,
    round(sum(watch_time_ms) / 1000, 1)                                          AS total_watch_s,
    round(if(sum(views) = 0, 0, sum(watch_time_ms) / sum(views) / 1000), 1)      AS avg_watch_s,
    sum(completions)                                                             AS total_completions,
    round(if(sum(views) = 0, 0, 100 * sum(completions) / sum(views)), 1)         AS completion_pct,
    sum(saves)                                                                   AS total_saves,
    sum(shares)                                                                  AS total_shares,
    sum(clicks)                                                                  AS total_clicks,
    sum(skips)                                                                   AS total_skips,
    round(if(sum(views) = 0, 0, 100 * (sum(saves) + sum(shares) + sum(clicks)) / sum(views)), 1) AS action_pct
FROM engagement.content_metrics FINAL
WHERE grain = 'hour' AND content_id = {{content_id}} AND window_start >= {{from}} AND window_start < {{to}}
