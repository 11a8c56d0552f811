-- A creator's alerts, newest first (docs/metrics.md#creator-alerts): content spikes and drops against
-- the content's typical minute, days far off the creator's typical day, as the job raised them
-- (creator_alerts, one row per alert id); ratio: observed / typical views.
-- param creator_id String: 'creator-1'
-- param from DateTime: now() - 7 * 86400
-- param to DateTime: now()
-- param limit UInt32: 50
SELECT
    alert_id,
    kind,
    content_id,
    window_start,
    window_end,
    observed_views,
    round(typical_views, 1)                                        AS typical_views,
    round(observed_views / greatest(typical_views, 0.1), 2)        AS ratio,
    raised_at
FROM engagement.creator_alerts FINAL
WHERE creator_id = {{creator_id}}
  AND window_end > {{from}} AND window_end <= {{to}}
ORDER BY window_end DESC, alert_id
LIMIT {{limit}}
