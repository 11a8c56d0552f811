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
 * <p>Only live input fires provisionally. For a window fed by events: an event no older, in wall-clock
 * time, than the out-of-orderness bound plus one interval. For a window fed by a finer window's
 * firings, whose input carries its own window's end (in the future for today's day): a job whose
 * watermark trails the wall clock by at most that plus a minute. A job reading a backlog (a replay, a
 * catch-up after an outage) closes its windows on the watermark soon enough, and provisional rows for
 * them would be work nobody reads, also for the day and week still open around its events.
 *
 * <p>The processing-time timers are aligned to multiples of the interval, so registering one per
 * element adds no timer: Flink keeps one timer per key, window and timestamp. No trigger state is
 * kept. A timer left after the window is purged fires once, finds no window contents and does nothing.
 */
public final class ProvisionalTrigger extends Trigger<Object, TimeWindow> {

    /**
     * How far beyond the out-of-orderness bound and the interval a job's watermark may trail the wall
     * clock and the job still count as live (the ClickHouse sink's notion of live uses the same minute).
     */
    static final long CATCHING_UP_MS = 60_000;

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
            if (onEveryInput) {
                // Input from a finer window's firing carries this window's end (in the future for
                // today's day), so the job's watermark tells a live job from one reading a backlog.
                if (ctx.getCurrentWatermark() + liveHorizonMs + CATCHING_UP_MS > now) {
                    return TriggerResult.FIRE;
                }
            } else if (timestamp + liveHorizonMs > now) {
                // An event no older than the horizon: live, even if the watermark of a quiet stream is stale.
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
