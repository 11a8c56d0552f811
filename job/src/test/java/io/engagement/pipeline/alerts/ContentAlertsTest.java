package io.engagement.pipeline.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Content spikes and drops, minute by minute as the minute windows close them. Expected minutes and
 * counts are worked out by hand in the comments (the defaults: spike 4x and at least 50 views, drop to
 * a quarter of the last 10 minutes' typical total, drops watched from 5 typical views a minute).
 */
class ContentAlertsTest {

    private static final long M = ContentAlerts.MINUTE_MS;
    /** A midnight far from the epoch, as an epoch minute. */
    private static final long DAY0 = 20_000L * 24 * 60;

    private static final AlertRules RULES = new AlertRules(4, 50, 4, 5, 3, 100);

    private KeyedOneInputStreamOperatorTestHarness<String, MinuteViews, CreatorAlert> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ContentAlerts(RULES), v -> v.contentId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** Content c's minute {@code minute} closes with {@code views} (its row, then the watermark that fired it). */
    private void minute(long minute, long views) throws Exception {
        MinuteViews row = new MinuteViews();
        row.contentId = "c";
        row.creatorId = "k";
        row.windowStartMs = minute * M;
        row.views = views;
        harness.processElement(new StreamRecord<>(row, (minute + 1) * M - 1));
        harness.processWatermark((minute + 1) * M - 1);
    }

    /** The watermark closes minute {@code minute} without a row for c. */
    private void silentMinute(long minute) throws Exception {
        harness.processWatermark((minute + 1) * M - 1);
    }

    private List<CreatorAlert> alerts() {
        return harness.extractOutputValues();
    }

    @Test
    void aSurgeRaisesOneSpikeAndASlumpOneDrop() throws Exception {
        long m = DAY0;
        for (int i = 0; i < 40; i++) {
            minute(m++, 20); // typical: exactly 20 a minute
        }
        assertEquals(List.of(), alerts());

        long surge = m;
        minute(m++, 200); // 200 >= 4 x 20 = 80 and >= 50: spike
        minute(m++, 150); // still above 40 (half the threshold): the same episode, no second alert
        minute(m++, 90);
        minute(m++, 20); // below 40: the episode ends
        assertEquals(1, alerts().size());
        CreatorAlert spike = alerts().get(0);
        assertEquals(CreatorAlert.SPIKE, spike.kind);
        assertEquals("k", spike.creatorId);
        assertEquals("c", spike.contentId);
        assertEquals(surge * M, spike.windowStartMs);
        assertEquals((surge + 1) * M, spike.windowEndMs);
        assertEquals(200, spike.observedViews);
        assertEquals(20.0, spike.typicalViews, 1e-9); // the surge did not move the typical minute
        assertEquals("spike:c:" + (surge + 1) * M, spike.alertId);

        for (int i = 0; i < 10; i++) {
            minute(m++, 20);
        }
        // From minute d on, 2 views a minute. The last 10 minutes at d + k hold 2 (k + 1) + 20 (9 - k)
        // views; the drop rule wants <= 20 x 10 / 4 = 50: 182 - 18 k <= 50 first at k = 8 (38 views).
        long d = m;
        for (int k = 0; k < 12; k++) {
            minute(m++, 2);
        }
        assertEquals(2, alerts().size());
        CreatorAlert drop = alerts().get(1);
        assertEquals(CreatorAlert.DROP, drop.kind);
        assertEquals((d + 9) * M, drop.windowEndMs);
        assertEquals((d - 1) * M, drop.windowStartMs);
        assertEquals(38, drop.observedViews);
        assertEquals(200.0, drop.typicalViews, 1e-9);
        assertEquals(0, harness.numEventTimeTimers(), "no drop watch while the drop lasts");
    }

    @Test
    void viewsThatStopAltogetherRaiseADropWhenTheSilentMinuteCloses() throws Exception {
        long m = DAY0;
        for (int i = 0; i < 40; i++) {
            minute(m++, 20);
        }
        long last = m - 1;
        assertEquals(1, harness.numEventTimeTimers(), "a busy content's drop is watched");
        // No more rows. The last 10 minutes lose 20 views per silent minute: 200 - 20 j <= 50 first at
        // j = 8, so minute last + 8 raises the drop as it closes, with minutes last - 1 and last (40 views).
        for (long s = last + 1; s < last + 8; s++) {
            silentMinute(s);
            assertEquals(List.of(), alerts(), "minute " + (s - last));
        }
        silentMinute(last + 8);
        assertEquals(1, alerts().size());
        CreatorAlert drop = alerts().get(0);
        assertEquals(CreatorAlert.DROP, drop.kind);
        assertEquals((last + 9) * M, drop.windowEndMs);
        assertEquals(40, drop.observedViews);
        assertEquals(0, harness.numEventTimeTimers(), "timer consumed, none re-armed during the drop");

        // Views come back: at the first minute with 200 in the last 10, the drop ends, and nothing more is raised.
        for (int i = 0; i < 12; i++) {
            minute(last + 20 + i, 20);
        }
        assertEquals(1, alerts().size());
        assertEquals(1, harness.numEventTimeTimers(), "watched again");
    }

    @Test
    void aReplayAfterARestoreRaisesTheSameAlertAgainAndNoOther() throws Exception {
        long m = DAY0;
        for (int i = 0; i < 40; i++) {
            minute(m++, 20);
        }
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        long surge = m;
        minute(m++, 200);
        minute(m++, 20);
        List<CreatorAlert> before = alerts();
        assertEquals(1, before.size());

        // The job fails and restores the checkpoint: the minutes after it are fired and read again.
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ContentAlerts(RULES)), v -> v.contentId, Types.STRING);
        harness.setup();
        harness.initializeState(checkpoint);
        harness.open();
        minute(surge, 200);
        minute(surge + 1, 20);
        List<CreatorAlert> replayed = alerts();
        assertEquals(1, replayed.size());
        assertEquals(before.get(0).alertId, replayed.get(0).alertId);
        assertEquals(before.get(0).observedViews, replayed.get(0).observedViews);
        assertEquals(before.get(0).typicalViews, replayed.get(0).typicalViews, 0.0);
    }

    @Test
    void aContentSilentForMoreThanADayStartsOver() throws Exception {
        long m = DAY0;
        for (int i = 0; i < 40; i++) {
            minute(m++, 20);
        }
        // Two days later (no watermark in between): it is warmed up again from nothing, so a burst
        // in its first minutes back raises nothing, and the old drop watch is gone.
        long back = m + 2 * 24 * 60;
        minute(back, 20);
        minute(back + 1, 500);
        assertEquals(List.of(), alerts());
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void steadyTrafficOverADayRaisesNothing() throws Exception {
        // A simulated day: a diurnal curve between 6 and 60 views a minute, each minute a binomial draw
        // around it (the noise of real traffic), a fixed seed.
        Random random = new Random(7);
        for (long i = 0; i < 24 * 60; i++) {
            double mean = 33 - 27 * Math.cos(2 * Math.PI * i / (24 * 60));
            long views = 0;
            for (int trial = 0; trial < 200; trial++) {
                views += random.nextDouble() < mean / 200 ? 1 : 0;
            }
            minute(DAY0 + i, views);
        }
        assertEquals(List.of(), alerts());
    }

    @Test
    void aQuietContentNeitherSpikesBelowTheMinimumNorIsWatchedForDrops() throws Exception {
        long m = DAY0;
        for (int i = 0; i < 40; i++) {
            minute(m++, 2); // typical 2: below the 5 a minute from which drops are watched
        }
        assertEquals(0, harness.numEventTimeTimers());
        minute(m++, 40); // 20 x typical, but under the 50-view minimum
        minute(m++, 2);
        for (long s = m; s < m + 30; s++) {
            silentMinute(s);
        }
        assertEquals(List.of(), alerts());
        minute(m + 30, 60); // >= 50 and >= 4 x typical: a spike
        assertEquals(1, alerts().size());
        assertEquals(CreatorAlert.SPIKE, alerts().get(0).kind);
    }

    @Test
    void noAlertBeforeWarmUpAndNoTimerFiresAtTheEndOfInput() throws Exception {
        long m = DAY0;
        // A minute is learned when it leaves the 10-minute span: at the 39th minute 29 are learned.
        for (int i = 0; i < ContentViewTrend.WARM_UP_MINUTES + ContentViewTrend.SPAN_MINUTES - 2; i++) {
            minute(m++, 20);
        }
        minute(m++, 500); // 29 minutes learned: not yet warm
        assertEquals(List.of(), alerts());
        for (int i = 0; i < 5; i++) {
            minute(m++, 20);
        }
        assertEquals(1, harness.numEventTimeTimers(), "warm now: the drop is watched");
        harness.processWatermark(Long.MAX_VALUE); // the input ends: no minute after it closed
        assertEquals(List.of(), alerts());
    }
}
