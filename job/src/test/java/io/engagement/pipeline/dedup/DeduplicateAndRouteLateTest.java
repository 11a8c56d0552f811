package io.engagement.pipeline.dedup;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.event.LateEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateAndRouteLateTest {

    private static final Duration HORIZON = Duration.ofHours(6);
    private static final Duration LATENESS = Duration.ofMinutes(5);
    private static final int MAX_PARALLELISM = 128;
    private KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, EngagementEvent> harness;

    /** The operator as the topology runs it, as subtask {@code index} of {@code parallelism}. */
    private static KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, EngagementEvent> operator(
            int parallelism, int index) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new DeduplicateOperator(new DeduplicateAndRouteLate(HORIZON, LATENESS)),
                e -> e.eventId,
                Types.STRING,
                MAX_PARALLELISM,
                parallelism,
                index);
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = operator(1, 0);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(EngagementEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.eventTimeMs));
    }

    @Test
    void aRetriedEventIdIsDroppedOnce() throws Exception {
        send(event("a", EventType.VIEW_START, "c1", "u1", 1_000));
        send(event("a", EventType.VIEW_START, "c1", "u1", 1_000));
        send(event("b", EventType.VIEW_START, "c1", "u1", 1_000));
        send(event("a", EventType.LIKE, "c1", "u1", 2_000)); // same id, other payload: still a retry
        List<EngagementEvent> out = harness.extractOutputValues();
        assertEquals(List.of("a", "b"), out.stream().map(e -> e.eventId).toList());
    }

    @Test
    void theSeenMarkerExpiresAfterTheHorizon() throws Exception {
        harness.setStateTtlProcessingTime(0);
        send(event("a", EventType.VIEW_START, "c1", "u1", 1_000));
        harness.setStateTtlProcessingTime(HORIZON.toMillis() - 1);
        send(event("a", EventType.VIEW_START, "c1", "u1", 1_000));
        assertEquals(1, harness.extractOutputValues().size());
        harness.setStateTtlProcessingTime(HORIZON.toMillis() + 1);
        send(event("a", EventType.VIEW_START, "c1", "u1", 1_000));
        assertEquals(2, harness.extractOutputValues().size());
    }

    @Test
    void eventsOlderThanWatermarkMinusLatenessGoToTheLateOutput() throws Exception {
        long watermark = Duration.ofHours(1).toMillis();
        harness.processWatermark(watermark);
        long lateness = LATENESS.toMillis();
        send(event("within", EventType.VIEW_START, "c1", "u1", watermark - lateness + 1));
        send(event("boundary", EventType.VIEW_START, "c1", "u1", watermark - lateness));
        send(event("old", EventType.VIEW_START, "c1", "u1", 10));
        send(event("old", EventType.VIEW_START, "c1", "u1", 10)); // a retry of a late event is a duplicate

        assertEquals(
                List.of("within"),
                harness.extractOutputValues().stream().map(e -> e.eventId).toList());
        List<LateEvent> late = harness.getSideOutput(DeduplicateAndRouteLate.TOO_LATE).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertEquals(
                List.of("boundary", "old"),
                late.stream().map(l -> l.event.eventId).toList());
        assertEquals(watermark, late.get(0).watermarkMs);
        assertEquals(DeduplicateAndRouteLate.TOO_LATE_REASON, late.get(0).reason);
    }

    @Test
    void theLatenessWatermarkSurvivesARestore() throws Exception {
        long watermark = Duration.ofHours(1).toMillis();
        long lateness = LATENESS.toMillis();
        harness.processWatermark(watermark);
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);

        // Watermarks are not checkpointed: until the sources emit again, the restored operator's own
        // watermark is Long.MIN_VALUE. An event the windows have already purged must still be too late.
        try (var restored = operator(1, 0)) {
            restored.initializeState(checkpoint);
            restored.open();
            process(restored, event("purged", EventType.VIEW_START, "c1", "u1", watermark - lateness));
            process(restored, event("open", EventType.VIEW_START, "c1", "u1", watermark - lateness + 1));
            assertEquals(
                    List.of("open"),
                    restored.extractOutputValues().stream().map(e -> e.eventId).toList());
            List<LateEvent> late = restored.getSideOutput(DeduplicateAndRouteLate.TOO_LATE).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertEquals(
                    List.of("purged"), late.stream().map(l -> l.event.eventId).toList());
            assertEquals(watermark, late.get(0).watermarkMs);
        }
    }

    @Test
    void afterARescaleTheLargestCheckpointedWatermarkCounts() throws Exception {
        long minute = Duration.ofMinutes(1).toMillis();
        OperatorSubtaskState first;
        OperatorSubtaskState second;
        try (var a = operator(2, 0);
                var b = operator(2, 1)) {
            a.open();
            b.open();
            a.processWatermark(60 * minute);
            b.processWatermark(61 * minute); // subtasks of one operator differ while a watermark is in flight
            first = a.snapshot(1, 1);
            second = b.snapshot(1, 1);
        }
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(first, second);
        try (var one = operator(1, 0)) {
            one.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(merged, MAX_PARALLELISM, 2, 1, 0));
            one.open();
            // 61 min - 5 min lateness = 56 min: an event at 55:30 is within 60 min - 5 but not 61 min - 5.
            process(one, event("x", EventType.VIEW_START, "c1", "u1", 55 * minute + 30_000));
            assertEquals(List.of(), one.extractOutputValues());
            assertEquals(1, one.getSideOutput(DeduplicateAndRouteLate.TOO_LATE).size());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, EngagementEvent> withHorizon(
            long startHorizonMs) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new DeduplicateOperator(new DeduplicateAndRouteLate(HORIZON, LATENESS), startHorizonMs),
                e -> e.eventId,
                Types.STRING,
                MAX_PARALLELISM,
                1,
                0);
    }

    @Test
    void aJobStartedWithoutStateRefusesEventsBeforeItsStartHorizon() throws Exception {
        long horizon = Duration.ofHours(3).toMillis();
        try (var fresh = withHorizon(horizon)) {
            fresh.open();
            // No watermark yet: without the horizon both would be accepted.
            process(fresh, event("closed-window", EventType.LIKE, "c1", "u1", horizon - 1));
            process(fresh, event("open-window", EventType.LIKE, "c1", "u1", horizon));
            assertEquals(
                    List.of("open-window"),
                    fresh.extractOutputValues().stream().map(e -> e.eventId).toList());
            List<LateEvent> late = fresh.getSideOutput(DeduplicateAndRouteLate.TOO_LATE).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertEquals(
                    List.of("closed-window"),
                    late.stream().map(l -> l.event.eventId).toList());
            assertEquals(DeduplicateAndRouteLate.BEFORE_START_HORIZON_REASON, late.get(0).reason);
            assertEquals(horizon, late.get(0).watermarkMs);

            // A failover of this run before any watermark: the horizon comes back from the checkpoint.
            OperatorSubtaskState checkpoint = fresh.snapshot(1, 1);
            try (var restored = operator(1, 0)) {
                restored.initializeState(checkpoint);
                restored.open();
                process(restored, event("still-closed", EventType.LIKE, "c1", "u1", horizon - 1));
                assertEquals(List.of(), restored.extractOutputValues());
                assertEquals(
                        1,
                        restored.getSideOutput(DeduplicateAndRouteLate.TOO_LATE).size());
            }
        }
    }

    @Test
    void aRestoredJobIgnoresTheConfiguredStartHorizon() throws Exception {
        // State from a run without a horizon (its own watermark decides lateness after a restore).
        harness.processWatermark(Duration.ofMinutes(10).toMillis());
        OperatorSubtaskState savepoint = harness.snapshot(1, 1);
        long horizon = Duration.ofHours(3).toMillis();
        try (var restored = withHorizon(horizon)) {
            restored.initializeState(savepoint);
            restored.open();
            // Before the horizon but within the restored watermark's lateness: accepted, as in the old run.
            process(
                    restored,
                    event(
                            "in-flight",
                            EventType.LIKE,
                            "c1",
                            "u1",
                            Duration.ofMinutes(9).toMillis()));
            assertEquals(
                    List.of("in-flight"),
                    restored.extractOutputValues().stream().map(e -> e.eventId).toList());
        }
    }

    private static void process(
            KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, EngagementEvent> h, EngagementEvent e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.eventTimeMs));
    }
}
