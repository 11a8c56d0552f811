package io.engagement.pipeline.event;

import java.util.Locale;

/** Why a message went to the dead-letter topic. Each reason has its own Flink counter. */
public enum RejectReason {
    MALFORMED_JSON,
    /** More bytes than validation.max-message-bytes; rejected before parsing. */
    MESSAGE_TOO_LARGE,
    MISSING_FIELD,
    UNKNOWN_EVENT_TYPE,
    INVALID_FIELD,
    INVALID_WATCH_TIME,
    FUTURE_EVENT_TIME,
    STALE_EVENT_TIME,
    /** A content catalogue entry the job cannot use (docs/topics.md, content catalogue). */
    INVALID_CATALOG_ENTRY,
    /** A message of the erasures topic that is not an erasure request (docs/topics.md, erasures). */
    INVALID_ERASURE_REQUEST,
    /** A row ClickHouse refused for its data (the job's own output; docs/clickhouse.md, "When an insert fails"). */
    SINK_REJECTED;

    /** Name used in the DLQ JSON and as the metric name suffix, e.g. {@code malformed_json}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
