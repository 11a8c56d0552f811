-- Unique viewers of one content, or of all of a creator's content, over any time range, merged from
-- hourly uniq states (correct for any range, unlike summing per-window unique_viewers).
-- Pass content_id = '' to count a creator's audience across all their content.
-- param creator_id String: 'creator-1'
-- param content_id String: ''
-- param from DateTime: toStartOfDay(now()) - 7 * 86400
-- param to DateTime: now()
SELECT
    {{creator_id}}                 AS creator,
    if({{content_id}} = '', 'all content', {{content_id}}) AS content,
    uniqMerge(viewers)             AS unique_viewers,
    uniqExact(content_id)          AS contents,
    min(hour)                      AS first_hour,
    max(hour)                      AS last_hour
FROM engagement.content_viewers_hourly
WHERE creator_id = {{creator_id}}
  AND ({{content_id}} = '' OR content_id = {{content_id}})
  AND hour >= {{from}} AND hour < {{to}}
