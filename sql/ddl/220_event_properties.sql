-- Custom properties of an event (docs/events.md#custom-properties): flattened, dotted keys sorted,
-- with each key's value as text at the same index. A key/value pair of arrays works the same on the
-- 18.16 server and current releases, and a new key needs no migration:
--   property_values[indexOf(property_keys, 'plan')]  -- '' where the event has no 'plan'
-- Rows written before this migration, and events without properties, hold empty arrays.
-- Written by the job (io.engagement.pipeline.sink.ClickHouseOutputs.EVENTS).
ALTER TABLE engagement.engagement_events
    ADD COLUMN property_keys Array(String);

ALTER TABLE engagement.engagement_events
    ADD COLUMN property_values Array(String);
