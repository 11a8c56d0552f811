-- Top performing content over a date range (seed 002 getTopPerforming): ranked by quality score,
-- averaged over the content's day windows weighted by their views, among content with enough views.
-- param from Date: today() - 7
-- param to Date: today()
-- param min_views UInt32: 100
-- param limit UInt32: 20
SELECT
    content_id,
    creator_id,
    sum(views)                                                       AS total_views,
    round(sum(quality_score * views) / sum(views), 1)                AS weighted_quality_score,
    round(sum(engagement_score * views) / sum(views), 1)             AS weighted_engagement_score,
    round(100 * sum(completions) / sum(views), 1)                    AS completion_pct
FROM engagement.content_metrics FINAL
WHERE grain = 'day' AND toDate(window_start) >= {{from}} AND toDate(window_start) <= {{to}}
GROUP BY content_id, creator_id
HAVING sum(views) >= {{min_views}}
ORDER BY weighted_quality_score DESC, total_views DESC, content_id
LIMIT {{limit}}
