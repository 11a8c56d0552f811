-- Creator alerts (docs/metrics.md#creator-alerts): a content's minute far above its typical minute
-- (spike), its last 10 minutes far below their typical total (drop), a creator's day far off its
-- typical day (day_high, day_low). Raised in the stream as the minute or day closes; the same alerts
-- are on the alerts topic, which the service delivers to creators' webhooks.
-- `alert_id` is derived from what raised it, so a replay after a restore writes the same id again:
-- one row per alert after merges (read with FINAL).
-- Written by the job (io.engagement.pipeline.sink.ClickHouseOutputs.CREATOR_ALERTS).
CREATE TABLE IF NOT EXISTS engagement.creator_alerts
(
    alert_id       String,
    kind           String,
    creator_id     String,
    content_id     String,
    window_start   DateTime,
    window_end     DateTime,
    observed_views UInt64,
    typical_views  Float64,
    raised_at      DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(window_end)
ORDER BY (creator_id, alert_id)
