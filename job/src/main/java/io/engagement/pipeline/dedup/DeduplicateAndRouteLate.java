package io.engagement.pipeline.dedup;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.LateEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by event id. Drops client retries (an event id seen within the dedup horizon) and routes
 * events that are too late for any window to a side output, so that every accepted event is counted
 * exactly once downstream. Deciding lateness here, once, keeps the accounting simple: an event is
 * either a duplicate, too late, or accepted into every grain.
 *
 * <p>Runs inside {@link DeduplicateOperator}, which keeps the lateness watermark across restarts.
 *
 * <p>The seen-marker expires by state TTL after the horizon (processing time; Flink's TTL has no event
 * time), which keeps state bounded: about one small RocksDB entry per event id in the horizon.
 */
public class DeduplicateAndRouteLate extends KeyedProcessFunction<String, EngagementEvent, EngagementEvent> {

    public static final OutputTag<LateEvent> TOO_LATE = new OutputTag<>("too-late") {};
    /** Retries, kept (not counted in any metric) so every consumed offset is accounted for. */
    public static final OutputTag<EngagementEvent> DUPLICATES = new OutputTag<>("duplicates") {};

    public static final String TOO_LATE_REASON = "older than watermark minus allowed lateness";
    public static final String BEFORE_START_HORIZON_REASON =
            "older than the start horizon of a job started without state";

    private final Duration dedupHorizon;
    /** No start horizon: every valid event is accepted ({@code lateness.start-horizon: none}). */
    public static final long NO_START_HORIZON = Long.MIN_VALUE;

    private final long allowedLatenessMs;

    /** The watermark reached before the last restore (see {@link DeduplicateOperator}). */
    private long restoredWatermark = Long.MIN_VALUE;
    /**
     * Events older than this are too late (the job's {@code lateness.start-horizon}): set by {@link DeduplicateOperator}
     * from the configured horizon when the job starts without state, or from its checkpoint.
     */
    private long startHorizonMs = Long.MIN_VALUE;

    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;
    private transient Counter tooLate;
    private transient Counter accepted;
    private transient Counter late;

    public DeduplicateAndRouteLate(Duration dedupHorizon, Duration allowedLateness) {
        this.dedupHorizon = dedupHorizon;
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    /** Called by {@link DeduplicateOperator} when it restores its state, before {@link #open}. */
    void setRestoredWatermark(long watermark) {
        this.restoredWatermark = watermark;
    }

    /** Called by {@link DeduplicateOperator} when it initializes its state, before {@link #open}. */
    void setStartHorizon(long horizonMs) {
        this.startHorizonMs = horizonMs;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(dedupHorizon)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        seen = getRuntimeContext().getState(descriptor);
        var group = getRuntimeContext().getMetricGroup().addGroup("engagement");
        duplicates = group.counter("events_duplicate");
        tooLate = group.counter("events_too_late");
        accepted = group.counter("events_accepted");
        late = group.counter("events_late");
    }

    @Override
    public void processElement(EngagementEvent event, Context ctx, Collector<EngagementEvent> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            ctx.output(DUPLICATES, event);
            return;
        }
        seen.update(Boolean.TRUE);
        // After a restore the operator's watermark restarts at Long.MIN_VALUE; the one reached before
        // the restore still bounds what the windows have closed.
        long watermark = Math.max(ctx.timerService().currentWatermark(), restoredWatermark);
        if (event.eventTimeMs < startHorizonMs) {
            tooLate.inc();
            ctx.output(TOO_LATE, new LateEvent(event, startHorizonMs, BEFORE_START_HORIZON_REASON));
            return;
        }
        if (watermark != Long.MIN_VALUE && event.eventTimeMs + allowedLatenessMs <= watermark) {
            tooLate.inc();
            ctx.output(TOO_LATE, new LateEvent(event, watermark, TOO_LATE_REASON));
            return;
        }
        accepted.inc();
        if (watermark != Long.MIN_VALUE && event.eventTimeMs < watermark) {
            late.inc(); // behind the watermark but within the allowed lateness: its windows fire again
        }
        out.collect(event);
    }
}
