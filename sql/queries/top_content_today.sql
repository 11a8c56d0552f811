-- Top content of one day (UTC) by views, with the day window's scores.
-- Reads content_metrics FINAL so late updates (higher version) replace earlier rows.
-- param day Date: today()
-- param limit UInt32: 20
SELECT
    content_id,
    creator_id,
    views,
    unique_viewers,
    round(avg_watch_time_ms / 1000, 1) AS avg_watch_s,
    round(completion_rate, 1)          AS completion_pct,
    round(engagement_rate, 1)          AS engagement_pct,
    round(engagement_score, 1)         AS engagement_score,
    round(quality_score, 1)            AS quality_score
FROM engagement.content_metrics FINAL
WHERE grain = 'day' AND toDate(window_start) = {{day}}
ORDER BY views DESC, content_id
LIMIT {{limit}}
