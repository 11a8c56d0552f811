package io.engagement.pipeline.session;

/**
 * One session of a session id that has not been purged yet: its window, its counters, and what has
 * been written for it (a Flink POJO, part of {@link SessionTracker}'s state).
 *
 * <p>The window spans first event .. last event + gap, as Flink's session windows do, so two sessions
 * merge when an event falls within the gap of both.
 */
public class OpenSession {
    /** Window start (the first event's time) and exclusive end (the last event's time + gap), epoch ms. */
    public long start;

    public long end;
    /** A row has been written under {@link #start} (the session fired with this start). */
    public boolean written;
    /**
     * Starts of rows written for sessions that were merged into this one: when this session fires,
     * each gets a retraction ({@link SessionMetrics#superseded}), since its row would otherwise stay
     * visible beside this session's row. Ascending; empty when there is nothing to retract.
     */
    public long[] retract = new long[0];

    public SessionAccumulator counters = new SessionAccumulator();

    public OpenSession() {}

    /** Flink's {@code TimeWindow.maxTimestamp()}: the window fires when the watermark reaches it. */
    long maxTimestamp() {
        return end - 1;
    }

    /** Windows that touch or overlap belong to one session (Flink's {@code TimeWindow.intersects}). */
    boolean intersects(long otherStart, long otherEnd) {
        return start <= otherEnd && end >= otherStart;
    }
}
