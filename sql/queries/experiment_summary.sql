-- One experiment's variants (docs/metrics.md#experiments): per variant, the users exposed (any event
-- carrying the experiment and that variant) and, per metric, the sum over users of each user's value
-- and of its square: what the always-valid intervals of GET /v1/experiments/{experiment} need. A user
-- is a signed-in user, else a session. Users seen in more than one variant are counted in the row
-- '(several)', and in no variant. Validated views come from experiment_validated_views (the view
-- gates' verdicts; 0 with views.validation: off).
-- (One JOIN per SELECT, nested, as ClickHouse 18.16 needs.)
-- param experiment String: 'experiment-1'
-- param from DateTime: now() - INTERVAL 30 DAY
-- param to DateTime: now()
SELECT
    variant,
    count() AS users,
    sum(user_views) AS views,
    sum(user_views * user_views) AS views_sq,
    sum(user_validated_views) AS validated_views,
    sum(user_validated_views * user_validated_views) AS validated_views_sq,
    sum(user_watch_time_ms) AS watch_time_ms,
    sum(toFloat64(user_watch_time_ms) * user_watch_time_ms) AS watch_time_ms_sq,
    sum(user_completions) AS completions,
    sum(user_completions * user_completions) AS completions_sq,
    sum(user_engagements) AS engagements,
    sum(user_engagements * user_engagements) AS engagements_sq
FROM
(
    SELECT *
    FROM
    (
        SELECT
            ifNull(concat('u:', user_id), concat('s:', session_id)) AS viewer,
            if(uniqExact(variant) = 1, ifNull(any(variant), ''), '(several)') AS variant,
            countIf(event_type = 'view_start') AS user_views,
            sum(ifNull(watch_time_ms, 0)) AS user_watch_time_ms,
            countIf(event_type = 'view_complete' OR (event_type = 'swipe_away' AND progress >= 1)) AS user_completions,
            countIf(event_type IN ('like', 'comment', 'share', 'save')) AS user_engagements
        FROM engagement.engagement_events FINAL
        WHERE experiment = {{experiment}} AND event_time >= {{from}} AND event_time < {{to}}
        GROUP BY viewer
    ) AS per_viewer
    ANY LEFT JOIN
    (
        SELECT
            ifNull(concat('u:', user_id), concat('s:', session_id)) AS viewer,
            sum(counted) AS user_validated_views
        FROM engagement.experiment_validated_views FINAL
        WHERE experiment = {{experiment}} AND event_time >= {{from}} AND event_time < {{to}}
        GROUP BY viewer
    ) AS validated USING (viewer)
) AS joined
GROUP BY variant
ORDER BY variant
