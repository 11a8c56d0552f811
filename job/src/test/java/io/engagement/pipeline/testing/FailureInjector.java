package io.engagement.pipeline.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Crashes the job (throws) when the number of records seen across all subtasks and attempts passes
 * each trigger point, once per point, and only after a checkpoint has completed in the current
 * attempt, so every crash is followed by a restore from a real checkpoint. Also slows the stream a
 * little so checkpoints happen mid-stream. Static state: MiniCluster runs in the test JVM.
 */
public final class FailureInjector<T> implements MapFunction<T, T>, CheckpointListener {

    private static final AtomicLong SEEN = new AtomicLong();
    private static final AtomicInteger NEXT_TRIGGER = new AtomicInteger();
    private static final AtomicInteger CRASHES = new AtomicInteger();
    private static final AtomicLong CHECKPOINTS_SINCE_CRASH = new AtomicLong();
    private static volatile List<Long> triggers = List.of();

    private final long sleepEveryRecords;

    public FailureInjector(long sleepEveryRecords) {
        this.sleepEveryRecords = sleepEveryRecords;
    }

    public static void arm(List<Long> triggerPoints) {
        SEEN.set(0);
        NEXT_TRIGGER.set(0);
        CRASHES.set(0);
        CHECKPOINTS_SINCE_CRASH.set(0);
        triggers = List.copyOf(triggerPoints);
    }

    public static int crashes() {
        return CRASHES.get();
    }

    @Override
    public T map(T value) throws Exception {
        long seen = SEEN.incrementAndGet();
        if (sleepEveryRecords > 0 && seen % sleepEveryRecords == 0) {
            Thread.sleep(1);
        }
        int next = NEXT_TRIGGER.get();
        if (next < triggers.size() && seen >= triggers.get(next)) {
            if (CHECKPOINTS_SINCE_CRASH.get() == 0) {
                // Due, but no checkpoint completed since the last crash (the first one after a restart
                // can take seconds): hold the input back so the crash still comes while input remains,
                // instead of the job reading everything first (a faster job did, and CI missed a crash).
                Thread.sleep(5);
            } else if (NEXT_TRIGGER.compareAndSet(next, next + 1)) {
                CHECKPOINTS_SINCE_CRASH.set(0);
                CRASHES.incrementAndGet();
                throw new InjectedFailure("injected crash #" + (next + 1) + " after " + seen + " records");
            }
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        CHECKPOINTS_SINCE_CRASH.incrementAndGet();
    }

    /** Marks the crash as intended in logs. */
    public static final class InjectedFailure extends RuntimeException {
        InjectedFailure(String message) {
            super(message);
        }
    }
}
