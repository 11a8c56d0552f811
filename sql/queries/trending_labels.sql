-- What is trending by hashtag, sound or category (the admin dashboard's trending labels, GET
-- /v1/trending/labels): the labels of the content catalogue whose contents together gained views over
-- the last 24 h against the 24 h before, as of the latest closed hour of content_velocity, fastest
-- first. A content counts under each of its hashtags; deleted and uncatalogued contents count nowhere.
-- (Output names differ from the columns: 18.16 resolves an alias in WHERE and inside other aggregates.)
-- param kind String: 'hashtag'
-- param limit UInt32: 20
SELECT
    label,
    count()                                                            AS content_count,
    sum(views_last_24h)                                                AS views_24h,
    sum(views_previous_24h)                                            AS views_previous_24h_total,
    round(sum(views_last_24h) / 24, 2)                                 AS label_views_per_hour,
    if(sum(views_previous_24h) = 0, NULL,
       round(100 * (sum(views_last_24h) - sum(views_previous_24h)) / sum(views_previous_24h), 1)) AS growth_pct
FROM
(
    SELECT content_id, views_last_24h, views_previous_24h
    FROM engagement.content_velocity FINAL
    WHERE as_of = (SELECT max(as_of) FROM engagement.content_velocity)
) AS velocity
ALL INNER JOIN
(
    SELECT content_id,
           arrayJoin(multiIf({{kind}} = 'hashtag', splitByChar(' ', hashtags),
                             {{kind}} = 'sound', [sound_id],
                             [category])) AS label
    FROM engagement.content_catalog FINAL
    WHERE deleted = 0
) AS labels USING content_id
WHERE label != ''
GROUP BY label
HAVING sum(views_last_24h) > sum(views_previous_24h)
ORDER BY label_views_per_hour DESC, label
LIMIT {{limit}}
