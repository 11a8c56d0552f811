package io.engagement.pipeline.service;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * The statistics of the experiment route (docs/metrics.md#experiments), on per-user sums a query has
 * already made: no event data here, so each method is checked on simulated experiments alone
 * ({@code ExperimentStatisticsTest}).
 *
 * <p><b>Always-valid intervals.</b> People look at an experiment's numbers every day and stop when they
 * like what they see; a fixed-horizon 95 % interval looked at twenty times excludes a zero effect in
 * about a quarter of null experiments. The interval here is the mixture sequential probability ratio
 * test's (mSPRT: Johari, Koomen, Pekelis and Walsh, "Always Valid Inference: Continuous Monitoring of
 * A/B Tests", Operations Research 70(3), 2022), inverted: for the difference of the variants' means with
 * variance {@code V = s_a^2/n_a + s_b^2/n_b} and a normal mixture of variance {@code tau^2} over effects,
 * <pre>  difference +- sqrt( V (V + tau^2) / tau^2 * (2 ln(1/alpha) + ln((V + tau^2) / V)) )</pre>
 * which covers the true difference at every look at once with probability at least {@code 1 - alpha}
 * (for sums of independent per-user values, normal approximation, variances estimated). {@code tau} is
 * {@link #MIXTURE_SD} pooled standard deviations: the effect sizes the test is most sensitive to.
 *
 * <p><b>Sample ratio mismatch.</b> Users are assigned to variants by a design split (50/50 by default);
 * when the observed counts stray from it, assignment or logging is broken and no metric difference can
 * be trusted. The alarm is the sequential multinomial test of Lindon and Malek ("Anytime-Valid Inference
 * for Multinomial Count Data", NeurIPS 2022): the Bayes factor of a Dirichlet({@code k p}) mixture against
 * the design split {@code p}, raised when it passes {@code 1/alpha}; like the interval, it may be looked
 * at as often as one likes.
 */
public final class ExperimentStatistics {

    /** The mixture's standard deviation, in pooled standard deviations of the per-user metric. */
    public static final double MIXTURE_SD = 0.1;
    /** Concentration {@code k} of the Dirichlet mixture of the sample-ratio test. */
    public static final double SRM_CONCENTRATION = 100;
    /** The sample-ratio alarm's level: a broken assignment is worth stopping for, a false alarm costly. */
    public static final double SRM_ALPHA = 0.001;

    private ExperimentStatistics() {}

    /** One per-user metric in one variant: users, the sum of their values and of their squares. */
    public record Sample(long n, double sum, double sumOfSquares) {
        public double mean() {
            return n == 0 ? 0 : sum / n;
        }

        /** Unbiased sample variance; 0 with fewer than two users. */
        public double variance() {
            if (n < 2) {
                return 0;
            }
            double mean = mean();
            return Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
        }
    }

    /** {@code treatment - control} and a confidence interval around it; NaN bounds when undefined. */
    public record Interval(double difference, double low, double high) {
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /** The always-valid interval at level {@code 1 - alpha} (mSPRT, above). */
    public static Interval alwaysValid(Sample control, Sample treatment, double alpha) {
        double difference = treatment.mean() - control.mean();
        if (control.n() < 2 || treatment.n() < 2) {
            return new Interval(difference, Double.NaN, Double.NaN);
        }
        double v = control.variance() / control.n() + treatment.variance() / treatment.n();
        double pooled = (control.variance() + treatment.variance()) / 2;
        double tau2 = MIXTURE_SD * MIXTURE_SD * pooled;
        if (v <= 0 || tau2 <= 0) {
            return new Interval(difference, difference, difference); // every user the same value
        }
        double half = Math.sqrt(v * (v + tau2) / tau2 * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)));
        return new Interval(difference, difference - half, difference + half);
    }

    /**
     * The textbook fixed-horizon interval (normal, unequal variances): valid at one look planned in
     * advance, not under repeated looks. Kept for comparison (tests, docs), never served.
     */
    public static Interval fixedHorizon(Sample control, Sample treatment, double alpha) {
        double difference = treatment.mean() - control.mean();
        double v = control.variance() / control.n() + treatment.variance() / treatment.n();
        double z = new NormalDistribution().inverseCumulativeProbability(1 - alpha / 2);
        return new Interval(difference, difference - z * Math.sqrt(v), difference + z * Math.sqrt(v));
    }

    /**
     * The natural log of the sample-ratio Bayes factor: users per variant {@code counts} against the
     * design {@code split} (shares summing to 1). Above {@code ln(1/alpha)}: a mismatch.
     */
    public static double sampleRatioLogBayesFactor(long[] counts, double[] split) {
        if (counts.length != split.length || counts.length < 2) {
            throw new IllegalArgumentException("one design share per variant, at least two variants");
        }
        double k = SRM_CONCENTRATION;
        long n = 0;
        double log = 0;
        for (int i = 0; i < counts.length; i++) {
            double a = k * split[i];
            log += Gamma.logGamma(a + counts[i]) - Gamma.logGamma(a) - counts[i] * Math.log(split[i]);
            n += counts[i];
        }
        return log + Gamma.logGamma(k) - Gamma.logGamma(k + n);
    }

    /** Whether {@link #sampleRatioLogBayesFactor} passes {@code ln(1/alpha)}. */
    public static boolean sampleRatioMismatch(long[] counts, double[] split, double alpha) {
        return sampleRatioLogBayesFactor(counts, split) > Math.log(1 / alpha);
    }
}
