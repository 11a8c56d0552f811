-- A creator's content list (seed 002 GET creator/content): each content's totals over a range of day
-- windows, sorted by the most recent window ('recent'), views ('views'), engagement score
-- ('engagement') or quality score ('quality'), one page at a time (offset, limit). Scores over several
-- days are views-weighted averages of the day windows' scores; rates are recomputed from summed counters.
-- param creator_id String: 'creator-1'
-- param from Date: today() - 30
-- param to Date: today()
-- param sort String: 'recent'
-- param offset UInt32: 0
-- param limit UInt32: 20
SELECT
    content_id,
    max(window_start)                                                                      AS last_window_start,
    sum(views)                                                                             AS total_views,
    round(sum(watch_time_ms) / 1000, 1)                                                    AS watch_s,
    round(if(total_views = 0, 0, 100 * sum(completions) / total_views), 1)                 AS completion_pct,
    round(if(total_views = 0, 0, 100 * (sum(likes) + sum(comments) + sum(shares)) / total_views), 1) AS engagement_pct,
    round(if(total_views = 0, 0, sum(engagement_score * views) / total_views), 1)          AS avg_engagement_score,
    round(if(total_views = 0, 0, sum(quality_score * views) / total_views), 1)             AS avg_quality_score
FROM engagement.content_metrics_by_creator FINAL
WHERE grain = 'day' AND creator_id = {{creator_id}} AND toDate(window_start) >= {{from}} AND toDate(window_start) <= {{to}}
GROUP BY content_id
ORDER BY multiIf({{sort}} = 'views', toFloat64(total_views),
                 {{sort}} = 'engagement', avg_engagement_score,
                 {{sort}} = 'quality', avg_quality_score,
                 toFloat64(toUInt32(last_window_start))) DESC,
         content_id
LIMIT {{offset}}, {{limit}}
