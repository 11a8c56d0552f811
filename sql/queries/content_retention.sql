-- Audience retention of one content (seeds 001 and 003; YouTube Studio's retention graph): at each 5 %
-- of the content (position_pct 0 .. 100), the share of its plays still watching, from where the plays
-- that ended in the range's hours ended (content_retention, the open hour's running value included);
-- never rising along the curve. intro_hold_pct: of the plays whose position in time is known, the
-- share still playing at 30 s. The typical band: at each point, the quartiles of the same share over
-- the creator's other contents of similar length (catalogue duration within a factor of two of this
-- content's; all of the creator's contents when this one has no duration) with plays in the range.
-- Owner and duration from content_catalog; the creator's rows from content_retention_by_creator (the
-- same rows sorted by creator: only that creator's granules are read). One row per point; no rows
-- without plays.
-- (One JOIN per SELECT, nested: ClickHouse 18.16 supports no more. The catalogue is read through IN
-- sets and an ALL JOIN with the content's own entry (one row; a current server's ANY INNER JOIN would
-- keep one entry per creator) rather than scalar subqueries: 18.16 evaluates a scalar subquery again each time it
-- analyses a nested query, which cost this query more than its reads; 50 -> 21 ms, docs/benchmarks.md.)
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
    SELECT
        point_index - 1 AS point,
        remaining,
        arraySum(exit_counts) AS plays,
        if(intro_plays = 0, NULL, round(100 * intro_held / intro_plays, 1)) AS intro_hold_pct
    FROM
    (
        SELECT sumForEach(exits) AS exit_counts, sum(intro_plays) AS intro_plays, sum(intro_held) AS intro_held
        FROM engagement.content_retention FINAL
        WHERE grain = 'hour' AND content_id = {{content_id}}
          AND window_start >= {{from}} AND window_start < {{to}}
        HAVING arraySum(exit_counts) > 0
    )
    ARRAY JOIN
        arrayMap(k -> arraySum(arraySlice(exit_counts, k)), arrayEnumerate(exit_counts)) AS remaining,
        arrayEnumerate(exit_counts) AS point_index
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
        SELECT sumForEach(exits) AS counts
        FROM engagement.content_retention_by_creator FINAL
        WHERE grain = 'hour'
          AND creator_id IN (SELECT creator_id FROM engagement.content_catalog FINAL WHERE content_id = {{content_id}})
          AND window_start >= {{from}} AND window_start < {{to}}
          AND content_id != {{content_id}}
          AND content_id IN
          (
              SELECT content_id
              FROM
              (
                  SELECT content_id, creator_id, duration_ms
                  FROM engagement.content_catalog FINAL
                  WHERE deleted = 0
              ) AS entries
              ALL INNER JOIN
              (
                  SELECT creator_id, duration_ms AS this_duration_ms
                  FROM engagement.content_catalog FINAL
                  WHERE content_id = {{content_id}}
              ) AS this_entry USING (creator_id)
              WHERE isNull(this_duration_ms)
                 OR (duration_ms IS NOT NULL AND duration_ms * 2 >= this_duration_ms AND duration_ms <= 2 * this_duration_ms)
          )
        GROUP BY content_id
        HAVING arraySum(counts) > 0
    )
    ARRAY JOIN
        arrayMap(k -> arraySum(arraySlice(counts, k)) / arraySum(counts), arrayEnumerate(counts)) AS share,
        arrayEnumerate(counts) AS point_index
    GROUP BY point_index
) AS typical USING (point)
ORDER BY position_pct
