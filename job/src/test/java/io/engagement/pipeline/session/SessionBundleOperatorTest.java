package io.engagement.pipeline.session;

import static io.engagement.pipeline.testing.Events.event;
import static io.engagement.pipeline.testing.Events.withWatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Bundled sessions ({@link SessionBundleOperator}) against the session function applied event by
 * event (the operator the topology used before): on random traffic with gaps, merges, late events,
 * too-late events and watermarks, both write the same rows and hold the same number of timers and state
 * entries at each watermark (the bundle sets a key's timers once, from its sessions), and end with
 * none, once every session is purged. A bundle smaller than the traffic between
 * two watermarks makes it also apply bundles when full; a checkpoint mid-way must lose nothing.
 */
class SessionBundleOperatorTest {

    private static final long MIN = 60_000;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();

    private static SessionTracker tracker() {
        return new SessionTracker(Duration.ofMinutes(30), Duration.ofHours(4), Duration.ofMinutes(5));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, SessionMetrics> harness(
            OneInputStreamOperator<EngagementEvent, SessionMetrics> operator) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                operator, (EngagementEvent e) -> e.sessionId, Types.STRING);
        harness.open();
        return harness;
    }

    /** Rows written since the last call, as sorted JSON (rows of different sessions have no order). */
    private static List<String> drain(KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, SessionMetrics> h)
            throws Exception {
        List<String> rows = new ArrayList<>();
        for (SessionMetrics m : h.extractOutputValues()) {
            rows.add(JSON.writeValueAsString(m));
        }
        h.getOutput().clear();
        rows.sort(null);
        return rows;
    }

    @Test
    void bundledSessionsWriteWhatEventByEventSessionsWrite() throws Exception {
        assertSameSessions(
                new KeyedProcessOperator<>(tracker()),
                new SessionBundleOperator(tracker(), 7),
                UnaryOperator.identity());
    }

    /** The session shuffle carries slim events ({@link SessionEvents}): sessions come out the same. */
    @Test
    void slimEventsMakeTheSessionsWholeEventsMake() throws Exception {
        assertSameSessions(
                new SessionBundleOperator(tracker(), 7), new SessionBundleOperator(tracker(), 7), SessionEvents::slim);
    }

    /**
     * Random traffic into {@code reference} and, each event through {@code toOther}, into {@code other}:
     * the same rows, timers and state entries at every watermark, and nothing left at the end.
     */
    private static void assertSameSessions(
            OneInputStreamOperator<EngagementEvent, SessionMetrics> reference,
            OneInputStreamOperator<EngagementEvent, SessionMetrics> other,
            UnaryOperator<EngagementEvent> toOther)
            throws Exception {
        Random random = new Random(17);
        var single = harness(reference);
        var bundled = harness(other);
        long now = 0;
        long watermark = Long.MIN_VALUE;
        int rows = 0;
        int late = 0;
        for (int step = 0; step < 3_000; step++) {
            // Event times run ahead by up to 3 minutes a step, with disorder and occasional late events
            // (up to 40 minutes back: some join fired sessions, some are past the allowed lateness).
            now += random.nextInt(3 * (int) MIN);
            long time =
                    random.nextInt(10) == 0 ? now - random.nextInt(40 * (int) MIN) : now - random.nextInt((int) MIN);
            late += time <= watermark ? 1 : 0;
            String user = "u" + random.nextInt(12);
            EventType type = EventType.values()[random.nextInt(EventType.values().length)];
            EngagementEvent e = event("e" + step, type, "c" + random.nextInt(5), user, time);
            e.country = "DE";
            e.device = "mobile";
            if (random.nextBoolean()) {
                e = withWatch(e, random.nextInt(60_000), random.nextDouble());
            }
            single.processElement(new StreamRecord<>(e, time));
            bundled.processElement(new StreamRecord<>(toOther.apply(e), time)); // neither operator changes its input
            if (random.nextInt(4) == 0) {
                watermark = now - 2 * MIN;
                single.processWatermark(watermark);
                bundled.processWatermark(watermark);
                List<String> expected = drain(single);
                rows += expected.size();
                assertEquals(expected, drain(bundled), "rows at watermark " + watermark);
                assertEquals(
                        single.numEventTimeTimers(), bundled.numEventTimeTimers(), "timers at watermark " + watermark);
                assertEquals(
                        single.numKeyedStateEntries(),
                        bundled.numKeyedStateEntries(),
                        "state at watermark " + watermark);
            }
        }
        single.processWatermark(Long.MAX_VALUE);
        bundled.processWatermark(Long.MAX_VALUE);
        assertEquals(drain(single), drain(bundled), "rows at the end of input");
        assertTrue(
                rows > 300 && late > 100,
                "the traffic must fire many sessions and carry late events: " + rows + ", " + late);
        assertEquals(0, single.numKeyedStateEntries());
        assertEquals(0, bundled.numKeyedStateEntries());
        assertEquals(0, bundled.numEventTimeTimers());
        single.close();
        bundled.close();
    }

    @Test
    void theBarrierAppliesTheBundleSoARestoreLosesNothing() throws Exception {
        OperatorSubtaskState snapshot;
        try (var bundled = harness(new SessionBundleOperator(tracker(), 1_000))) {
            bundled.processElement(new StreamRecord<>(event("1", EventType.VIEW_START, "c1", "u1", 0), 0));
            bundled.processElement(new StreamRecord<>(event("2", EventType.LIKE, "c1", "u1", MIN), MIN));
            bundled.prepareSnapshotPreBarrier(1);
            snapshot = bundled.snapshot(1, 1);
        }
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new SessionBundleOperator(tracker(), 1_000), (EngagementEvent e) -> e.sessionId, Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(MIN + 30 * MIN);
            List<SessionMetrics> out = restored.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(2, out.get(0).events); // both events were in the checkpoint's state
            assertEquals(1, out.get(0).likes);
        }
    }
}
