package io.engagement.pipeline.aggregate;

import java.time.Duration;
import java.util.Locale;

/**
 * The tumbling event-time window sizes the job computes. Weeks start on Monday 00:00 UTC: the epoch
 * (1970-01-01) was a Thursday, so week windows are offset by 4 days.
 */
public enum Grain {
    MINUTE(Duration.ofMinutes(1), Duration.ZERO),
    HOUR(Duration.ofHours(1), Duration.ZERO),
    DAY(Duration.ofDays(1), Duration.ZERO),
    WEEK(Duration.ofDays(7), Duration.ofDays(4));

    private final Duration size;
    private final Duration offset;

    Grain(Duration size, Duration offset) {
        this.size = size;
        this.offset = offset;
    }

    public Duration size() {
        return size;
    }

    public Duration offset() {
        return offset;
    }

    /** Lower-case name used in ClickHouse's {@code grain} column and on the feedback topic. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Start of the window of this grain that contains {@code timestampMs}. */
    public long windowStart(long timestampMs) {
        long sizeMs = size.toMillis();
        return timestampMs - Math.floorMod(timestampMs - offset.toMillis(), sizeMs);
    }
}
