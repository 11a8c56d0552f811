-- Validated views (docs/metrics.md): view starts that passed the view gates (no actor above a human
-- rate of view starts, not a repeat within views.repeat-span), and the completions and watch time of
-- plays whose end passed them. Rows written before this migration, and by a job with
-- views.validation: off, read 0.
ALTER TABLE engagement.content_metrics
    ADD COLUMN validated_views UInt64;

ALTER TABLE engagement.content_metrics
    ADD COLUMN validated_completions UInt64;

ALTER TABLE engagement.content_metrics
    ADD COLUMN validated_watch_time_ms UInt64;

ALTER TABLE engagement.creator_metrics
    ADD COLUMN validated_views UInt64;

ALTER TABLE engagement.creator_metrics
    ADD COLUMN validated_completions UInt64;

ALTER TABLE engagement.creator_metrics
    ADD COLUMN validated_watch_time_ms UInt64;

-- The app's install id when it sends one (an actor of the view gates). Null before this migration.
ALTER TABLE engagement.engagement_events
    ADD COLUMN device_id Nullable(String);

-- Actors a view gate flagged: one row per actor kind (session, device, user), actor and event-time
-- minute; `late` when a late event raised the flag after the minute's views had counted.
-- Written by the job (io.engagement.pipeline.sink.ClickHouseOutputs.SUSPECT_ACTORS).
CREATE TABLE IF NOT EXISTS engagement.suspect_actors
(
    actor_kind   String,
    actor_id     String,
    window_start DateTime,
    window_end   DateTime,
    reason       String,
    view_starts  UInt64,
    play_ends    UInt64,
    late         UInt8
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(window_start)
ORDER BY (actor_kind, actor_id, window_start)
