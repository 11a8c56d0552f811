-- The pipeline's input quality over a range (the admin dashboard): events accepted, too late for
-- their windows, client-retry duplicates and dead letters, with the dead-letter and late rates as a
-- percentage of all of them. Accepted, late and duplicate events count by event time, dead letters by
-- the time they reached ClickHouse (they may have no valid event time).
-- param from DateTime: toStartOfDay(now()) - 7 * 86400
-- param to DateTime: now()
SELECT
    accepted,
    too_late,
    duplicates,
    dead_lettered,
    round(if(accepted + too_late + duplicates + dead_lettered = 0, 0,
        100 * dead_lettered / (accepted + too_late + duplicates + dead_lettered)), 2)   AS dead_letter_pct,
    round(if(accepted + too_late + duplicates + dead_lettered = 0, 0,
        100 * too_late / (accepted + too_late + duplicates + dead_lettered)), 2)        AS late_pct
FROM
(
    SELECT
        (SELECT count() FROM engagement.engagement_events FINAL
            WHERE event_time >= {{from}} AND event_time < {{to}})                      AS accepted,
        (SELECT count() FROM engagement.late_events FINAL
            WHERE reason NOT LIKE 'window closed%' AND event_time >= {{from}} AND event_time < {{to}}) AS too_late,
        (SELECT count() FROM engagement.duplicate_events FINAL
            WHERE event_time >= {{from}} AND event_time < {{to}})                      AS duplicates,
        (SELECT count() FROM engagement.dead_letters FINAL
            WHERE received_at >= {{from}} AND received_at < {{to}})                     AS dead_lettered
)
