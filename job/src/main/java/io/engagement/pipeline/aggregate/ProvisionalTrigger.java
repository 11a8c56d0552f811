package io.engagement.pipeline.aggregate;

import java.time.Duration;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Flink's event-time trigger (fire when the watermark passes the window's end, and again for each
 * late element within the allowed lateness) plus provisional firings of a live window: while the
 * watermark has not reached the window's end, a window that received something fires at the next
 * multiple of {@code interval} in processing time, so an hour, day or week shows its running value
 * within seconds instead of after it closes. The window function tells the two apart by the
 * watermark ({@link #isProvisional}); a provisional firing does not count as a version
 * ({@link WindowFirings}), so the final row always replaces every provisional one.
 *
 * <p>Only live input makes a window fire provisionally: an element whose timestamp (a partial's is the end
 * of the newest minute it folded: {@link WindowPreAggregator}) is no older, in
 * wall-clock time, than the out-of-orderness bound plus one interval. A backlog of older events (a
 * replay, a catch-up after an outage) closes its windows on the watermark soon enough, and provisional
 * rows for them would be work nobody reads, also for the day and week still open around them.
 *
 * <p>The processing-time timers are aligned to multiples of the interval, so registering one per
 * element adds no timer: Flink keeps one timer per key, window and timestamp. No trigger state is
 * kept. A timer left after the window is purged fires once, finds no window contents and does nothing.
 *
 * <p>{@link #spreadBy} shifts each key's multiples by a phase drawn from its key (a hash, the same on
 * every run), so the keys' provisional firings spread over the interval instead of all coming at the
 * same wall-clock instant: with every content's minute firing at once, the hour, day and week of
 * every active content fired in one burst every interval, and a checkpoint barrier that met it waited
 * seconds behind it (docs/benchmarks.md). Each key still fires at most once per interval.
 */
public final class ProvisionalTrigger extends Trigger<Object, TimeWindow> {

    private final long intervalMs;
    private final long liveHorizonMs;
    private final boolean onEveryInput;
    /** The key an element's phase is drawn from; null: every key at the multiples of the interval. */
    private final KeySelector<Object, ?> phaseKey;

    private ProvisionalTrigger(
            long intervalMs, long liveHorizonMs, boolean onEveryInput, KeySelector<Object, ?> phaseKey) {
        this.intervalMs = intervalMs;
        this.liveHorizonMs = liveHorizonMs;
        this.onEveryInput = onEveryInput;
        this.phaseKey = phaseKey;
    }

    /**
     * This trigger with each key's provisional firings at its own phase within the interval, drawn
     * from {@code key} of the window's elements (which must give the same value for every element of
     * one window key, e.g. the key itself or a part of it).
     */
    @SuppressWarnings("unchecked")
    public <T> ProvisionalTrigger spreadBy(KeySelector<T, ?> key) {
        return new ProvisionalTrigger(intervalMs, liveHorizonMs, onEveryInput, (KeySelector<Object, ?>) key);
    }

    /** The phase of a key within the interval: a mixed hash of the key (stable across runs), 0 to interval - 1. */
    static long phaseOf(Object key, long intervalMs) {
        int mixed = key.hashCode() * 0x9E3779B9; // Fibonacci hashing: neighbouring hashes land far apart
        return Math.floorMod((long) mixed, intervalMs);
    }

    /** The first time after {@code now} that is {@code phase} past a multiple of the interval. */
    static long nextFiring(long now, long phase, long intervalMs) {
        return now - Math.floorMod(now - phase, intervalMs) + intervalMs;
    }

    /**
     * @param interval how often a live open window publishes its running value; zero for none (the
     *     trigger is then Flink's event-time trigger)
     * @param outOfOrderness the watermark's bound: a window this long past its end is still open
     */
    public static ProvisionalTrigger every(Duration interval, Duration outOfOrderness) {
        long intervalMs = interval.toMillis();
        return new ProvisionalTrigger(intervalMs, outOfOrderness.toMillis() + intervalMs, false, null);
    }

    /**
     * The trigger of a window fed by another window's firings (the hour, day and week of a cascade,
     * fed by the minute's deltas): a live open window fires provisionally on each input, at once,
     * since its input already comes at most once per firing of the finer window (which the interval
     * paces) and per pre-aggregation flush. This saves a second wait for the interval: the hour shows
     * what the minute showed as soon as it arrives. Zero {@code interval}: no provisional firing.
     */
    public static ProvisionalTrigger onEachFinerFiring(Duration interval, Duration outOfOrderness) {
        long intervalMs = interval.toMillis();
        return new ProvisionalTrigger(intervalMs, outOfOrderness.toMillis() + intervalMs, true, null);
    }

    /** A firing whose window the watermark has not closed yet: its row is provisional. */
    public static boolean isProvisional(TimeWindow window, long currentWatermark) {
        return currentWatermark < window.maxTimestamp();
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            return TriggerResult.FIRE; // a late element within the allowed lateness
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        if (intervalMs > 0) {
            long now = ctx.getCurrentProcessingTime();
            // Live input: an event (or a finer window's firing) no older than the horizon. An open day
            // or week fed by a replay of old events is not live, whatever its end.
            if (timestamp + liveHorizonMs > now) {
                if (onEveryInput) {
                    return TriggerResult.FIRE;
                }
                long phase = phaseKey == null ? 0 : phaseOf(phaseKey.getKey(element), intervalMs);
                ctx.registerProcessingTimeTimer(nextFiring(now, phase, intervalMs));
            }
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return isProvisional(window, ctx.getCurrentWatermark()) ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
    }

    @Override
    public String toString() {
        return "ProvisionalTrigger(" + intervalMs + " ms" + (phaseKey == null ? "" : ", spread") + ")";
    }
}
