-- The creator's realtime card (YouTube Studio's "last 60 minutes"): views, watch time, engagements and
-- active contents per minute over the last `minutes` minutes, from the minute windows of content_metrics.
-- The open minute shows its running value (a provisional row, within window.provisional-interval of
-- the events, docs/metrics.md#provisional-rows) until its window closes about out-of-orderness (30 s)
-- after the minute's end; minutes without views have no row.
-- param creator_id String: 'creator-1'
-- param minutes UInt32: 60
SELECT
    window_start                                        AS minute,
    toUnixTimestamp(window_start)                       AS minute_epoch,
    sum(views)                                          AS minute_views,
    round(sum(watch_time_ms) / 1000, 1)                 AS minute_watch_s,
    sum(likes) + sum(comments) + sum(shares)            AS minute_engagements,
    uniqExact(content_id)                               AS active_contents
FROM engagement.content_metrics_by_creator FINAL
WHERE grain = 'minute'
  AND creator_id = {{creator_id}}
  AND window_start >= toStartOfMinute(now()) - {{minutes}} * 60
GROUP BY window_start
ORDER BY window_start
