-- Content with the highest completion rate on one day, among content with enough views to matter.
-- param day Date: today()
-- param min_views UInt32: 100
-- param limit UInt32: 20
SELECT
    content_id,
    creator_id,
    views,
    completions,
    round(completion_rate, 1)  AS completion_pct,
    ended_over_75,
    ended_over_50,
    ended_over_25,
    ended_under_25,
    round(quality_score, 1)    AS quality_score
FROM engagement.content_metrics FINAL
WHERE grain = 'day' AND toDate(window_start) = {{day}} AND views >= {{min_views}}
ORDER BY completion_rate DESC, views DESC, content_id
LIMIT {{limit}}
