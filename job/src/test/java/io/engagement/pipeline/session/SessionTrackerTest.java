package io.engagement.pipeline.session;

import static io.engagement.pipeline.testing.Events.event;
import static io.engagement.pipeline.testing.Events.withWatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session operator ({@link SessionTracker}) as the topology builds it, in Flink's operator test harness. */
class SessionTrackerTest {

    private static final long MIN = 60_000;
    private static final Duration MAX_DURATION = Duration.ofHours(4);
    private KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, SessionMetrics> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = sessionWindow(Duration.ofMinutes(5));
    }

    /** The session operator as the topology builds it: 30 min gap, 4 h at most. */
    private static KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, SessionMetrics> sessionWindow(
            Duration allowedLateness) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, SessionMetrics> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new SessionTracker(Duration.ofMinutes(30), MAX_DURATION, allowedLateness)),
                        e -> e.sessionId,
                        Types.STRING);
        harness.open();
        return harness;
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(EngagementEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.eventTimeMs));
    }

    @Test
    void aSessionEndsAfterTheGapAndAnEventInTheGapMergesTwoSessions() throws Exception {
        // Session of u1 ("session-u1"): views of c1 and c2 at 0 and 10 min, then a view 50 min later
        // (40 min after the last event: beyond the 30 min gap, a new session) ...
        send(event("1", EventType.VIEW_START, "c1", "u1", 0));
        send(withWatch(event("2", EventType.VIEW_COMPLETE, "c1", "u1", MIN), 60_000, 1.0));
        send(event("3", EventType.VIEW_START, "c2", "u1", 10 * MIN));
        send(event("4", EventType.SHARE, "c2", "u1", 11 * MIN));
        send(event("5", EventType.VIEW_START, "c1", "u1", 51 * MIN));
        // ... until an event at 30 min arrives, within 30 min of both: the two merge into one session.
        send(event("6", EventType.SAVE, "c2", "u1", 30 * MIN));
        harness.processWatermark(51 * MIN + 30 * MIN);

        List<SessionMetrics> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        SessionMetrics s = out.get(0);
        assertEquals("session-u1", s.sessionId);
        assertEquals("u1", s.userId);
        assertEquals(0, s.sessionStartMs);
        assertEquals(51 * MIN, s.sessionEndMs);
        assertEquals(51 * MIN, s.durationMs);
        assertEquals(6, s.events);
        assertEquals(6, s.version);
        assertEquals(3, s.views);
        assertEquals(2, s.contentsViewed); // c1 and c2
        assertEquals(1, s.completions);
        assertEquals(1, s.shares);
        assertEquals(1, s.saves);
        assertEquals(20_000.0, s.avgWatchTimeMs, 1e-9); // 60 000 ms over 3 views
        assertEquals(200.0 / 3, s.engagementRate, 1e-9); // (1 save + 1 share + 0 clicks) / 3 views
    }

    @Test
    void aLateEventThatMovesTheStartRetractsTheRowOfTheOldStart() throws Exception {
        long t = 100 * MIN;
        send(event("1", EventType.VIEW_START, "c1", "u1", t));
        send(event("2", EventType.VIEW_START, "c2", "u1", t + 10 * MIN));
        harness.processWatermark(t + 41 * MIN); // session [t, t+40 min) fires: 2 events
        // 2 min before the start, within the 5 min allowed lateness of the fired session: it joins
        // and the session now starts at t - 2 min, a different ClickHouse key.
        send(event("3", EventType.VIEW_START, "c3", "u1", t - 2 * MIN));

        List<SessionMetrics> out = harness.extractOutputValues();
        assertEquals(3, out.size());
        assertRow(out.get(0), t, 2, false);
        assertRow(out.get(1), t, 3, true); // retracts the row at t, with a higher version
        assertEquals(0, out.get(1).events);
        assertEquals(0, out.get(1).views);
        assertRow(out.get(2), t - 2 * MIN, 3, false);
        assertEquals(3, out.get(2).views);

        harness.processWatermark(t + 2 * 60 * MIN); // past the allowed lateness: the session is purged
        assertEquals(0, harness.numKeyedStateEntries(), "purged sessions leave no state behind");
    }

    @Test
    void aLateEventThatBridgesTwoFiredSessionsRetractsTheLaterOne() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, SessionMetrics> longLateness =
                sessionWindow(Duration.ofHours(2));
        try {
            long t = 100 * MIN;
            for (EngagementEvent e : List.of(
                    event("1", EventType.VIEW_START, "c1", "u1", t),
                    event("2", EventType.SHARE, "c1", "u1", t + MIN),
                    event("3", EventType.VIEW_START, "c2", "u1", t + 40 * MIN))) {
                longLateness.processElement(new StreamRecord<>(e, e.eventTimeMs));
            }
            longLateness.processWatermark(t + 71 * MIN); // [t, t+31 min) and [t+40 min, t+70 min) fire
            EngagementEvent bridge = event("4", EventType.VIEW_START, "c3", "u1", t + 20 * MIN);
            longLateness.processElement(new StreamRecord<>(bridge, bridge.eventTimeMs));

            List<SessionMetrics> out = longLateness.extractOutputValues();
            assertEquals(4, out.size());
            assertRow(out.get(0), t, 2, false);
            assertRow(out.get(1), t + 40 * MIN, 1, false);
            assertRow(out.get(2), t + 40 * MIN, 4, true); // the later session is now part of the first
            assertRow(out.get(3), t, 4, false); // same start: replaces the first row itself
            assertEquals(t + 40 * MIN, out.get(3).sessionEndMs);
            assertEquals(3, out.get(3).views);
        } finally {
            longLateness.close();
        }
    }

    private static void assertRow(SessionMetrics row, long startMs, long version, boolean superseded) {
        assertEquals("session-u1", row.sessionId);
        assertEquals(startMs, row.sessionStartMs);
        assertEquals(version, row.version);
        assertEquals(superseded, row.superseded);
    }

    @Test
    void sessionsFartherApartThanTheGapStaySeparate() throws Exception {
        send(event("1", EventType.VIEW_START, "c1", "u1", 0));
        send(event("2", EventType.VIEW_START, "c1", "u1", 31 * MIN)); // 31 min later: a new session
        harness.processWatermark(31 * MIN + 30 * MIN);
        assertEquals(
                List.of(0L, 31 * MIN),
                harness.extractOutputValues().stream()
                        .map(m -> m.sessionStartMs)
                        .toList());
    }

    @Test
    void aSessionIdReusedForeverIsCutIntoSessionsOfAtMostTheMaximumDuration() throws Exception {
        // One event every 10 min for 10 h, always within the 30 min gap. A session window spans
        // first event .. last event + gap, so it may reach 4 h + 30 min = 270 min: events 0..240 min
        // (25), then 250..490 (25), then 500..600 (11).
        for (int m = 0; m <= 600; m += 10) {
            send(event("e" + m, EventType.VIEW_START, "c1", "u1", m * MIN));
        }
        harness.processWatermark(700 * MIN);
        List<SessionMetrics> out = harness.extractOutputValues();
        assertEquals(
                List.of(0L, 250 * MIN, 500 * MIN),
                out.stream().map(r -> r.sessionStartMs).toList());
        assertEquals(List.of(25L, 25L, 11L), out.stream().map(r -> r.events).toList());
        assertEquals(
                List.of(240 * MIN, 240 * MIN, 100 * MIN),
                out.stream().map(r -> r.durationMs).toList());
        assertEquals(
                List.of(false, false, false),
                out.stream().map(r -> r.superseded).toList());
        harness.processWatermark(800 * MIN);
        assertEquals(0, harness.numKeyedStateEntries(), "no window is left open");
    }

    @Test
    void aLateUpdateOfACappedSessionDoesNotRetractTheSessionAfterIt() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, SessionMetrics> longLateness =
                sessionWindow(Duration.ofHours(2));
        try {
            // Sessions [0, 240 min] (25 events, capped) and [250, 300 min] (6 events), both fired.
            for (int m = 0; m <= 300; m += 10) {
                EngagementEvent e = event("e" + m, EventType.VIEW_START, "c1", "u1", m * MIN);
                longLateness.processElement(new StreamRecord<>(e, e.eventTimeMs));
            }
            longLateness.processWatermark(331 * MIN);
            // A late event inside the first session: it fires again; the second one, which starts
            // inside the first one's window span, is a separate session and keeps its row.
            EngagementEvent late = event("late", EventType.LIKE, "c1", "u1", 5 * MIN);
            longLateness.processElement(new StreamRecord<>(late, late.eventTimeMs));
            List<SessionMetrics> out = longLateness.extractOutputValues();
            assertEquals(3, out.size());
            assertRow(out.get(0), 0, 25, false);
            assertRow(out.get(1), 250 * MIN, 6, false);
            assertRow(out.get(2), 0, 26, false);
        } finally {
            longLateness.close();
        }
    }

    @Test
    void eventsInReverseOrderMakeTheSameSessionAsInOrder() throws Exception {
        // 20, 10, 0 min: each event lies before the session so far and moves its start.
        send(event("1", EventType.VIEW_START, "c1", "u1", 20 * MIN));
        send(event("2", EventType.VIEW_START, "c2", "u1", 10 * MIN));
        send(event("3", EventType.LIKE, "c2", "u1", 0));
        assertEquals(2, harness.numEventTimeTimers(), "one firing and one purge timer for the one session");
        harness.processWatermark(60 * MIN);
        List<SessionMetrics> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        assertRow(out.get(0), 0, 3, false);
        assertEquals(20 * MIN, out.get(0).durationMs);
        assertEquals(2, out.get(0).views);
        assertEquals(1, out.get(0).likes);
    }

    @Test
    void mergingTwoSessionsLeavesOnlyTheMergedSessionsTimers() throws Exception {
        send(event("1", EventType.VIEW_START, "c1", "u1", 0));
        send(event("2", EventType.VIEW_START, "c1", "u1", 50 * MIN));
        assertEquals(4, harness.numEventTimeTimers(), "two sessions, a firing and a purge timer each");
        send(event("3", EventType.VIEW_START, "c1", "u1", 25 * MIN)); // within 30 min of both: one session
        assertEquals(2, harness.numEventTimeTimers());
        harness.processWatermark(50 * MIN + 30 * MIN - 1); // the merged session's end
        assertEquals(
                List.of(3L),
                harness.extractOutputValues().stream().map(m -> m.events).toList());
        harness.processWatermark(50 * MIN + 30 * MIN + 5 * MIN); // past the allowed lateness
        assertEquals(0, harness.numEventTimeTimers());
        assertEquals(0, harness.numKeyedStateEntries());
    }

    @Test
    void anEventTooLateForAnySessionIsNotCounted() throws Exception {
        harness.processWatermark(100 * MIN);
        // Its session would end at 31 min and be purged at 36 min, long before the watermark.
        send(event("1", EventType.VIEW_START, "c1", "u1", MIN));
        harness.processWatermark(200 * MIN);
        assertEquals(List.of(), harness.extractOutputValues());
        assertEquals(0, harness.numKeyedStateEntries());
    }

    @Test
    void shuffledEventsGiveTheSessionsOfTheSortedTimes() throws Exception {
        // Reference: sort one session id's event times; a new session starts where two neighbours are
        // more than the 30 min gap apart (no session here comes near the 4 h cap).
        java.util.Random random = new java.util.Random(7);
        List<EngagementEvent> events = new java.util.ArrayList<>();
        java.util.Map<String, java.util.TreeMap<Long, Integer>> timesByUser = new java.util.TreeMap<>();
        int id = 0;
        for (String user : List.of("u1", "u2", "u3", "u4")) {
            long t = random.nextInt(60) * MIN;
            for (int n = 0; n < 40; n++) {
                // mostly small steps, sometimes a pause longer than the gap, sometimes the same time
                t += random.nextInt(10) == 0 ? (31 + random.nextInt(30)) * MIN : random.nextInt(4) * MIN;
                events.add(event("e" + id++, EventType.VIEW_START, "c" + random.nextInt(3), user, t));
                timesByUser
                        .computeIfAbsent("session-" + user, k -> new java.util.TreeMap<>())
                        .merge(t, 1, Integer::sum);
            }
        }
        List<String> expected = new java.util.ArrayList<>();
        for (var entry : timesByUser.entrySet()) {
            long start = Long.MIN_VALUE;
            long last = Long.MIN_VALUE;
            long count = 0;
            for (var time : entry.getValue().entrySet()) {
                if (count > 0 && time.getKey() - last > 30 * MIN) {
                    expected.add(entry.getKey() + " " + start + " " + last + " " + count);
                    count = 0;
                }
                if (count == 0) {
                    start = time.getKey();
                }
                last = time.getKey();
                count += time.getValue();
            }
            expected.add(entry.getKey() + " " + start + " " + last + " " + count);
        }
        java.util.Collections.shuffle(events, random);
        for (EngagementEvent e : events) {
            send(e);
        }
        harness.processWatermark(Long.MAX_VALUE);
        List<String> actual = harness.extractOutputValues().stream()
                .peek(r -> assertEquals(false, r.superseded, "nothing had fired, so nothing is retracted"))
                .map(r -> r.sessionId + " " + r.sessionStartMs + " " + r.sessionEndMs + " " + r.events)
                .sorted()
                .toList();
        assertEquals(expected.stream().sorted().toList(), actual);
        assertEquals(0, harness.numKeyedStateEntries());
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void theStateIsAFlinkPojoAndSurvivesSerialization() throws Exception {
        org.apache.flink.api.common.typeinfo.TypeInformation<OpenSession> type =
                org.apache.flink.api.common.typeinfo.TypeInformation.of(OpenSession.class);
        org.junit.jupiter.api.Assertions.assertInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class, type);
        OpenSession session = new OpenSession();
        session.start = 5;
        session.end = 1_800_005;
        session.written = true;
        session.retract = new long[] {7, 9};
        SessionAggregate.add(session.counters, event("1", EventType.VIEW_START, "c1", "u1", 5));
        org.apache.flink.api.common.typeutils.TypeSerializer<OpenSession[]> serializer =
                org.apache.flink.api.common.typeinfo.Types.OBJECT_ARRAY(type)
                        .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
        org.apache.flink.core.memory.DataOutputSerializer bytes =
                new org.apache.flink.core.memory.DataOutputSerializer(64);
        serializer.serialize(new OpenSession[] {session}, bytes);
        OpenSession back = serializer
                .deserialize(new org.apache.flink.core.memory.DataInputDeserializer(bytes.getCopyOfBuffer()))[0];
        assertEquals(
                List.of(5L, 1_800_005L, 1L, 1L),
                List.of(back.start, back.end, back.counters.events, back.counters.views));
        assertEquals(true, back.written);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {7, 9}, back.retract);
        assertEquals(1, back.counters.contentsViewed.estimate());
    }
}
