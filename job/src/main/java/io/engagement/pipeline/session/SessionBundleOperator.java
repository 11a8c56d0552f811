package io.engagement.pipeline.session;

import io.engagement.pipeline.event.EngagementEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs {@link SessionTracker} on bundles: events are kept on the heap per session id, and a bundle
 * applies each key's events in arrival order between one read and one write of the key's sessions,
 * instead of a state read and write per event, and the key's timers set once at the end of its
 * bundle ({@link SessionTracker#endKey}) instead of moved by every event that extends a session. A bundle is applied before any watermark is processed
 * (so every event meets the watermark it would have met alone, and timers fire after the events that
 * arrived before them), before every checkpoint barrier (nothing is buffered in a checkpoint), at the
 * end of input, and when {@code maxEvents} are buffered.
 *
 * <p>It is the {@link KeyedProcessOperator} the topology used before, with the same function, state
 * and timer service, so savepoints restore either way.
 */
public final class SessionBundleOperator extends KeyedProcessOperator<String, EngagementEvent, SessionMetrics> {

    private final int maxEvents;
    private transient Map<String, List<StreamRecord<EngagementEvent>>> bundle;
    private transient int buffered;
    private transient TimerService timers;

    public SessionBundleOperator(SessionTracker tracker, int maxEvents) {
        super(tracker);
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
        }
        this.maxEvents = maxEvents;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // The timer service KeyedProcessOperator registered under this name (the same instance).
        timers = new SimpleTimerService(getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this));
        bundle = new LinkedHashMap<>();
        buffered = 0;
    }

    @Override
    public void processElement(StreamRecord<EngagementEvent> element) throws Exception {
        bundle.computeIfAbsent((String) getCurrentKey(), key -> new ArrayList<>(4))
                .add(element);
        if (++buffered >= maxEvents) {
            applyBundle();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        applyBundle();
        super.processWatermark(mark);
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
        if (buffered == 0) {
            return;
        }
        SessionTracker tracker = (SessionTracker) userFunction;
        for (Map.Entry<String, List<StreamRecord<EngagementEvent>>> key : bundle.entrySet()) {
            setCurrentKey(key.getKey());
            tracker.beginKey(timers);
            for (StreamRecord<EngagementEvent> event : key.getValue()) {
                super.processElement(event);
            }
            tracker.endKey(timers);
        }
        bundle.clear();
        buffered = 0;
    }
}
