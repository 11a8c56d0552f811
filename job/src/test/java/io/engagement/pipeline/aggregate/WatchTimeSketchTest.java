package io.engagement.pipeline.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WatchTimeSketchTest {

    private static void assertWithinOnePercent(double expected, double actual) {
        assertEquals(expected, actual, expected * 0.01, "expected " + expected + " within 1 %, got " + actual);
    }

    @Test
    void medianOfAFewPlays() {
        WatchTimeSketch sketch = new WatchTimeSketch();
        for (long ms : new long[] {30_000, 10_000, 20_000}) {
            sketch.add(ms);
        }
        assertEquals(3, sketch.count());
        assertWithinOnePercent(20_000, sketch.median());
    }

    @Test
    void evenCountTakesTheLowerMiddle() {
        WatchTimeSketch sketch = new WatchTimeSketch();
        for (long ms : new long[] {4_000, 1_000, 3_000, 2_000}) {
            sketch.add(ms);
        }
        // nearest rank: ceil(0.5 * 4) = 2nd smallest
        assertWithinOnePercent(2_000, sketch.median());
    }

    @Test
    void zeroWatchTimesCount() {
        WatchTimeSketch sketch = new WatchTimeSketch();
        sketch.add(0);
        sketch.add(0);
        sketch.add(5_000);
        assertEquals(0.0, sketch.median());
        assertWithinOnePercent(5_000, sketch.quantile(1.0));
    }

    @Test
    void emptySketchHasMedianZero() {
        assertEquals(0.0, new WatchTimeSketch().median());
        assertEquals(0, new WatchTimeSketch().count());
    }

    @Test
    void everyQuantileIsWithinOnePercentOfTheExactOne() {
        Random random = new Random(7);
        long[] samples = new long[20_000];
        WatchTimeSketch sketch = new WatchTimeSketch();
        for (int i = 0; i < samples.length; i++) {
            // log-normal-ish: most plays are short, a few are very long
            samples[i] = 1 + (long) Math.exp(8 + 2 * random.nextGaussian());
            sketch.add(samples[i]);
        }
        Arrays.sort(samples);
        for (double q : new double[] {0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0}) {
            long exact = samples[(int) Math.ceil(q * samples.length) - 1];
            assertWithinOnePercent(exact, sketch.quantile(q));
        }
    }

    @Test
    void mergingEqualsAddingEverythingToOneSketch() {
        Random random = new Random(11);
        WatchTimeSketch all = new WatchTimeSketch();
        WatchTimeSketch left = new WatchTimeSketch();
        WatchTimeSketch right = new WatchTimeSketch();
        for (int i = 0; i < 5_000; i++) {
            long ms = random.nextInt(600_000);
            all.add(ms);
            (i % 3 == 0 ? left : right).add(ms);
        }
        left.merge(right);
        assertEquals(all.count(), left.count());
        assertEquals(all.zeroCount, left.zeroCount);
        assertEquals(Arrays.toString(all.bucketIndexes), Arrays.toString(left.bucketIndexes));
        assertEquals(Arrays.toString(all.bucketCounts), Arrays.toString(left.bucketCounts));
    }

    @Test
    void subtractingAnEarlierStateLeavesTheSamplesAddedSince() {
        WatchTimeSketch earlier = new WatchTimeSketch();
        earlier.add(1_000);
        earlier.add(0);
        WatchTimeSketch now = new WatchTimeSketch();
        now.merge(earlier);
        now.add(50_000);
        now.add(60_000);
        now.add(70_000);
        now.subtract(earlier);
        assertEquals(3, now.count());
        assertEquals(0, now.zeroCount);
        assertWithinOnePercent(60_000, now.median());
        assertThrows(IllegalArgumentException.class, () -> new WatchTimeSketch().subtract(earlier));
    }

    @Test
    void rejectsNegativeSamplesAndBadQuantiles() {
        assertThrows(IllegalArgumentException.class, () -> new WatchTimeSketch().add(-1));
        assertThrows(IllegalArgumentException.class, () -> new WatchTimeSketch().quantile(1.5));
    }
}
