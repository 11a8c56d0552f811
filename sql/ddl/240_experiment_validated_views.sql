-- Validated view starts of experiments (docs/metrics.md#experiments), with views.validation: on: one row
-- per view start of an event carrying an experiment that the view gates let through (counted = 1),
-- and one per retraction of such a view start when a late flag took it back (counted = -1), so
-- sum(counted) per user is the user's validated views. ReplacingMergeTree on the row's identity: a
-- replayed write is removed by merges and FINAL. Empty with views.validation: off.
-- Written by the job (io.engagement.pipeline.sink.ClickHouseOutputs.EXPERIMENT_VALIDATED_VIEWS).
CREATE TABLE IF NOT EXISTS engagement.experiment_validated_views
(
    experiment String,
    variant    String,
    event_id   String,
    user_id    Nullable(String),
    session_id String,
    event_time DateTime,
    counted    Int32
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (experiment, event_id, counted)
