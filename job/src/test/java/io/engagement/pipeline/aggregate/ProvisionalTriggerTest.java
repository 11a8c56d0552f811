package io.engagement.pipeline.aggregate;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.testing.WindowHarness;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An hour window of one content as the topology builds it, with the provisional trigger: while the
 * window is open and live it publishes its running value once per interval in which something
 * arrived (version 0, provisional), the watermark then fires the final row (version 1), a late event
 * within the lateness version 2; the creator updates of all firings add up to the final counters and
 * count the content once; nothing is left in state or timers after the window is purged.
 */
class ProvisionalTriggerTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    /** An hour on 2026-12-06: the window [T, T + 1 h). */
    private static final long T = 1_796_515_200_000L;

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);
    private static final Duration LATENESS = Duration.ofMinutes(5);

    private KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, ContentMetrics> harness;

    private KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, ContentMetrics> hourWindow(
            Duration interval) throws Exception {
        return hourWindow(ProvisionalTrigger.every(interval, OUT_OF_ORDERNESS));
    }

    private KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, ContentMetrics> hourWindow(
            ProvisionalTrigger trigger) throws Exception {
        harness = WindowHarness.open(
                e -> e.contentId,
                input -> input.keyBy(e -> e.contentId, Types.STRING)
                        .window(TumblingEventTimeWindows.of(Grain.HOUR.size(), Grain.HOUR.offset()))
                        .trigger(trigger)
                        .allowedLateness(LATENESS)
                        .aggregate(new ContentWindowAggregate(), new ContentWindowResult(Grain.HOUR, true, false)));
        return harness;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void view(String id, String user, long eventTimeMs) throws Exception {
        EngagementEvent e = event(id, EventType.VIEW_START, "c1", user, eventTimeMs);
        harness.processElement(new StreamRecord<>(e, e.eventTimeMs));
    }

    @Test
    void publishesTheRunningValueOfALiveWindowThenTheFinalRow() throws Exception {
        hourWindow(INTERVAL);
        harness.setProcessingTime(T + 5 * MINUTE + 1_000); // wall clock inside the hour: live events
        harness.processWatermark(T + 4 * MINUTE);
        view("1", "u1", T + 4 * MINUTE + 40_000);
        view("2", "u2", T + 4 * MINUTE + 50_000);
        assertTrue(harness.extractOutputValues().isEmpty(), "nothing before the interval's end");

        harness.setProcessingTime(T + 5 * MINUTE + 10_000); // the next multiple of 10 s
        List<ContentMetrics> rows = harness.extractOutputValues();
        assertEquals(1, rows.size(), rows.toString());
        assertRow(rows.get(0), 0, true, 2);

        harness.setProcessingTime(T + 5 * MINUTE + 20_000); // nothing arrived: no row
        assertEquals(1, harness.extractOutputValues().size());

        view("3", "u3", T + 5 * MINUTE + 10_000);
        harness.setProcessingTime(T + 5 * MINUTE + 30_000);
        rows = harness.extractOutputValues();
        assertEquals(2, rows.size(), rows.toString());
        assertRow(rows.get(1), 0, true, 3);

        view("4", "u4", T + 59 * MINUTE);
        harness.processWatermark(T + HOUR - 1); // closes the hour before the next interval
        rows = harness.extractOutputValues();
        assertEquals(3, rows.size(), rows.toString());
        assertRow(rows.get(2), 1, false, 4);
        harness.setProcessingTime(T + 5 * MINUTE + 40_000); // the pending timer finds a closed window
        assertEquals(3, harness.extractOutputValues().size());

        view("5", "u5", T + 30 * MINUTE); // late, within the allowed lateness
        rows = harness.extractOutputValues();
        assertEquals(4, rows.size(), rows.toString());
        assertRow(rows.get(3), 2, false, 5);

        // Each firing's creator update carries what it adds: together they are the final counters,
        // and only the first counts the content for its creator.
        List<ContentWindowUpdate> updates = harness.getSideOutput(ContentWindowResult.CREATOR_UPDATES).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertEquals(4, updates.size());
        assertEquals(5, updates.stream().mapToLong(u -> u.delta.views).sum());
        assertEquals(
                List.of(true, false, false, false),
                updates.stream().map(u -> u.first).toList());
        assertEquals(
                List.of(0L, 0L, 1L, 2L), updates.stream().map(u -> u.version).toList());

        harness.processWatermark(T + HOUR + LATENESS.toMillis());
        harness.setProcessingTime(T + 2 * HOUR);
        assertEquals(0, harness.numKeyedStateEntries(), "window state purged");
        assertEquals(0, harness.numEventTimeTimers());
        assertEquals(0, harness.numProcessingTimeTimers());
    }

    @Test
    void theNextFiringIsTheFirstInstantAfterNowAtTheKeysPhase() {
        assertEquals(33_000, ProvisionalTrigger.nextFiring(25_000, 3_000, 10_000));
        assertEquals(33_000, ProvisionalTrigger.nextFiring(32_999, 3_000, 10_000));
        assertEquals(43_000, ProvisionalTrigger.nextFiring(33_000, 3_000, 10_000));
        assertEquals(30_000, ProvisionalTrigger.nextFiring(25_000, 0, 10_000));
    }

    @Test
    void spreadKeysFireAtTheirOwnPhaseOncePerInterval() throws Exception {
        hourWindow(ProvisionalTrigger.every(INTERVAL, OUT_OF_ORDERNESS).spreadBy((EngagementEvent e) -> e.contentId));
        long start = T + 5 * MINUTE; // a multiple of the interval: unspread, every key would fire at start + 10 s
        harness.setProcessingTime(start);
        int contents = 40;
        for (int c = 0; c < contents; c++) {
            EngagementEvent e = event("e" + c, EventType.VIEW_START, "c" + c, "u1", start - 1_000);
            harness.processElement(new StreamRecord<>(e, e.eventTimeMs));
        }
        // Walk the wall clock through two intervals, 100 ms at a time, noting when each content fires.
        java.util.Map<String, List<Long>> firedAt = new java.util.TreeMap<>();
        int seen = 0;
        for (long now = start + 100; now <= start + 2 * INTERVAL.toMillis(); now += 100) {
            harness.setProcessingTime(now);
            List<ContentMetrics> rows = harness.extractOutputValues();
            for (ContentMetrics row : rows.subList(seen, rows.size())) {
                firedAt.computeIfAbsent(row.contentId, k -> new java.util.ArrayList<>())
                        .add(now);
                if (row.contentId.equals("c0") && firedAt.get("c0").size() == 1) {
                    // c0 gets another event after its firing: it fires again exactly one interval later
                    EngagementEvent again = event("again", EventType.VIEW_START, "c0", "u2", start);
                    harness.processElement(new StreamRecord<>(again, again.eventTimeMs));
                }
            }
            seen = rows.size();
        }
        assertEquals(contents, firedAt.size(), "every content fired within one interval: " + firedAt);
        for (List<Long> times : firedAt.values()) {
            assertTrue(times.get(0) <= start + INTERVAL.toMillis(), times.toString());
        }
        List<Long> c0 = firedAt.get("c0");
        assertEquals(2, c0.size(), c0.toString());
        assertEquals(INTERVAL.toMillis(), c0.get(1) - c0.get(0), 100);
        // Spread: the firings of 40 contents fall in many different tenths of the interval, not one.
        long distinctTenths = firedAt.values().stream()
                .map(times -> (times.get(0) - start - 1) / 1_000)
                .distinct()
                .count();
        assertTrue(distinctTenths >= 8, "firing times " + firedAt);
        // Every other content fired once: no event came after its firing.
        assertEquals(
                contents - 1,
                firedAt.values().stream().filter(t -> t.size() == 1).count());
    }

    @Test
    void oldEventsInAWindowStillOpenAreNotLive() throws Exception {
        // A day still open in wall-clock time, fed by a replay of this morning's events: no running value.
        harness = WindowHarness.open(
                e -> e.contentId,
                input -> input.keyBy(e -> e.contentId, Types.STRING)
                        .window(TumblingEventTimeWindows.of(Grain.DAY.size(), Grain.DAY.offset()))
                        .trigger(ProvisionalTrigger.every(INTERVAL, OUT_OF_ORDERNESS))
                        .allowedLateness(LATENESS)
                        .aggregate(new ContentWindowAggregate(), new ContentWindowResult(Grain.DAY)));
        harness.setProcessingTime(T + 10 * HOUR);
        view("1", "u1", T + HOUR);
        assertEquals(0, harness.numProcessingTimeTimers());
        view("2", "u2", T + 10 * HOUR - 5_000); // a live one: the day fires at the next interval
        assertEquals(1, harness.numProcessingTimeTimers());
        harness.setProcessingTime(T + 10 * HOUR + 10_000);
        List<ContentMetrics> rows = harness.extractOutputValues();
        assertEquals(1, rows.size());
        assertEquals(2, rows.get(0).views);
        assertTrue(rows.get(0).provisional);
    }

    @Test
    void aWindowOfAReplayedPastClosesOnlyOnTheWatermark() throws Exception {
        hourWindow(INTERVAL);
        harness.setProcessingTime(T + 3 * HOUR); // the hour ended long ago in wall-clock time
        view("1", "u1", T + MINUTE);
        assertEquals(0, harness.numProcessingTimeTimers(), "no provisional firing for a past window");
        harness.setProcessingTime(T + 3 * HOUR + 10_000);
        assertTrue(harness.extractOutputValues().isEmpty());
        harness.processWatermark(T + HOUR - 1);
        List<ContentMetrics> rows = harness.extractOutputValues();
        assertEquals(1, rows.size());
        assertRow(rows.get(0), 1, false, 1);
    }

    @Test
    void aWindowWaitingForTheWatermarkAfterItsEndIsStillLive() throws Exception {
        hourWindow(INTERVAL);
        // 20 s after the hour's end: the watermark (30 s out-of-orderness) has not closed it yet.
        harness.setProcessingTime(T + HOUR + 20_000);
        view("1", "u1", T + HOUR - 5_000);
        harness.setProcessingTime(T + HOUR + 30_000);
        List<ContentMetrics> rows = harness.extractOutputValues();
        assertEquals(1, rows.size());
        assertRow(rows.get(0), 0, true, 1);
    }

    @Test
    void aZeroIntervalFiresOnlyOnTheWatermark() throws Exception {
        hourWindow(Duration.ZERO);
        harness.setProcessingTime(T + 5 * MINUTE);
        view("1", "u1", T + 5 * MINUTE - 1_000); // live, but no interval: no provisional firing
        assertEquals(0, harness.numProcessingTimeTimers());
        harness.processWatermark(T + HOUR - 1);
        List<ContentMetrics> rows = harness.extractOutputValues();
        assertEquals(1, rows.size());
        assertRow(rows.get(0), 1, false, 1);
    }

    @Test
    void aWindowFedByFinerFiringsFiresOnEachWhileLiveAndOpen() throws Exception {
        hourWindow(ProvisionalTrigger.onEachFinerFiring(INTERVAL, OUT_OF_ORDERNESS));
        harness.setProcessingTime(T + 5 * MINUTE);
        view("1", "u1", T + 5 * MINUTE - 20_000);
        view("2", "u2", T + 5 * MINUTE - 10_000);
        List<ContentMetrics> rows = harness.extractOutputValues();
        assertEquals(2, rows.size(), rows.toString());
        assertRow(rows.get(0), 0, true, 1);
        assertRow(rows.get(1), 0, true, 2);
        assertEquals(0, harness.numProcessingTimeTimers(), "no timer: it fires on its input");
        harness.processWatermark(T + HOUR - 1);
        rows = harness.extractOutputValues();
        assertEquals(3, rows.size());
        assertRow(rows.get(2), 1, false, 2);
        // A replay of the past fires only on the watermark.
        harness.setProcessingTime(T + 5 * HOUR);
        view("3", "u3", T + HOUR + MINUTE);
        assertEquals(3, harness.extractOutputValues().size());
        harness.processWatermark(T + 2 * HOUR - 1);
        rows = harness.extractOutputValues();
        assertEquals(4, rows.size());
        assertEquals(1, rows.get(3).version);
        assertFalse(rows.get(3).provisional);
    }

    private static void assertRow(ContentMetrics row, long version, boolean provisional, long views) {
        assertEquals(version, row.version, row.toString());
        assertEquals(provisional, row.provisional, row.toString());
        assertEquals(views, row.views, row.toString());
        assertEquals(T, row.windowStartMs);
        assertFalse(row.grain.isEmpty());
    }
}
