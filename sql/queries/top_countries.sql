-- Where a content's views come from (seed 002 demographics.topCountries): views per country over a
-- range of day windows of content_country_metrics, with each country's share of the content's views,
-- watch time and completion rate. Unique viewers are per window (not additive across days), so they
-- are left out; for one window read unique_viewers from the table directly.
-- param content_id String: 'content-1'
-- param from Date: today() - 30
-- param to Date: today()
-- param limit UInt32: 10
SELECT
    country,
    sum(views)                                                                         AS country_views,
    round(100 * country_views / (SELECT sum(views) FROM engagement.content_country_metrics FINAL
        WHERE grain = 'day' AND content_id = {{content_id}}
          AND toDate(window_start) >= {{from}} AND toDate(window_start) <= {{to}}), 1)  AS share_pct,
    round(sum(watch_time_ms) / 1000, 1)                                                AS watch_s,
    round(if(country_views = 0, 0, 100 * sum(completions) / country_views), 1)        AS completion_pct
FROM engagement.content_country_metrics FINAL
WHERE grain = 'day' AND content_id = {{content_id}} AND toDate(window_start) >= {{from}} AND toDate(window_start) <= {{to}}
GROUP BY country
ORDER BY country_views DESC, country
LIMIT {{limit}}
