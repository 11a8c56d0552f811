-- How a creator's plays ended and on which devices (the creator dashboard's completion buckets and
-- devices), over any range of whole hours: plays that completed, ended past 75 / 50 / 25 % or before
-- 25 % of the content (seed 002 completion buckets, the job's CompletionBucket), and views by device.
-- param creator_id String: 'creator-1'
-- param from DateTime: toStartOfDay(now()) - 30 * 86400
-- param to DateTime: now()
SELECT
    sum(views)              AS total_views,
    sum(completions)        AS completed,
    sum(ended_over_75)      AS over_75,
    sum(ended_over_50)      AS over_50,
    sum(ended_over_25)      AS over_25,
    sum(ended_under_25)     AS under_25,
    sum(views_mobile)       AS mobile,
    sum(views_tablet)       AS tablet,
    sum(views_desktop)      AS desktop,
    sum(views_tv)           AS tv,
    sum(views_other_device) AS other_device
FROM engagement.content_metrics_by_creator FINAL
WHERE grain = 'hour' AND creator_id = {{creator_id}} AND window_start >= {{from}} AND window_start < {{to}}
