-- Typical performance (seed 002 vsCreatorAvg, vsPlatformAvg, ranking; YouTube's "typical" band): one
-- content's views, validated views, completion and engagement in its first age_hours hours, against the
-- creator's other recent contents at the same age (median and interquartile range) and against every
-- recent content on the platform (median), and its rank among the creator's recent contents by views.
-- A content's age counts from its first hour window; a recent content is one first seen within
-- recent_days, compared only once it is at least age_hours old (the content itself at any age: a younger
-- one is compared with what it has so far). Rates are percentages of the views; NULL without views.
-- (Output names differ from the columns: 18.16 resolves an alias in WHERE and inside other aggregates.
-- ALL, not ANY, INNER JOIN: the right side has one row per content, and current releases keep only one
-- left row per key in an ANY INNER JOIN.)
-- param content_id String: 'content-1'
-- param age_hours UInt32: 24
-- param recent_days UInt32: 90
SELECT
    {{content_id}}                                                                    AS content,
    anyIf(owner, content_id = {{content_id}})                                         AS creator,
    {{age_hours}}                                                                     AS at_age_hours,
    anyIf(views_at_age, content_id = {{content_id}})                                  AS content_views,
    quantileExactIf(0.25)(views_at_age, peer)                                         AS creator_p25_views,
    quantileExactIf(0.5)(views_at_age, peer)                                          AS creator_median_views,
    quantileExactIf(0.75)(views_at_age, peer)                                         AS creator_p75_views,
    countIf(peer)                                                                     AS creator_contents_compared,
    if(creator_median_views = 0, NULL,
       round(100 * (content_views - creator_median_views) / creator_median_views, 1))  AS vs_creator_pct,
    quantileExactIf(0.5)(views_at_age, old_enough)                                    AS platform_median_views,
    if(platform_median_views = 0, NULL,
       round(100 * (content_views - platform_median_views) / platform_median_views, 1)) AS vs_platform_pct,
    1 + arrayCount(v -> v > content_views, groupArrayIf(views_at_age, peer))          AS rank_among_creator,
    anyIf(validated_at_age, content_id = {{content_id}})                              AS content_validated_views,
    quantileExactIf(0.5)(validated_at_age, peer)                                      AS creator_median_validated_views,
    anyIf(completion_at_age, content_id = {{content_id}})                             AS content_completion_pct,
    quantileExactIf(0.5)(completion_at_age, peer AND views_at_age > 0)                AS creator_median_completion_pct,
    anyIf(engagement_at_age, content_id = {{content_id}})                             AS content_engagement_pct,
    quantileExactIf(0.5)(engagement_at_age, peer AND views_at_age > 0)                AS creator_median_engagement_pct
FROM
(
    SELECT
        content_id,
        owner,
        views_at_age,
        validated_at_age,
        if(views_at_age = 0, NULL, round(100 * completions_at_age / views_at_age, 1))  AS completion_at_age,
        if(views_at_age = 0, NULL, round(100 * engaged_at_age / views_at_age, 1))      AS engagement_at_age,
        first_start <= now() - {{age_hours}} * 3600
            AND first_start >= now() - {{recent_days}} * 86400                         AS old_enough,
        old_enough AND content_id != {{content_id}}
            AND owner = (SELECT any(creator_id) FROM engagement.content_metrics
                         WHERE grain = 'hour' AND content_id = {{content_id}})         AS peer
    FROM
    (
        SELECT
            content_id,
            any(creator_id)                                                            AS owner,
            first_start,
            sumIf(views, window_start < first_start + {{age_hours}} * 3600)            AS views_at_age,
            sumIf(validated_views, window_start < first_start + {{age_hours}} * 3600)  AS validated_at_age,
            sumIf(completions, window_start < first_start + {{age_hours}} * 3600)      AS completions_at_age,
            sumIf(likes + comments + shares, window_start < first_start + {{age_hours}} * 3600) AS engaged_at_age
        FROM engagement.content_metrics FINAL
        ALL INNER JOIN
        (
            SELECT content_id, min(window_start) AS first_start
            FROM engagement.content_metrics FINAL
            WHERE grain = 'hour'
            GROUP BY content_id
        ) AS firsts USING content_id
        WHERE grain = 'hour'
        GROUP BY content_id, first_start
    )
)
WHERE content_id = {{content_id}} OR old_enough
