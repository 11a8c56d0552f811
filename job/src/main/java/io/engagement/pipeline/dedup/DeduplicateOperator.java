package io.engagement.pipeline.dedup;

import io.engagement.pipeline.event.EngagementEvent;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs {@link DeduplicateAndRouteLate} and carries its watermark across restarts.
 *
 * <p>Flink does not checkpoint watermarks: after a restore every operator starts at
 * {@code Long.MIN_VALUE} until the sources emit again. Deciding lateness against that, the function
 * would accept for a moment events whose windows had already fired and been purged; such an event
 * opens a fresh window for a finished one, which fires as version 1 again and, in ClickHouse, can
 * replace the finished row with one holding only the late event. So the operator checkpoints the
 * watermark it had reached and the function decides lateness against the larger of that and the
 * current one. The windows downstream are never ahead of this operator (watermarks flow with the
 * data), so an event accepted here finds its window still in their restored state.
 */
public class DeduplicateOperator extends KeyedProcessOperator<String, EngagementEvent, EngagementEvent> {

    /** Union state: after a rescale every subtask sees all old subtasks' watermarks and takes the largest. */
    private static final ListStateDescriptor<Long> WATERMARK =
            new ListStateDescriptor<>("lateness-watermark", Types.LONG);
    /** Union state too: the start horizon of the run that began without state, kept across its restores. */
    private static final ListStateDescriptor<Long> START_HORIZON =
            new ListStateDescriptor<>("start-horizon", Types.LONG);

    private final long configuredStartHorizonMs;
    private transient ListState<Long> checkpointedWatermark;
    private transient ListState<Long> checkpointedStartHorizon;
    /** Written by the task thread, read by the metric reporter's thread (the lag gauge). */
    private transient volatile long watermark;

    private transient long startHorizonMs;

    public DeduplicateOperator(DeduplicateAndRouteLate function) {
        this(function, Long.MIN_VALUE);
    }

    /**
     * @param startHorizonMs applied only when the job starts without state (the job's {@code lateness.start-horizon});
     *     {@code Long.MIN_VALUE} for none
     */
    public DeduplicateOperator(DeduplicateAndRouteLate function, long startHorizonMs) {
        super(function);
        this.configuredStartHorizonMs = startHorizonMs;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointedWatermark = context.getOperatorStateStore().getUnionListState(WATERMARK);
        watermark = Long.MIN_VALUE;
        for (Long restored : checkpointedWatermark.get()) {
            watermark = Math.max(watermark, restored);
        }
        ((DeduplicateAndRouteLate) userFunction).setRestoredWatermark(watermark);

        // Restored state (a checkpoint, or a savepoint of an upgrade) knows what its windows closed;
        // only a start from nothing needs the horizon. It is checkpointed so that a failover before
        // the first watermark does not forget it.
        checkpointedStartHorizon = context.getOperatorStateStore().getUnionListState(START_HORIZON);
        startHorizonMs = context.isRestored() ? Long.MIN_VALUE : configuredStartHorizonMs;
        for (Long restored : checkpointedStartHorizon.get()) {
            startHorizonMs = Math.max(startHorizonMs, restored);
        }
        ((DeduplicateAndRouteLate) userFunction).setStartHorizon(startHorizonMs);
    }

    @Override
    public void open() throws Exception {
        super.open();
        getMetricGroup().addGroup("engagement").gauge("event_time_lag_ms", this::eventTimeLagMs);
    }

    /**
     * Wall clock minus this subtask's watermark: how far behind real time the windows close (input
     * backlog, a stalled partition, clients' clock skew). -1 before the first watermark.
     */
    long eventTimeLagMs() {
        long current = watermark;
        return current == Long.MIN_VALUE ? -1 : Math.max(0, System.currentTimeMillis() - current);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        // The end-of-input watermark is not kept: a job restored from a drained savepoint would
        // otherwise find every new event too late.
        if (mark.getTimestamp() != Long.MAX_VALUE) {
            watermark = Math.max(watermark, mark.getTimestamp());
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointedWatermark.update(List.of(watermark));
        checkpointedStartHorizon.update(List.of(startHorizonMs));
    }
}
