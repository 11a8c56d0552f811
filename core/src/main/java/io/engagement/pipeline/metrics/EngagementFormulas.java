package io.engagement.pipeline.metrics;

/**
 * Every derived metric of the pipeline, defined once, as pure functions of window counters.
 * docs/metrics.md documents each one with its source seed and a worked example; the unit tests check
 * each against hand-computed values. Rates are percentages (50 = half), not capped at 100 (docs/metrics.md says which can exceed it).
 */
public final class EngagementFormulas {

    /** Seed 001 engagement score weights (points per unit of rate). */
    static final double COMPLETION_POINTS = 40;

    static final double SAVE_POINTS = 30;
    static final double SHARE_POINTS = 20;
    static final double CLICK_POINTS = 10;
    static final double SKIP_PENALTY_POINTS = 20;

    /** Seed 002 quality score weights and the rates at which each component saturates at 100. */
    static final double RETENTION_WEIGHT = 0.35;

    static final double ENGAGEMENT_WEIGHT = 0.30;
    static final double VIRALITY_WEIGHT = 0.20;
    static final double WATCHABILITY_WEIGHT = 0.15;
    static final double ENGAGEMENT_RATE_FOR_FULL_SCORE = 20.0;
    static final double SHARE_RATE_FOR_FULL_SCORE = 5.0;
    static final double REWATCH_RATE_FOR_FULL_SCORE = 30.0;

    /** Seed 002: rising above 120 % of the previous period, declining below 80 %. */
    static final double RISING_FACTOR = 1.2;

    static final double DECLINING_FACTOR = 0.8;

    private EngagementFormulas() {}

    /** {@code part / whole * 100}, and 0 when there is nothing to divide by. */
    public static double percent(long part, long whole) {
        return whole <= 0 ? 0.0 : 100.0 * part / whole;
    }

    /** Mean watch time per view in ms (seed 001 "Average Watch Time"). */
    public static double averageWatchTimeMs(long totalWatchTimeMs, long views) {
        return views <= 0 ? 0.0 : (double) totalWatchTimeMs / views;
    }

    /** Completions / views * 100 (seed 001 "Completion Rate"; seed 002 retention input). */
    public static double completionRate(long completions, long views) {
        return percent(completions, views);
    }

    /** (likes + comments + shares) / views * 100 (seed 002 calculateEngagementRate). */
    public static double engagementRate(long likes, long comments, long shares, long views) {
        return percent(likes + comments + shares, views);
    }

    /** (saves + shares + clicks) / views * 100 (seed 001 "Engagement Rate"; called action rate here). */
    public static double actionRate(long saves, long shares, long clicks, long views) {
        return percent(saves + shares + clicks, views);
    }

    /** Shares / views * 100 (seed 002 virality input). */
    public static double shareRate(long shares, long views) {
        return percent(shares, views);
    }

    /** Rewatches / unique viewers * 100 (seed 002 calculateRewatchRate). */
    public static double rewatchRate(long rewatches, long uniqueViewers) {
        return percent(rewatches, uniqueViewers);
    }

    /**
     * Seed 001 engagement score, 0..100: 40 * completions/views + 30 * saves/views + 20 * shares/views
     * + 10 * clicks/views - 20 * skips/views, clamped to [0, 100]. 0 when there are no views.
     */
    public static double engagementScore(
            long views, long completions, long saves, long shares, long clicks, long skips) {
        if (views <= 0) {
            return 0.0;
        }
        double v = views;
        double raw = COMPLETION_POINTS * completions / v
                + SAVE_POINTS * saves / v
                + SHARE_POINTS * shares / v
                + CLICK_POINTS * clicks / v
                - SKIP_PENALTY_POINTS * skips / v;
        return clamp(raw, 0, 100);
    }

    /** Seed 002 retention component: the completion rate, capped at 100. */
    public static double retentionScore(double completionRatePercent) {
        return clamp(completionRatePercent, 0, 100);
    }

    /** Seed 002 engagement component: engagement rate / 20 % * 100, capped at 100. */
    public static double engagementComponent(double engagementRatePercent) {
        return clamp(engagementRatePercent / ENGAGEMENT_RATE_FOR_FULL_SCORE * 100, 0, 100);
    }

    /** Seed 002 virality component: share rate / 5 % * 100, capped at 100. */
    public static double viralityScore(double shareRatePercent) {
        return clamp(shareRatePercent / SHARE_RATE_FOR_FULL_SCORE * 100, 0, 100);
    }

    /** Seed 002 watchability component: rewatch rate / 30 % * 100, capped at 100. */
    public static double watchabilityScore(double rewatchRatePercent) {
        return clamp(rewatchRatePercent / REWATCH_RATE_FOR_FULL_SCORE * 100, 0, 100);
    }

    /** Seed 002 overall quality: 35 % retention + 30 % engagement + 20 % virality + 15 % watchability. */
    public static double qualityScore(double retention, double engagement, double virality, double watchability) {
        return RETENTION_WEIGHT * retention
                + ENGAGEMENT_WEIGHT * engagement
                + VIRALITY_WEIGHT * virality
                + WATCHABILITY_WEIGHT * watchability;
    }

    /**
     * The watch time of a play that ended, the sample behind the median watch time: the client's
     * {@code total_watch_time_ms} when sent; otherwise how far the play got times the content length
     * (a view_complete got to the end). {@code null} when neither is known (no sample).
     */
    public static Long playWatchTimeMs(
            Long totalWatchTimeMs, Double progress, Long contentDurationMs, boolean completed) {
        if (totalWatchTimeMs != null) {
            return totalWatchTimeMs;
        }
        if (contentDurationMs == null) {
            return null;
        }
        double reached = completed ? 1.0 : progress == null ? 0.0 : progress;
        return Math.round(reached * contentDurationMs);
    }

    /** Mean of per-content completion rates, over contents with views (seed 001 averageCompletionRate). */
    public static double averageCompletionRate(double sumOfCompletionRates, long contentsWithViews) {
        return contentsWithViews == 0 ? 0 : sumOfCompletionRates / contentsWithViews;
    }

    /** Seed 002 impressions.feedViews: views started in a feed, the for-you feed or the following feed. */
    public static long feedViews(long viewsOrganic, long viewsFollowing) {
        return viewsOrganic + viewsFollowing;
    }

    /** Seed 002 trend: compare the current period's count with the previous period's. */
    public static Trend trend(double current, double previous) {
        if (current > previous * RISING_FACTOR) {
            return Trend.RISING;
        }
        if (current < previous * DECLINING_FACTOR) {
            return Trend.DECLINING;
        }
        return Trend.STABLE;
    }

    /** Seed 002 velocity: a count over the last 24 h expressed per hour. */
    public static double perHour(long countLast24h) {
        return countLast24h / 24.0;
    }

    /** Seed 002: trending when views per hour reach the threshold and the trend is rising. */
    public static boolean trending(double viewsPerHour, double minViewsPerHour, Trend trend) {
        return viewsPerHour >= minViewsPerHour && trend == Trend.RISING;
    }

    static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
