-- The creator's typical retention band (content_retention.sql, issue 24) read every other content of
-- the creator from content_retention, which is sorted by content: one 8 192-row granule per content
-- for a few dozen rows that count, the heaviest read of a creator dashboard opening. The job now
-- writes each row's owner (the catalogue's creator; the events' first claim without a catalogue;
-- empty when unknown), and content_retention_by_creator holds the same rows sorted by creator, filled
-- by a materialized view, as the creator-first copies of 250.
ALTER TABLE engagement.content_retention
    ADD COLUMN creator_id String AFTER content_id;

-- Exactly the columns of content_retention (ClickHouseSchemaTest): its view inserts SELECT *.
-- A content whose owner changes within a window keeps the first owner's rows (the job keeps the
-- first owner it knew in a window, as for content_metrics).
CREATE TABLE IF NOT EXISTS engagement.content_retention_by_creator
(
    grain        String,
    window_start DateTime,
    window_end   DateTime,
    content_id   String,
    creator_id   String,
    version      UInt64,
    provisional  UInt8,
    exits        Array(UInt64),
    intro_plays  UInt64,
    intro_held   UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (grain, creator_id, window_start, content_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS engagement.content_retention_by_creator_mv
TO engagement.content_retention_by_creator
AS SELECT * FROM engagement.content_retention;

-- The rows written before the job wrote owners have none: they get the catalogue's owner here, once
-- (rows of content not in the catalogue stay out; ALL, not ANY: a current server's ANY INNER JOIN keeps
-- one row per key of the left side too; GLOBAL: on a cluster the catalogue is read once, on
-- the server running the migration, and sent to every shard).
INSERT INTO engagement.content_retention_by_creator
SELECT grain, window_start, window_end, content_id, owner, version, provisional, exits, intro_plays, intro_held
FROM engagement.content_retention
GLOBAL ALL INNER JOIN
(
    SELECT content_id, any(creator_id) AS owner
    FROM engagement.content_catalog FINAL
    WHERE deleted = 0 AND creator_id != ''
    GROUP BY content_id
) AS owners USING content_id;
