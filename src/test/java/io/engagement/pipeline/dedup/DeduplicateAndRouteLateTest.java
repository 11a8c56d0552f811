package io.engagement.pipeline.dedup;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.event.LateEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class DeduplicateAndRouteLateTest {

    private static final Duration HORIZON = Duration.ofHours(6);
    private static final Duration LATENESS = Duration.ofMinutes(5);
    private KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, EngagementEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DeduplicateAndRouteLate(HORIZON, LATENESS), e -> e.eventId, Types.STRING);
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

        assertEquals(List.of("within"), harness.extractOutputValues().stream().map(e -> e.eventId).toList());
        List<LateEvent> late = harness.getSideOutput(DeduplicateAndRouteLate.TOO_LATE).stream()
                .map(StreamRecord::getValue).toList();
        assertEquals(List.of("boundary", "old"), late.stream().map(l -> l.event.eventId).toList());
        assertEquals(watermark, late.get(0).watermarkMs);
        assertEquals(DeduplicateAndRouteLate.TOO_LATE_REASON, late.get(0).reason);
    }
}
