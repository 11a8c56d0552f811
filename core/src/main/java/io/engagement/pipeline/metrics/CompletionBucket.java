package io.engagement.pipeline.metrics;

/**
 * Where a play ended, as a fraction of the content watched (seed 002 completion buckets).
 * Boundaries are inclusive at the bottom: progress 0.75 is OVER_75, 0.5 is OVER_50, 0.25 is OVER_25.
 */
public enum CompletionBucket {
    FULL,
    OVER_75,
    OVER_50,
    OVER_25,
    UNDER_25;

    public static CompletionBucket of(double progress) {
        if (progress >= 1.0) {
            return FULL;
        }
        if (progress >= 0.75) {
            return OVER_75;
        }
        if (progress >= 0.5) {
            return OVER_50;
        }
        if (progress >= 0.25) {
            return OVER_25;
        }
        return UNDER_25;
    }
}
