-- Median watch time, swipe-aways, feed views and loop plays (seed 002 watchTime.median,
-- impressions.swipedAway / feedViews, rewatch.loopPlays), added after v1. Migrations: re-applying
-- reports "column already exists", which ApplySchema ignores. Older rows read 0 / NULL.
ALTER TABLE engagement.content_metrics
    ADD COLUMN median_watch_time_ms Float64,
    ADD COLUMN swiped_away UInt64,
    ADD COLUMN feed_views UInt64,
    ADD COLUMN loop_plays UInt64;

-- The play totals a client sends on the event that ends a play (docs/events.md).
ALTER TABLE engagement.engagement_events
    ADD COLUMN total_watch_time_ms Nullable(Int64),
    ADD COLUMN loop_count Nullable(Int64);
