-- Accounting per input partition: every consumed offset has exactly one outcome row, so
-- accepted + duplicates + dead_lettered + too_late = accounted = distinct_offsets, and for a topic
-- read from its start with nothing deleted by retention, accounted = last_offset + 1 minus the
-- offsets taken by transaction markers and aborted transactions (none for non-transactional producers).
-- Too-late counts only events refused before windowing; 'window closed: <grain>' rows in late_events
-- belong to accepted events (see sql/ddl/030_late_events.sql) and are not a separate outcome.
SELECT
    source_topic,
    source_partition,
    sum(outcome = 'accepted')    AS accepted,
    sum(outcome = 'duplicate')   AS duplicates,
    sum(outcome = 'dead_letter') AS dead_lettered,
    sum(outcome = 'too_late')    AS too_late,
    count()                      AS accounted,
    uniqExact(source_offset)     AS distinct_offsets,
    min(source_offset)           AS first_offset,
    max(source_offset)           AS last_offset
FROM
(
    SELECT source_topic, source_partition, source_offset, 'accepted' AS outcome FROM engagement.engagement_events FINAL
    UNION ALL
    SELECT source_topic, source_partition, source_offset, 'duplicate' AS outcome FROM engagement.duplicate_events FINAL
    UNION ALL
    SELECT source_topic, source_partition, source_offset, 'dead_letter' AS outcome FROM engagement.dead_letters FINAL
    UNION ALL
    SELECT source_topic, source_partition, source_offset, 'too_late' AS outcome FROM engagement.late_events FINAL
    WHERE reason NOT LIKE 'window closed%'
)
GROUP BY source_topic, source_partition
ORDER BY source_topic, source_partition
