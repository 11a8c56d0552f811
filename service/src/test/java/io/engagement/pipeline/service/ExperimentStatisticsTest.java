package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.service.ExperimentStatistics.Interval;
import io.engagement.pipeline.service.ExperimentStatistics.Sample;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * The experiment statistics on simulated experiments (seeded, so the counts below are reproducible):
 * users arrive in 20 batches and the numbers are looked at after each, as people do.
 */
class ExperimentStatisticsTest {

    private static final int LOOKS = 20;
    private static final int USERS_PER_LOOK = 100; // per variant

    /** Per-user views: Poisson, by inversion (no library sampler, so the test owns its randomness). */
    private static int poisson(Random random, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        double cumulative = l;
        double term = l;
        while (p > cumulative) {
            k++;
            term *= mean / k;
            cumulative += term;
        }
        return k;
    }

    /** Accumulates users' values into a {@link Sample}. */
    private static final class Sums {
        long n;
        double sum;
        double squares;

        void add(double x) {
            n++;
            sum += x;
            squares += x * x;
        }

        Sample sample() {
            return new Sample(n, sum, squares);
        }
    }

    /** An experiment run look by look: per look, whether the interval held {@code trueDifference}. */
    private record Run(boolean alwaysValidEverMissed, boolean naiveEverMissed, Interval last) {}

    private static Run run(DoubleSupplier control, DoubleSupplier treatment, double trueDifference) {
        Sums a = new Sums();
        Sums b = new Sums();
        boolean validMissed = false;
        boolean naiveMissed = false;
        Interval last = null;
        for (int look = 0; look < LOOKS; look++) {
            for (int u = 0; u < USERS_PER_LOOK; u++) {
                a.add(control.getAsDouble());
                b.add(treatment.getAsDouble());
            }
            last = ExperimentStatistics.alwaysValid(a.sample(), b.sample(), 0.05);
            validMissed |= trueDifference < last.low() || trueDifference > last.high();
            Interval naive = ExperimentStatistics.fixedHorizon(a.sample(), b.sample(), 0.05);
            naiveMissed |= trueDifference < naive.low() || trueDifference > naive.high();
        }
        return new Run(validMissed, naiveMissed, last);
    }

    @Test
    void withoutAnEffectTheIntervalCoversZeroAtEveryLookWhereTheTextbookOneDoesNot() {
        Random random = new Random(42);
        int validMissed = 0;
        int naiveMissed = 0;
        int coveredAtTheEnd = 0;
        for (int experiment = 0; experiment < 100; experiment++) {
            Run r = run(() -> poisson(random, 3), () -> poisson(random, 3), 0);
            validMissed += r.alwaysValidEverMissed() ? 1 : 0;
            naiveMissed += r.naiveEverMissed() ? 1 : 0;
            coveredAtTheEnd += r.last().low() <= 0 && r.last().high() >= 0 ? 1 : 0;
        }
        System.out.printf(
                "100 null experiments, 20 looks each: always-valid missed 0 at some look in %d, textbook in %d;"
                        + " covered at the last look: %d%n",
                validMissed, naiveMissed, coveredAtTheEnd);
        // Always valid: at most alpha (5 %) of experiments ever exclude the true difference, whenever looked at.
        assertTrue(validMissed <= 5, "always-valid interval missed in " + validMissed + " of 100");
        assertTrue(coveredAtTheEnd >= 95, "covered at the end in " + coveredAtTheEnd + " of 100");
        // The textbook interval, looked at 20 times, misses far more often: the problem this solves.
        assertTrue(naiveMissed >= 2 * Math.max(validMissed, 5), "textbook interval missed in " + naiveMissed);
    }

    @Test
    void aPlantedLiftIsDetectedAndItsSizeCovered() {
        Random random = new Random(7);
        int detected = 0;
        int covered = 0;
        for (int experiment = 0; experiment < 20; experiment++) {
            // +10 % views per user: 3.0 against 3.3.
            Run r = run(() -> poisson(random, 3), () -> poisson(random, 3.3), 0.3);
            detected += r.last().low() > 0 ? 1 : 0;
            covered += r.last().low() <= 0.3 && r.last().high() >= 0.3 ? 1 : 0;
        }
        assertTrue(detected >= 19, "detected in " + detected + " of 20");
        assertEquals(20, covered);
    }

    @Test
    void theIntervalOfAKnownSampleByHand() {
        // Control: 4 users with 1, 2, 3, 4 views (mean 2.5, variance 5/3); treatment: 4 users with 2, 3, 4, 5.
        Sample a = new Sample(4, 10, 30);
        Sample b = new Sample(4, 14, 54);
        double v = 5.0 / 3 / 4 * 2; // 0.8333
        double tau2 = 0.01 * 5.0 / 3;
        double half = Math.sqrt(v * (v + tau2) / tau2 * (2 * Math.log(20) + Math.log((v + tau2) / v)));
        Interval i = ExperimentStatistics.alwaysValid(a, b, 0.05);
        assertEquals(1.0, i.difference(), 1e-12);
        assertEquals(1.0 - half, i.low(), 1e-9);
        assertEquals(1.0 + half, i.high(), 1e-9);
        assertFalse(i.excludesZero());
    }

    @Test
    void aFiftyFiveFortyFiveSplitOfAFiftyFiftyDesignRaisesTheAlarmAndAFairSplitDoesNot() {
        double[] design = {0.5, 0.5};
        Random random = new Random(3);
        // A broken assignment: 55 % to control. 4 000 users, looked at every 200.
        long[] counts = new long[2];
        boolean alarm = false;
        int usersAtAlarm = 0;
        for (int user = 1; user <= 4_000 && !alarm; user++) {
            counts[random.nextDouble() < 0.55 ? 0 : 1]++;
            if (user % 200 == 0 && ExperimentStatistics.sampleRatioMismatch(counts, design, 0.001)) {
                alarm = true;
                usersAtAlarm = user;
            }
        }
        assertTrue(alarm, "55/45 not flagged after 4 000 users: " + counts[0] + "/" + counts[1]);
        System.out.printf("55/45 flagged after %d users%n", usersAtAlarm);
        // 100 fair experiments, looked at every 200 users: none (or almost none) ever raises it.
        int falseAlarms = 0;
        for (int experiment = 0; experiment < 100; experiment++) {
            long[] fair = new long[2];
            boolean raised = false;
            for (int user = 1; user <= 4_000; user++) {
                fair[random.nextBoolean() ? 0 : 1]++;
                raised |= user % 200 == 0 && ExperimentStatistics.sampleRatioMismatch(fair, design, 0.001);
            }
            falseAlarms += raised ? 1 : 0;
        }
        assertTrue(falseAlarms <= 1, falseAlarms + " of 100 fair experiments flagged");
        // By hand: 1 100 against 900 under a 50/50 design, k = 100 (computed apart with Python's math.lgamma).
        assertEquals(8.018, ExperimentStatistics.sampleRatioLogBayesFactor(new long[] {1100, 900}, design), 1e-3);
    }
}
