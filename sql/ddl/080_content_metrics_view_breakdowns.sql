-- Views by source, device and platform (seed 002), added to content_metrics after v1. A migration:
-- ApplySchema ignores the "column already exists" answer, so this is safe to apply again. Rows
-- written before it read 0 in these columns.
ALTER TABLE engagement.content_metrics
    ADD COLUMN views_organic UInt64,
    ADD COLUMN views_following UInt64,
    ADD COLUMN views_profile UInt64,
    ADD COLUMN views_hashtag UInt64,
    ADD COLUMN views_search UInt64,
    ADD COLUMN views_direct UInt64,
    ADD COLUMN views_other_source UInt64,
    ADD COLUMN views_mobile UInt64,
    ADD COLUMN views_tablet UInt64,
    ADD COLUMN views_desktop UInt64,
    ADD COLUMN views_tv UInt64,
    ADD COLUMN views_other_device UInt64,
    ADD COLUMN views_ios UInt64,
    ADD COLUMN views_android UInt64,
    ADD COLUMN views_web UInt64,
    ADD COLUMN views_other_platform UInt64
