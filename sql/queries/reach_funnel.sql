-- Reach of one content, or of all of a creator's contents, over any range of whole hours (the creator
-- dashboard's reach card, GET /v1/content/{id}/reach and /v1/creators/{id}/reach): how often a feed
-- impression became a view (click-through: feed views per impression, seed 002 impressions.feedViews),
-- the funnel impression -> view -> completion -> like -> follow, and views by traffic source. Counts
-- are events, not people; a rate whose base is 0 is NULL (no impressions reported: no click-through).
-- Give content_id for one content, or an empty content_id and a creator_id for the creator's contents.
-- param content_id String: ''
-- param creator_id String: 'creator-1'
-- param from DateTime: toStartOfDay(now()) - 7 * 86400
-- param to DateTime: now()
SELECT
    sum(impressions)                                                                         AS impression_count,
    sum(views)                                                                               AS view_count,
    sum(feed_views)                                                                          AS feed_view_count,
    if(sum(impressions) = 0, NULL, round(100 * sum(feed_views) / sum(impressions), 1))       AS click_through_pct,
    sum(completions)                                                                         AS completion_count,
    if(sum(views) = 0, NULL, round(100 * sum(completions) / sum(views), 1))                  AS completed_pct_of_views,
    sum(likes)                                                                               AS like_count,
    if(sum(views) = 0, NULL, round(100 * sum(likes) / sum(views), 1))                        AS liked_pct_of_views,
    sum(follows)                                                                             AS follow_count,
    if(sum(views) = 0, NULL, round(100 * sum(follows) / sum(views), 1))                      AS followed_pct_of_views,
    sum(views_organic)                                                                       AS from_for_you,
    sum(views_following)                                                                     AS from_following,
    sum(views_profile)                                                                       AS from_profile,
    sum(views_hashtag)                                                                       AS from_hashtag,
    sum(views_search)                                                                        AS from_search,
    sum(views_direct)                                                                        AS from_direct,
    sum(views_other_source)                                                                  AS from_other
FROM
(
    -- One content: its rows in the content-first table; a creator's contents (content_id ''): the
    -- creator-first copy (sql/ddl/250). Each branch reads only its own key's rows.
    SELECT impressions, views, feed_views, completions, likes, follows, views_organic, views_following,
           views_profile, views_hashtag, views_search, views_direct, views_other_source
    FROM engagement.content_metrics FINAL
    WHERE grain = 'hour' AND content_id = {{content_id}}
      AND window_start >= {{from}} AND window_start < {{to}}
    UNION ALL
    SELECT impressions, views, feed_views, completions, likes, follows, views_organic, views_following,
           views_profile, views_hashtag, views_search, views_direct, views_other_source
    FROM engagement.content_metrics_by_creator FINAL
    WHERE {{content_id}} = '' AND grain = 'hour' AND creator_id = {{creator_id}}
      AND window_start >= {{from}} AND window_start < {{to}}
) AS hour_rows
