-- Where a creator's views come from (the creator dashboard's countries): views per country over a
-- range of day windows of content_country_metrics, all the creator's content together, with each
-- country's share of the creator's views and its watch time.
-- param creator_id String: 'creator-1'
-- param from Date: today() - 30
-- param to Date: today()
-- param limit UInt32: 10
SELECT
    country,
    sum(views)                                                                         AS country_views,
    round(100 * country_views / (SELECT sum(views) FROM engagement.content_country_metrics_by_creator FINAL
        WHERE grain = 'day' AND creator_id = {{creator_id}}
          AND toDate(window_start) >= {{from}} AND toDate(window_start) <= {{to}}), 1)  AS share_pct,
    round(sum(watch_time_ms) / 1000, 1)                                                AS watch_s
FROM engagement.content_country_metrics_by_creator FINAL
WHERE grain = 'day' AND creator_id = {{creator_id}} AND toDate(window_start) >= {{from}} AND toDate(window_start) <= {{to}}
GROUP BY country
ORDER BY country_views DESC, country
LIMIT {{limit}}
