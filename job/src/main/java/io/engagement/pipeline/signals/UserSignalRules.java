package io.engagement.pipeline.signals;

import java.io.Serializable;

/**
 * How per-user signals are kept ({@code user-signals.*} settings, docs/configuration.md).
 *
 * @param halfLifeMs event time after which a signal's weight has halved
 * @param stateTtlMs processing time without a signal after which a user's state is dropped
 * @param maxEntries affinities kept per dimension (creators, categories, hashtags); the weakest goes first
 * @param recentNegatives negative items kept per user, newest first
 * @param quickSkipMs a play left with less watch time than this is a quick skip (a negative signal)
 * @param maxViewStartsPerMinute view starts a user may make in an event-time minute; above it the user
 *     is flagged as a suspect (a view farm's account): its profile is emptied and stays empty for a day
 * @param emitIntervalMs how long a user's changes may wait on the heap before their update is written
 * @param bundleMaxSignals signals a subtask keeps on the heap before applying them
 */
public record UserSignalRules(
        long halfLifeMs,
        long stateTtlMs,
        int maxEntries,
        int recentNegatives,
        long quickSkipMs,
        int maxViewStartsPerMinute,
        long emitIntervalMs,
        int bundleMaxSignals)
        implements Serializable {

    /** How long a flagged user's signals are ignored, from the end of the minute that flagged it. */
    public static final long SUSPECT_HOLD_MS = 24 * 3_600_000L;

    public UserSignalRules {
        if (halfLifeMs <= 0 || stateTtlMs <= 0 || maxEntries < 1 || recentNegatives < 0 || quickSkipMs < 0) {
            throw new IllegalArgumentException("invalid user signal rules: " + halfLifeMs + ", " + stateTtlMs + ", "
                    + maxEntries + ", " + recentNegatives + ", " + quickSkipMs);
        }
        if (maxViewStartsPerMinute < 1 || emitIntervalMs <= 0 || bundleMaxSignals < 1) {
            throw new IllegalArgumentException("invalid user signal rules: " + maxViewStartsPerMinute + ", "
                    + emitIntervalMs + ", " + bundleMaxSignals);
        }
    }
}
