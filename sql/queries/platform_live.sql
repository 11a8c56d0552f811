-- Live platform throughput (the admin view's first chart): per minute of the last `minutes` minutes,
-- the events the job accepted (by event time, each event once: uniqExact over event_id, so a batch a
-- restore wrote twice counts once) and the messages it dead-lettered (by arrival), with the seconds
-- since the newest accepted event and since the end of the newest minute window (how far behind the
-- pipeline is: about out-of-orderness + a minute while it keeps up).
-- param minutes UInt32: 60
SELECT
    minute_epoch,
    accepted,
    dead_letters,
    (SELECT toInt64(toUInt32(now())) - toInt64(toUInt32(max(event_time))) FROM engagement.engagement_events
     WHERE event_time >= now() - 86400)                                          AS seconds_since_newest_event,
    (SELECT toInt64(toUInt32(now())) - toInt64(toUInt32(max(window_end))) FROM engagement.content_metrics
     WHERE grain = 'minute' AND provisional = 0 AND window_start >= now() - 86400) AS seconds_since_newest_closed_minute
FROM
(
    SELECT minute_epoch, uniqExactIf(event_id, dead = 0) AS accepted, sum(dead) AS dead_letters
    FROM
    (
        SELECT toUnixTimestamp(toStartOfMinute(event_time)) AS minute_epoch, event_id, 0 AS dead
        FROM engagement.engagement_events
        WHERE event_time >= toStartOfMinute(now()) - {{minutes}} * 60
        UNION ALL
        SELECT toUnixTimestamp(toStartOfMinute(received_at)) AS minute_epoch, '' AS event_id, 1 AS dead
        FROM engagement.dead_letters
        WHERE received_at >= toStartOfMinute(now()) - {{minutes}} * 60
    )
    GROUP BY minute_epoch
) AS per_minute
ORDER BY minute_epoch
