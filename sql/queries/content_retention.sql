-- Audience retention of one content (seeds 001 and 003; YouTube Studio's retention graph): at each 5 %
-- of the content (position_pct 0 .. 100), the share of its plays still watching, from where the plays
-- that ended in the range's hours ended (content_retention, the open hour's running value included);
-- never rising along the curve. intro_hold_pct: of the plays whose position in time is known, the
-- share still playing at 30 s. The typical band: at each point, the quartiles of the same share over
-- the creator's other contents of similar length (catalogue duration within a factor of two of this
-- content's; all of the creator's contents when this one has no duration) with plays in the range.
-- Owner and duration from content_catalog. One row per point; no rows without plays.
-- (One JOIN per SELECT, nested: ClickHouse 18.16 supports no more.)
-- param content_id String: 'content-1'
-- param from DateTime: toStartOfDay(now()) - 28 * 86400
-- param to DateTime: now()
SELECT
    point * 5                          AS position_pct,
    round(100 * remaining / plays, 1)  AS still_watching_pct,
    plays,
    intro_hold_pct,
    round(100 * typical_p25, 1)        AS typical_p25_pct,
    round(100 * typical_median, 1)     AS typical_median_pct,
    round(100 * typical_p75, 1)        AS typical_p75_pct,
    typical_contents
FROM
(
    SELECT point_index - 1 AS point, remaining, plays, intro_hold_pct
    FROM
    (
        SELECT
            exit_counts,
            plays,
            intro_hold_pct,
            arrayMap(k -> arraySum(arraySlice(exit_counts, k)), arrayEnumerate(exit_counts)) AS remaining_at
        FROM
        (
            SELECT
                sumForEach(exits)                                         AS exit_counts,
                arraySum(sumForEach(exits))                               AS plays,
                if(sum(intro_plays) = 0, NULL, round(100 * sum(intro_held) / sum(intro_plays), 1)) AS intro_hold_pct
            FROM engagement.content_retention FINAL
            WHERE grain = 'hour' AND content_id = {{content_id}}
              AND window_start >= {{from}} AND window_start < {{to}}
        )
        WHERE plays > 0
    )
    ARRAY JOIN remaining_at AS remaining, arrayEnumerate(remaining_at) AS point_index
) AS own
ANY LEFT JOIN
(
    SELECT
        point_index - 1               AS point,
        quantileExact(0.25)(share)    AS typical_p25,
        quantileExact(0.5)(share)     AS typical_median,
        quantileExact(0.75)(share)    AS typical_p75,
        count()                       AS typical_contents
    FROM
    (
        SELECT content_id, arrayMap(k -> arraySum(arraySlice(counts, k)) / arraySum(counts), arrayEnumerate(counts)) AS curve
        FROM
        (
            SELECT content_id, sumForEach(exits) AS counts
            FROM engagement.content_retention FINAL
            WHERE grain = 'hour' AND window_start >= {{from}} AND window_start < {{to}}
              AND content_id != {{content_id}}
              AND content_id IN
              (
                  SELECT content_id FROM engagement.content_catalog FINAL
                  WHERE deleted = 0
                    AND creator_id = (SELECT any(creator_id) FROM engagement.content_catalog FINAL
                                      WHERE content_id = {{content_id}})
                    AND ((SELECT any(duration_ms) FROM engagement.content_catalog FINAL WHERE content_id = {{content_id}}) IS NULL
                         OR (duration_ms IS NOT NULL
                             AND duration_ms * 2 >= (SELECT any(duration_ms) FROM engagement.content_catalog FINAL WHERE content_id = {{content_id}})
                             AND duration_ms <= 2 * (SELECT any(duration_ms) FROM engagement.content_catalog FINAL WHERE content_id = {{content_id}})))
              )
            GROUP BY content_id
        )
        WHERE arraySum(counts) > 0
    )
    ARRAY JOIN curve AS share, arrayEnumerate(curve) AS point_index
    GROUP BY point_index
) AS typical USING (point)
ORDER BY position_pct
