package io.engagement.pipeline.retention;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where plays ended, the curve and the intro hold, against hand-computed figures. */
class RetentionCountsTest {

    private static EngagementEvent swipe(Double progress, Long durationMs) {
        EngagementEvent e = event("s", EventType.SWIPE_AWAY, "c", "u", 0);
        e.progress = progress;
        e.contentDurationMs = durationMs;
        return e;
    }

    private static EngagementEvent complete(Long durationMs) {
        EngagementEvent e = event("v", EventType.VIEW_COMPLETE, "c", "u", 0);
        e.contentDurationMs = durationMs;
        return e;
    }

    @Test
    void countsWhereEachPlayEndedAndTheIntroHold() {
        RetentionCounts counts = new RetentionCounts();
        // 10 plays of a 60 s content (or of unknown length):
        counts.add(complete(60_000L)); //                  to the end: bucket 20, held at 30 s
        counts.add(complete(null)); //                     to the end, length unknown: not in the intro hold
        counts.add(swipe(1.0, 60_000L)); //                a swipe at the very end is a full play: bucket 20
        counts.add(swipe(0.0, 60_000L)); //                bucket 0, 0 s
        counts.add(swipe(0.04, 60_000L)); //               bucket 0, 2.4 s
        counts.add(swipe(0.05, 60_000L)); //               bucket 1 (from 5 %), 3 s
        counts.add(swipe(0.52, 60_000L)); //               bucket 10, 31.2 s: held
        counts.add(swipe(0.5, 60_000L)); //                bucket 10, exactly 30 s: held
        counts.add(swipe(0.999, 60_000L)); //              bucket 19, held
        counts.add(swipe(null, 60_000L)); //               no progress: the start, bucket 0
        counts.add(complete(20_000L)); //                  to the end of a 20 s content: bucket 20, no intro to hold

        long[] expected = new long[21];
        expected[0] = 3;
        expected[1] = 1;
        expected[10] = 2;
        expected[19] = 1;
        expected[20] = 4;
        assertArrayEquals(expected, counts.exits);
        assertEquals(11, counts.plays());
        assertEquals(9, counts.introPlays);
        assertEquals(5, counts.introHeld); // complete(60 s), swipe at 1.0, 0.52, 0.5, 0.999

        // Still watching at k x 5 %: 11 at 0, 8 from 5 % (3 ended in bucket 0), 7 from 10 % to 50 %,
        // 5 from 55 % to 95 %, 4 at 100 %.
        double[] curve = counts.stillWatching();
        assertEquals(1.0, curve[0]);
        assertEquals(8.0 / 11, curve[1], 1e-12);
        for (int k = 2; k <= 10; k++) {
            assertEquals(7.0 / 11, curve[k], 1e-12, "point " + k);
        }
        for (int k = 11; k <= 19; k++) {
            assertEquals(5.0 / 11, curve[k], 1e-12, "point " + k);
        }
        assertEquals(4.0 / 11, curve[20], 1e-12);
    }

    @Test
    void onlyPlayEndsCountAndNothingIsAnEmptyCurve() {
        assertTrue(RetentionCounts.endsPlay(complete(null)));
        assertTrue(RetentionCounts.endsPlay(swipe(0.3, null)));
        assertFalse(RetentionCounts.endsPlay(event("x", EventType.VIEW_START, "c", "u", 0)));
        assertFalse(RetentionCounts.endsPlay(event("x", EventType.LIKE, "c", "u", 0)));
        assertArrayEquals(new double[21], new RetentionCounts().stillWatching());
    }

    @Test
    void partsMergeIntoTheWholeAndTheCurveNeverRises() {
        Random random = new Random(11);
        RetentionCounts whole = new RetentionCounts();
        RetentionCounts first = new RetentionCounts();
        RetentionCounts second = new RetentionCounts();
        for (int i = 0; i < 5_000; i++) {
            EngagementEvent e = random.nextInt(5) == 0
                    ? complete(30_000L + random.nextInt(60_000))
                    : swipe(random.nextDouble(), random.nextBoolean() ? null : 10_000L + random.nextInt(120_000));
            whole.add(e);
            (i % 3 == 0 ? first : second).add(e);
        }
        RetentionCounts merged = first.copy();
        merged.merge(second);
        assertArrayEquals(whole.exits, merged.exits);
        assertEquals(whole.introPlays, merged.introPlays);
        assertEquals(whole.introHeld, merged.introHeld);
        assertArrayEquals(second.exits, whole.minus(first).exits);

        double[] curve = whole.stillWatching();
        for (int k = 1; k < curve.length; k++) {
            assertTrue(curve[k] <= curve[k - 1], "rises at " + k);
        }
    }

    @Test
    void theFirstOwnerKnownStaysWithTheCounts() {
        RetentionCounts window = new RetentionCounts();
        RetentionCounts unknown = new RetentionCounts();
        RetentionCounts owned = new RetentionCounts();
        owned.creatorId = "k";
        RetentionCounts later = new RetentionCounts();
        later.creatorId = "j";
        window.merge(unknown);
        assertEquals(null, window.creatorId);
        window.merge(owned);
        window.merge(later);
        assertEquals("k", window.creatorId);
        assertEquals("k", window.copy().creatorId);
    }
}
