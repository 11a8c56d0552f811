package io.engagement.pipeline.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UniqueViewerSketchTest {

    @Test
    void countsExactlyUpToTheExactLimit() {
        UniqueViewerSketch sketch = new UniqueViewerSketch();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < UniqueViewerSketch.EXACT_LIMIT; i++) {
                sketch.add("u:" + i);
            }
        }
        assertTrue(sketch.isExact());
        assertEquals(UniqueViewerSketch.EXACT_LIMIT, sketch.estimate());
    }

    @Test
    void largeCardinalitiesStayWithinThreeStandardErrors() {
        for (int n : new int[] {600, 5_000, 100_000}) {
            UniqueViewerSketch sketch = new UniqueViewerSketch();
            for (int i = 0; i < n; i++) {
                sketch.add("u:" + i);
                sketch.add("u:" + i); // repeats must not count
            }
            assertFalse(sketch.isExact());
            double relativeError = Math.abs(sketch.estimate() - n) / (double) n;
            // standard error of HLL with 4096 registers is 1.04/64 = 1.6 %
            assertTrue(relativeError < 0.05, n + " estimated as " + sketch.estimate());
        }
    }

    @Test
    void mergeIsAUnion() {
        UniqueViewerSketch a = new UniqueViewerSketch();
        UniqueViewerSketch b = new UniqueViewerSketch();
        for (int i = 0; i < 300; i++) {
            a.add("u:" + i);
        }
        for (int i = 200; i < 450; i++) {
            b.add("u:" + i);
        }
        a.merge(b);
        assertTrue(a.isExact());
        assertEquals(450, a.estimate()); // 0..449

        UniqueViewerSketch big = new UniqueViewerSketch();
        for (int i = 0; i < 20_000; i++) {
            big.add("u:" + i);
        }
        UniqueViewerSketch small = new UniqueViewerSketch();
        for (int i = 19_900; i < 20_100; i++) {
            small.add("u:" + i);
        }
        small.merge(big); // exact + registers -> registers
        assertFalse(small.isExact());
        assertTrue(Math.abs(small.estimate() - 20_100) / 20_100.0 < 0.05, "estimate " + small.estimate());
    }
}
