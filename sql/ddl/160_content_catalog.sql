-- The content catalogue as the job read it from the catalogue topic (docs/topics.md): who owns each
-- content, its duration and labels. One row per entry; the newest by `version` (the entry's Kafka
-- offset: a content id always lands in one partition of the compacted topic) wins under FINAL. A
-- deletion is a row with deleted = 1. The source of ownership for the HTTP service (never the
-- creator_id of event rows). Hashtags are space-separated (a tag with whitespace is refused).
-- Written by the job (io.engagement.pipeline.sink.ClickHouseOutputs.CONTENT_CATALOG).
CREATE TABLE IF NOT EXISTS engagement.content_catalog
(
    content_id      String,
    creator_id      String,
    duration_ms     Nullable(Int64),
    published_at_ms Nullable(Int64),
    category        String,
    hashtags        String,
    sound_id        String,
    deleted         UInt8,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY content_id;

-- Events whose creator_id contradicted the catalogue (counted under the catalogue's creator), and
-- events counted while the content was not in the catalogue (creator_id then empty). Rows written
-- before this migration, and by a job without a catalogue, read 0.
ALTER TABLE engagement.content_metrics
    ADD COLUMN creator_mismatches UInt64;

ALTER TABLE engagement.content_metrics
    ADD COLUMN uncatalogued_events UInt64
