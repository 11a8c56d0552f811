package io.engagement.pipeline.aggregate;

import static io.engagement.pipeline.metrics.EngagementFormulas.actionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.averageWatchTimeMs;
import static io.engagement.pipeline.metrics.EngagementFormulas.completionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.engagementComponent;
import static io.engagement.pipeline.metrics.EngagementFormulas.engagementRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.engagementScore;
import static io.engagement.pipeline.metrics.EngagementFormulas.feedViews;
import static io.engagement.pipeline.metrics.EngagementFormulas.qualityScore;
import static io.engagement.pipeline.metrics.EngagementFormulas.retentionScore;
import static io.engagement.pipeline.metrics.EngagementFormulas.rewatchRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.shareRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.viralityScore;
import static io.engagement.pipeline.metrics.EngagementFormulas.watchabilityScore;

/**
 * The metrics of one content in one window: one row of ClickHouse table {@code content_metrics}
 * (docs/metrics.md). {@code version} grows with every firing of the same window (late updates), so
 * ReplacingMergeTree keeps the newest row and a replayed firing replaces, never adds.
 */
public class ContentMetrics {
    public String grain;
    public long windowStartMs;
    public long windowEndMs;
    public String contentId;
    public String creatorId;
    public long version;

    public long impressions;
    public long views;
    public long uniqueViewers;
    public boolean uniqueViewersExact;
    public long watchTimeMs;
    public double avgWatchTimeMs;
    /** Median watch time of the plays that ended in the window (WatchTimeSketch, within 1 %). */
    public double medianWatchTimeMs;
    public long completions;
    public double completionRate;
    public long endedOver75;
    public long endedOver50;
    public long endedOver25;
    public long endedUnder25;
    public long skips;
    public long swipedAway;
    public long feedViews;
    public long loopPlays;
    public long rewatches;
    public double rewatchRate;

    /** Net of unlikes / unsaves within the window, so it can be negative. */
    public long likes;
    public long comments;
    public long shares;
    public long saves;
    public long clicks;
    public long follows;
    public long unfollows;
    public long notInterested;
    public long reports;
    public long hides;

    public long viewsOrganic;
    public long viewsFollowing;
    public long viewsProfile;
    public long viewsHashtag;
    public long viewsSearch;
    public long viewsDirect;
    public long viewsOtherSource;
    public long viewsMobile;
    public long viewsTablet;
    public long viewsDesktop;
    public long viewsTv;
    public long viewsOtherDevice;
    public long viewsIos;
    public long viewsAndroid;
    public long viewsWeb;
    public long viewsOtherPlatform;

    /** Events whose creator_id contradicted the content catalogue (counted under the catalogue's creator). */
    public long creatorMismatches;
    /** Events counted while the content was not in the catalogue ({@code creatorId} is then empty). */
    public long uncataloguedEvents;

    public double engagementRate;
    public double actionRate;
    public double engagementScore;
    public double retentionScore;
    public double engagementComponent;
    public double viralityScore;
    public double watchabilityScore;
    public double qualityScore;

    public ContentMetrics() {}

    /**
     * Builds the row from a window's counters: each {@link ContentCounter} column as counted (likes and
     * saves net of unlikes and unsaves), every derived value from EngagementFormulas.
     */
    public static ContentMetrics of(Grain grain, long windowStartMs, long windowEndMs, String contentId,
                                    ContentWindowAccumulator acc, long version) {
        ContentMetrics m = new ContentMetrics();
        m.grain = grain.code();
        m.windowStartMs = windowStartMs;
        m.windowEndMs = windowEndMs;
        m.contentId = contentId;
        // Empty when the content was not in the catalogue: counted, attributed to no creator.
        m.creatorId = acc.creatorId == null ? "" : acc.creatorId;
        m.version = version;

        for (ContentCounter counter : ContentCounter.inRow()) {
            counter.copyToRow(acc, m);
        }
        m.uniqueViewers = acc.viewers.estimate();
        m.uniqueViewersExact = acc.viewers.isExact();
        m.avgWatchTimeMs = averageWatchTimeMs(acc.watchTimeMs, acc.views);
        m.medianWatchTimeMs = acc.playWatchTimes == null ? 0 : acc.playWatchTimes.median();
        m.completionRate = completionRate(acc.completions, acc.views);
        m.feedViews = feedViews(acc.viewsOrganic, acc.viewsFollowing);
        m.rewatchRate = rewatchRate(acc.rewatches, m.uniqueViewers);

        // A window can hold more unlikes than likes (the like fell in an earlier window): rates use
        // the non-negative part so a score never rewards or punishes with a negative count.
        long positiveLikes = Math.max(0, m.likes);
        long positiveSaves = Math.max(0, m.saves);
        m.engagementRate = engagementRate(positiveLikes, m.comments, m.shares, m.views);
        m.actionRate = actionRate(positiveSaves, m.shares, m.clicks, m.views);
        m.engagementScore = engagementScore(m.views, m.completions, positiveSaves, m.shares, m.clicks, m.skips);
        m.retentionScore = retentionScore(m.completionRate);
        m.engagementComponent = engagementComponent(m.engagementRate);
        m.viralityScore = viralityScore(shareRate(m.shares, m.views));
        m.watchabilityScore = watchabilityScore(m.rewatchRate);
        m.qualityScore = qualityScore(m.retentionScore, m.engagementComponent, m.viralityScore, m.watchabilityScore);
        return m;
    }

    @Override
    public String toString() {
        return "ContentMetrics{" + grain + ' ' + contentId + " @" + windowStartMs + " v" + version
                + " views=" + views + " uniques=" + uniqueViewers + '}';
    }
}
