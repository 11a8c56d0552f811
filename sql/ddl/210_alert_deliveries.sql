-- The service's alert delivery log (docs/api.md#alert-webhooks): one row per attempt to POST an alert
-- to its creator's webhook: `delivered` (2xx), `failed` (a network error, 5xx, 408 or 429; retried with
-- backoff), `gave_up` (the last attempt failed, or another 4xx). `http_status` 0 without an answer.
-- Written by the service (io.engagement.pipeline.service.AlertDelivery).
CREATE TABLE IF NOT EXISTS engagement.alert_deliveries
(
    alert_id    String,
    creator_id  String,
    attempt     UInt32,
    outcome     String,
    http_status Int32,
    error       String,
    at          DateTime
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (creator_id, alert_id, attempt)
