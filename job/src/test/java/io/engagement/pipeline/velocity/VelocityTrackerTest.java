package io.engagement.pipeline.velocity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.aggregate.ContentMetrics;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expected values are worked out by hand in the comments. */
class VelocityTrackerTest {

    private static final long H = VelocityTracker.HOUR_MS;
    private static final long T0 = 100 * 24 * H; // a midnight, far from the epoch
    private KeyedOneInputStreamOperatorTestHarness<String, ContentMetrics, ContentVelocity> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new VelocityTracker(2.0), m -> m.contentId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** The hourly window result of content c for the hour starting at {@code start}. */
    private void hour(long start, long views, long likes, long comments, long shares) throws Exception {
        ContentMetrics m = new ContentMetrics();
        m.grain = "hour";
        m.contentId = "c";
        m.creatorId = "k";
        m.windowStartMs = start;
        m.windowEndMs = start + H;
        m.views = views;
        m.likes = likes;
        m.comments = comments;
        m.shares = shares;
        harness.processElement(new StreamRecord<>(m, start + H - 1));
    }

    private List<ContentVelocity> out() {
        return harness.extractOutputValues();
    }

    @Test
    void velocityTrendAndTrendingFollowSeed002() throws Exception {
        // hour 0: 24 views, 2 likes, 1 comment, 3 shares -> per hour: 1 view, 0.25 engagements, 0.125 shares
        hour(T0, 24, 2, 1, 3);
        ContentVelocity first = out().get(0);
        assertEquals(T0 + H, first.asOfMs);
        assertEquals(24, first.viewsLast24h);
        assertEquals(0, first.viewsPrevious24h);
        assertEquals(1.0, first.viewsPerHour, 1e-12);
        assertEquals(0.25, first.engagementPerHour, 1e-12);
        assertEquals(0.125, first.sharesPerHour, 1e-12);
        assertEquals("rising", first.trend); // 24 > 1.2 * 0
        assertFalse(first.trending); // 1 view/h is below the threshold of 2
        assertEquals(1.0, first.peakViewsPerHour, 1e-12);
        assertEquals(T0 + H, first.peakAtMs);

        // hour 1: 48 more views -> 72 over 24 h = 3 per hour, rising and at least 2: trending
        hour(T0 + H, 48, 0, 0, 0);
        ContentVelocity second = out().get(1);
        assertEquals(T0 + 2 * H, second.asOfMs);
        assertEquals(3.0, second.viewsPerHour, 1e-12);
        assertTrue(second.trending);
        assertEquals(3.0, second.peakViewsPerHour, 1e-12);
        assertEquals(T0 + 2 * H, second.peakAtMs);
        assertEquals(2, second.version);
    }

    @Test
    void quietHoursAreEmittedSoContentDeclinesAndIsForgottenAfter48Hours() throws Exception {
        hour(T0, 24, 0, 0, 0);
        // Event time reaches 50 hours later: every hour closes without new events.
        harness.processWatermark(T0 + 50 * H);
        List<ContentVelocity> out = out();
        // as_of T0+1h (the window result), then T0+2h .. T0+49h from timers; at T0+50h both days are
        // empty, so the state is cleared without another emission.
        assertEquals(49, out.size());
        ContentVelocity lastWithHourZero = out.get(23); // as_of T0+24h: hour 0 is still in the last 24 h
        assertEquals(T0 + 24 * H, lastWithHourZero.asOfMs);
        assertEquals(24, lastWithHourZero.viewsLast24h);
        assertEquals("rising", lastWithHourZero.trend);
        ContentVelocity declining = out.get(24); // as_of T0+25h: hour 0 is in the previous 24 h
        assertEquals(0, declining.viewsLast24h);
        assertEquals(24, declining.viewsPrevious24h);
        assertEquals("declining", declining.trend); // 0 < 0.8 * 24
        ContentVelocity empty = out.get(48); // as_of T0+49h: nothing in either day
        assertEquals(T0 + 49 * H, empty.asOfMs);
        assertEquals(0, empty.viewsLast24h);
        assertEquals(0, empty.viewsPrevious24h);
        assertEquals("stable", empty.trend);
        assertEquals(1.0, empty.peakViewsPerHour, 1e-12);
        assertEquals(T0 + H, empty.peakAtMs);
        assertEquals(49, empty.version);
        assertEquals(0, harness.numEventTimeTimers());
    }

    @Test
    void theEndOfInputEmitsNoHourThatNoRealWatermarkClosed() throws Exception {
        hour(T0, 24, 0, 0, 0);
        // Real event time reaches T0+3h: hours 1 and 2 close without events (two zero-hour rows).
        harness.processWatermark(T0 + 3 * H - 1);
        assertEquals(
                List.of(T0 + H, T0 + 2 * H, T0 + 3 * H),
                out().stream().map(v -> v.asOfMs).toList());
        // Then the input ends (the watermark jumps to the end of time): hour 3 and the 45 after it
        // have not happened, so nothing more is emitted.
        harness.processWatermark(Long.MAX_VALUE);
        assertEquals(3, out().size());
        // A window result that the end of input fires is real data and is still emitted.
        hour(T0 + 3 * H, 6, 0, 0, 0);
        assertEquals(4, out().size());
        assertEquals(30, out().get(3).viewsLast24h);
    }

    @Test
    void aLateUpdateOfAnHourReplacesItsCounts() throws Exception {
        hour(T0, 24, 0, 0, 0);
        hour(T0 + H, 24, 0, 0, 0);
        hour(T0, 48, 0, 0, 0); // hour 0 fired again (late events): 48 replaces 24
        ContentVelocity updated = out().get(2);
        assertEquals(T0 + 2 * H, updated.asOfMs); // still as of the latest closed hour
        assertEquals(72, updated.viewsLast24h);
        assertEquals(3, updated.version);
    }
}
