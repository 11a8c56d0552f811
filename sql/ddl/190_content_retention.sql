-- Audience retention (docs/metrics.md#audience-retention): where the plays of a content that ended
-- in an hour ended, `exits[b + 1]` for b = 0 .. 19 the plays that ended in [5b %, 5(b+1) %) of the
-- content and `exits[21]` those played to the end, and the intro hold (`intro_held` of `intro_plays`
-- still playing at 30 s). Counts, so any range is the sum of its hours (sumForEach(exits)).
-- One row per (grain, content_id, window_start) and firing `version`, provisional rows (version 0)
-- while the hour is open, as content_metrics. Read with FINAL.
-- Written by the job (io.engagement.pipeline.sink.ClickHouseOutputs.CONTENT_RETENTION).
CREATE TABLE IF NOT EXISTS engagement.content_retention
(
    grain        String,
    window_start DateTime,
    window_end   DateTime,
    content_id   String,
    version      UInt64,
    provisional  UInt8,
    exits        Array(UInt64),
    intro_plays  UInt64,
    intro_held   UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (grain, content_id, window_start)
