-- Creator dashboard (seed 001 creator analytics) over any period of whole hours: content count,
-- views, unique viewers (merged from hourly uniq states, not summed), watch time, completion rate,
-- saves, shares, clicks, engagement rates, averages (views per content, watch time per view; seed 002
-- creator analytics) and the top content by views. The open hour counts from its provisional row
-- (docs/metrics.md#provisional-rows). Unique viewers count only the hours up to the creator's newest
-- hour row, the hours the views come from, and at most the views: the raw events of the open hour can
-- be up to one provisional interval ahead of its row, so the card never shows more viewers than views.
-- Rates are recomputed from summed counters. Uses hour windows, so any hour-aligned range works (a day, a week, 30 days).
-- Reads the creator-first copies (content_metrics_by_creator, creator_viewers_hourly: sql/ddl/250), so
-- it touches one creator's rows, not every content's of the range.
-- (One JOIN per SELECT, nested: ClickHouse 18.16 supports no more; every joined subquery has an
-- alias: current releases require one. The top content relies on groupArray keeping the order of its
-- ordered subquery, as ClickHouse does for one ordered stream.)
-- param creator_id String: 'creator-1'
-- param from DateTime: toStartOfDay(now()) - 30 * 86400
-- param to DateTime: now()
-- param top UInt32: 5
SELECT
    creator_id,
    contents,
    views,
    least(viewers_seen, views)                                                     AS unique_viewers,
    round(watch_time_ms / 1000, 1)                                                 AS watch_s,
    round(if(views = 0, 0, 100 * completions / views), 1)                          AS completion_pct,
    saves,
    shares,
    clicks,
    round(if(views = 0, 0, 100 * (likes + comments + shares) / views), 1)          AS engagement_pct,
    round(if(views = 0, 0, 100 * (saves + shares + clicks) / views), 1)            AS action_pct,
    round(if(contents = 0, 0, views / contents), 1)                                AS avg_views_per_content,
    round(if(views = 0, 0, watch_time_ms / views / 1000), 1)                       AS avg_watch_s_per_view,
    top_content
FROM
(
    SELECT *
    FROM
    (
        -- One read of the creator's hour rows: per content first (for the top content, in order),
        -- then the creator's totals over those sums.
        SELECT
            creator_id,
            count()                                                             AS contents,
            sum(content_views)                                                  AS views,
            sum(content_watch_time_ms)                                          AS watch_time_ms,
            sum(content_completions)                                            AS completions,
            sum(content_likes)                                                  AS likes,
            sum(content_comments)                                               AS comments,
            sum(content_saves)                                                  AS saves,
            sum(content_shares)                                                 AS shares,
            sum(content_clicks)                                                 AS clicks,
            groupArray({{top}})(concat(content_id, ':', toString(content_views))) AS top_content
        FROM
        (
            SELECT
                creator_id,
                content_id,
                sum(views)         AS content_views,
                sum(watch_time_ms) AS content_watch_time_ms,
                sum(completions)   AS content_completions,
                sum(likes)         AS content_likes,
                sum(comments)      AS content_comments,
                sum(saves)         AS content_saves,
                sum(shares)        AS content_shares,
                sum(clicks)        AS content_clicks
            FROM engagement.content_metrics_by_creator FINAL
            WHERE grain = 'hour' AND creator_id = {{creator_id}} AND window_start >= {{from}} AND window_start < {{to}}
            GROUP BY creator_id, content_id
            ORDER BY content_views DESC, content_id
        )
        GROUP BY creator_id
    ) AS totals
    ANY LEFT JOIN
    (
        SELECT creator_id, uniqMerge(viewers) AS viewers_seen
        FROM engagement.creator_viewers_hourly
        WHERE creator_id = {{creator_id}} AND hour >= {{from}} AND hour < {{to}}
          -- only hours with a window row (closed or provisional), as for the views
          AND hour < (SELECT max(window_end) FROM engagement.content_metrics_by_creator
                      WHERE grain = 'hour' AND creator_id = {{creator_id}})
        GROUP BY creator_id
    ) AS viewers USING (creator_id)
) AS with_viewers
