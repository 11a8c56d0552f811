-- Experiments (docs/metrics.md#experiments): the experiment and variant an event says its user was in
-- (both or neither). Null before this migration and on events outside experiments.
-- Written by the job (io.engagement.pipeline.sink.ClickHouseOutputs.EVENTS).
ALTER TABLE engagement.engagement_events
    ADD COLUMN experiment Nullable(String);

ALTER TABLE engagement.engagement_events
    ADD COLUMN variant Nullable(String);
