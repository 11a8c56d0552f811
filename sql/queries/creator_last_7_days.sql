-- One creator's daily totals over the 7 days ending on end_day (from the per-content day windows).
-- Completion and engagement rates are recomputed from the summed counters, not averaged.
-- (The subquery keeps 18.16 from resolving the output aliases inside other aggregates.)
-- param creator_id String: 'creator-1'
-- param end_day Date: today()
SELECT
    day,
    contents,
    views,
    watch_s,
    completions,
    round(if(views = 0, 0, 100 * completions / views), 1)                       AS completion_pct,
    likes,
    shares,
    saves,
    round(if(views = 0, 0, 100 * (likes + comments + shares) / views), 1)       AS engagement_pct
FROM
(
    SELECT
        toDate(window_start)                AS day,
        uniqExact(content_id)               AS contents,
        sum(views)                          AS views,
        round(sum(watch_time_ms) / 1000, 1) AS watch_s,
        sum(completions)                    AS completions,
        sum(likes)                          AS likes,
        sum(comments)                       AS comments,
        sum(shares)                         AS shares,
        sum(saves)                          AS saves
    FROM engagement.content_metrics_by_creator FINAL
    WHERE grain = 'day'
      AND creator_id = {{creator_id}}
      AND toDate(window_start) BETWEEN {{end_day}} - 6 AND {{end_day}}
    GROUP BY day
)
ORDER BY day
