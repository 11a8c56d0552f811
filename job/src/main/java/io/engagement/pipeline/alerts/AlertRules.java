package io.engagement.pipeline.alerts;

import java.io.Serializable;

/**
 * When the stream raises a creator alert (the {@code alerts.*} settings, docs/metrics.md#creator-alerts).
 *
 * @param spikeFactor a content's closed minute with at least this many times its typical minute's views
 * @param minSpikeViews and at least this many views
 * @param dropFactor a content's last {@link ContentViewTrend#SPAN_MINUTES} minutes with at most
 *     1/dropFactor of their typical views
 * @param minTypicalViewsPerMinute drops are watched only on contents typically this busy
 * @param creatorDayFactor a creator's closed day at least this many times, or at most 1/this of, its typical day
 * @param minCreatorDayViews creator day alerts only where the typical day or the day itself has this many views
 */
public record AlertRules(
        double spikeFactor,
        long minSpikeViews,
        double dropFactor,
        double minTypicalViewsPerMinute,
        double creatorDayFactor,
        long minCreatorDayViews)
        implements Serializable {

    public AlertRules {
        if (spikeFactor <= 1 || dropFactor <= 1 || creatorDayFactor <= 1) {
            throw new IllegalArgumentException("alert factors must be above 1");
        }
    }
}
