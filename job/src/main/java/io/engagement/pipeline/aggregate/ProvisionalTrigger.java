package io.engagement.pipeline.aggregate;

import java.time.Duration;
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
 */
public final class ProvisionalTrigger extends Trigger<Object, TimeWindow> {

    private final long intervalMs;
    private final long liveHorizonMs;
    private final boolean onEveryInput;

    private ProvisionalTrigger(long intervalMs, long liveHorizonMs, boolean onEveryInput) {
        this.intervalMs = intervalMs;
        this.liveHorizonMs = liveHorizonMs;
        this.onEveryInput = onEveryInput;
    }

    /**
     * @param interval how often a live open window publishes its running value; zero for none (the
     *     trigger is then Flink's event-time trigger)
     * @param outOfOrderness the watermark's bound: a window this long past its end is still open
     */
    public static ProvisionalTrigger every(Duration interval, Duration outOfOrderness) {
        long intervalMs = interval.toMillis();
        return new ProvisionalTrigger(intervalMs, outOfOrderness.toMillis() + intervalMs, false);
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
        return new ProvisionalTrigger(intervalMs, outOfOrderness.toMillis() + intervalMs, true);
    }

    /** A firing whose window the watermark has not closed yet: its row is provisional. */
    public static boolean isProvisional(TimeWindow window, long currentWatermark) {
        return currentWatermark < window.maxTimestamp();
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
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
                ctx.registerProcessingTimeTimer(now - Math.floorMod(now, intervalMs) + intervalMs);
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
        return "ProvisionalTrigger(" + intervalMs + " ms)";
    }
}
