-- A creator's hourly, daily or weekly roll-ups as the job computed them (creator_metrics): content
-- count, views, unique viewers (merged in the job, exact for the window), watch time (total, average
-- per view, median per play), completion rate and the average of its contents' completion rates,
-- saves / shares / clicks, engagement and action rates, and the top content by engagement score.
-- A period still open reads its running value, `provisional` = 1 (docs/metrics.md#provisional-rows).
-- param creator_id String: 'creator-1'
-- param grain String: 'day'
-- param from DateTime: toStartOfDay(now()) - 30 * 86400
-- param to DateTime: now()
SELECT
    window_start,
    contents,
    views,
    unique_viewers,
    round(watch_time_ms / 1000, 1)         AS watch_s,
    round(avg_watch_time_ms / 1000, 1)     AS avg_watch_s,
    round(median_watch_time_ms / 1000, 1)  AS median_play_s,
    round(completion_rate, 1)              AS completion_pct,
    round(avg_completion_rate, 1)          AS avg_content_completion_pct,
    saves,
    shares,
    clicks,
    round(engagement_rate, 1)              AS engagement_pct,
    round(action_rate, 1)                  AS action_pct,
    top_content_id,
    round(top_content_engagement_score, 1) AS top_content_score,
    provisional
FROM engagement.creator_metrics FINAL
WHERE creator_id = {{creator_id}} AND grain = {{grain}} AND window_start >= {{from}} AND window_start < {{to}}
ORDER BY window_start
