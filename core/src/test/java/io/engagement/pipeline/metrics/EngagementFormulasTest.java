package io.engagement.pipeline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values are worked out by hand in the comments (also in docs/metrics.md). */
class EngagementFormulasTest {

    private static final double EPS = 1e-9;

    @Test
    void ratesArePercentagesAndZeroWithoutViews() {
        assertEquals(25.0, EngagementFormulas.completionRate(5, 20), EPS); // 5/20 = 25 %
        assertEquals(0.0, EngagementFormulas.completionRate(3, 0), EPS);
        assertEquals(35.0, EngagementFormulas.engagementRate(4, 2, 1, 20), EPS); // (4+2+1)/20 = 35 %
        assertEquals(30.0, EngagementFormulas.actionRate(3, 1, 2, 20), EPS); // (3+1+2)/20 = 30 %
        assertEquals(5.0, EngagementFormulas.shareRate(1, 20), EPS); // 1/20 = 5 %
        assertEquals(20.0, EngagementFormulas.rewatchRate(3, 15), EPS); // 3/15 = 20 %
        assertEquals(1250.0, EngagementFormulas.averageWatchTimeMs(25_000, 20), EPS);
        assertEquals(0.0, EngagementFormulas.averageWatchTimeMs(25_000, 0), EPS);
    }

    @Test
    void playWatchTimePrefersTheClientTotal() {
        assertEquals(14_000L, EngagementFormulas.playWatchTimeMs(14_000L, 0.25, 30_000L, false));
        // no total: 0.25 of a 30 s video = 7.5 s
        assertEquals(7_500L, EngagementFormulas.playWatchTimeMs(null, 0.25, 30_000L, false));
        // a completed play reached the end even without progress
        assertEquals(30_000L, EngagementFormulas.playWatchTimeMs(null, null, 30_000L, true));
        assertEquals(0L, EngagementFormulas.playWatchTimeMs(null, null, 30_000L, false));
        assertEquals(null, EngagementFormulas.playWatchTimeMs(null, 0.5, null, false));
    }

    @Test
    void creatorAndFeedAggregates() {
        // contents at 50 %, 25 % and 0 % completion: (50 + 25 + 0) / 3 = 25 %
        assertEquals(25.0, EngagementFormulas.averageCompletionRate(75.0, 3), EPS);
        assertEquals(0.0, EngagementFormulas.averageCompletionRate(0.0, 0), EPS);
        assertEquals(7L, EngagementFormulas.feedViews(5, 2));
    }

    @Test
    void engagementScoreUsesSeed001Weights() {
        // 20 views, 10 completions, 2 saves, 1 share, 4 clicks, 5 skips:
        // 40*0.5 + 30*0.1 + 20*0.05 + 10*0.2 - 20*0.25 = 20 + 3 + 1 + 2 - 5 = 21
        assertEquals(21.0, EngagementFormulas.engagementScore(20, 10, 2, 1, 4, 5), EPS);
    }

    @Test
    void engagementScoreIsClampedToZeroAndHundred() {
        // 10 views, 0 completions, 10 skips: -20 -> 0
        assertEquals(0.0, EngagementFormulas.engagementScore(10, 0, 0, 0, 0, 10), EPS);
        // 1 view, 3 completions (completions from plays started earlier), 2 saves: 120 + 60 -> 100
        assertEquals(100.0, EngagementFormulas.engagementScore(1, 3, 2, 0, 0, 0), EPS);
        assertEquals(0.0, EngagementFormulas.engagementScore(0, 3, 2, 1, 1, 0), EPS);
    }

    @Test
    void qualityComponentsSaturateAtSeed002Caps() {
        assertEquals(50.0, EngagementFormulas.engagementComponent(10.0), EPS); // 10/20 * 100
        assertEquals(100.0, EngagementFormulas.engagementComponent(35.0), EPS); // capped
        assertEquals(60.0, EngagementFormulas.viralityScore(3.0), EPS); // 3/5 * 100
        assertEquals(100.0, EngagementFormulas.viralityScore(5.0), EPS);
        assertEquals(50.0, EngagementFormulas.watchabilityScore(15.0), EPS); // 15/30 * 100
        assertEquals(100.0, EngagementFormulas.watchabilityScore(90.0), EPS);
        assertEquals(100.0, EngagementFormulas.retentionScore(150.0), EPS);
        assertEquals(42.0, EngagementFormulas.retentionScore(42.0), EPS);
    }

    @Test
    void qualityScoreWeightsTheFourComponents() {
        // 0.35*40 + 0.30*50 + 0.20*60 + 0.15*20 = 14 + 15 + 12 + 3 = 44
        assertEquals(44.0, EngagementFormulas.qualityScore(40, 50, 60, 20), EPS);
        assertEquals(100.0, EngagementFormulas.qualityScore(100, 100, 100, 100), EPS);
    }

    @Test
    void trendComparesWithThePreviousPeriod() {
        assertEquals(Trend.RISING, EngagementFormulas.trend(121, 100));
        assertEquals(Trend.STABLE, EngagementFormulas.trend(120, 100)); // exactly +20 % is not rising
        assertEquals(Trend.STABLE, EngagementFormulas.trend(80, 100)); // exactly -20 % is not declining
        assertEquals(Trend.DECLINING, EngagementFormulas.trend(79, 100));
        assertEquals(Trend.RISING, EngagementFormulas.trend(1, 0));
        assertEquals(Trend.STABLE, EngagementFormulas.trend(0, 0));
    }

    @Test
    void velocityIsPerHourOverTheLastDayAndTrendingNeedsRisingAndTheThreshold() {
        assertEquals(100.0, EngagementFormulas.perHour(2_400), EPS); // 2 400 views / 24 h
        assertEquals(0.125, EngagementFormulas.perHour(3), EPS);
        assertEquals(true, EngagementFormulas.trending(100.0, 100, Trend.RISING));
        assertEquals(false, EngagementFormulas.trending(99.9, 100, Trend.RISING));
        assertEquals(false, EngagementFormulas.trending(500.0, 100, Trend.STABLE));
    }

    @Test
    void completionBucketsAreInclusiveAtTheirLowerBound() {
        assertEquals(CompletionBucket.FULL, CompletionBucket.of(1.0));
        assertEquals(CompletionBucket.OVER_75, CompletionBucket.of(0.75));
        assertEquals(CompletionBucket.OVER_75, CompletionBucket.of(0.99));
        assertEquals(CompletionBucket.OVER_50, CompletionBucket.of(0.5));
        assertEquals(CompletionBucket.OVER_25, CompletionBucket.of(0.25));
        assertEquals(CompletionBucket.UNDER_25, CompletionBucket.of(0.2499));
        assertEquals(CompletionBucket.UNDER_25, CompletionBucket.of(0.0));
    }
}
