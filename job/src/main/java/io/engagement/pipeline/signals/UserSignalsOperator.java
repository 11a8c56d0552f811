package io.engagement.pipeline.signals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The per-user signal stage, keyed by user id: signals are kept on the heap per user and applied in
 * bundles, each user's signals between one read and one write of its {@link UserProfile}, and one
 * {@link UserSignalUpdate} per changed user and bundle. A bundle is applied {@code emitInterval}
 * (processing time) after its first signal, so an event reaches the topic within that interval plus
 * the checkpoint that commits the topic's transaction; also before every checkpoint barrier (nothing
 * is buffered in a checkpoint), at the end of input and when full. No event-time timer: a signal is
 * never held for a window.
 *
 * <p>An erasure drops the user's state and writes a tombstone; the profile expires after
 * {@code stateTtl} without a signal (Flink state TTL, cleaned in RocksDB compaction).
 */
public final class UserSignalsOperator extends AbstractStreamOperator<UserSignalUpdate>
        implements OneInputStreamOperator<UserSignal, UserSignalUpdate> {

    static final String STATE_NAME = "user-profile";

    private final UserSignalRules rules;
    private transient ValueState<UserProfile> profiles;
    private transient Map<String, List<UserSignal>> bundle;
    private transient int buffered;
    private transient boolean flushScheduled;
    private transient Counter applied;
    private transient Counter flagged;
    private transient Counter erasures;
    private transient Counter updates;

    public UserSignalsOperator(UserSignalRules rules) {
        this.rules = rules;
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<UserProfile> descriptor = new ValueStateDescriptor<>(STATE_NAME, UserProfile.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(java.time.Duration.ofMillis(rules.stateTtlMs()))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        profiles = getPartitionedState(descriptor);
        bundle = new LinkedHashMap<>();
        buffered = 0;
        flushScheduled = false;
        var group = getMetricGroup().addGroup("engagement").addGroup("user_signals");
        applied = group.counter("applied");
        flagged = group.counter("suspects_flagged");
        erasures = group.counter("erasures");
        updates = group.counter("updates");
    }

    @Override
    public void processElement(StreamRecord<UserSignal> element) throws Exception {
        UserSignal signal = element.getValue();
        bundle.computeIfAbsent(signal.userId, key -> new ArrayList<>(2)).add(signal);
        if (++buffered >= rules.bundleMaxSignals()) {
            applyBundle();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + rules.emitIntervalMs(), time -> applyBundle());
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        applyBundle();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        applyBundle();
        super.finish();
    }

    private void applyBundle() throws Exception {
        flushScheduled = false;
        if (buffered == 0) {
            return;
        }
        for (Map.Entry<String, List<UserSignal>> user : bundle.entrySet()) {
            setCurrentKey(user.getKey());
            applyUser(user.getKey(), user.getValue());
        }
        bundle.clear();
        buffered = 0;
    }

    private void applyUser(String userId, List<UserSignal> signals) throws Exception {
        UserProfile profile = profiles.value();
        boolean changed = false;
        boolean erased = false;
        for (UserSignal signal : signals) {
            if (signal.kind == SignalKind.ERASE) {
                profile = null;
                erased = true;
                changed = false;
                erasures.inc();
                continue;
            }
            if (profile == null) {
                profile = new UserProfile();
            }
            UserProfile.Outcome outcome = profile.apply(signal, rules);
            if (outcome == UserProfile.Outcome.FLAGGED) {
                flagged.inc();
            }
            if (outcome != UserProfile.Outcome.UNCHANGED) {
                applied.inc();
                changed = true;
            }
        }
        if (erased) {
            // Signals after the erasure in the same bundle start a new profile.
            output.collect(new StreamRecord<>(UserSignalUpdate.tombstone(userId)));
            updates.inc();
        }
        if (profile == null) {
            profiles.clear();
            return;
        }
        profiles.update(profile);
        if (changed) {
            output.collect(new StreamRecord<>(UserSignalUpdate.of(userId, profile)));
            updates.inc();
        }
    }
}
