package io.engagement.pipeline.creator;

import static io.engagement.pipeline.metrics.EngagementFormulas.actionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.averageCompletionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.averageWatchTimeMs;
import static io.engagement.pipeline.metrics.EngagementFormulas.completionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.engagementRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.engagementScore;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.aggregate.UniqueViewerSketch;
import io.engagement.pipeline.aggregate.WatchTimeSketch;

import java.util.Collection;

/**
 * One creator's roll-up of one window (seed 001 creator analytics): one row of ClickHouse table
 * {@code creator_metrics} (docs/metrics.md). Totals are sums of the creator's content windows of the
 * same grain; unique viewers and the median watch time come from merged sketches; rates are computed
 * from the totals with the same formulas as the content rows.
 */
public class CreatorMetrics {
    public String grain;
    public long windowStartMs;
    public long windowEndMs;
    public String creatorId;
    public long version;

    /** Contents of the creator with at least one event in the window. */
    public long contents;
    public long impressions;
    public long views;
    public long uniqueViewers;
    public boolean uniqueViewersExact;
    public long watchTimeMs;
    public double avgWatchTimeMs;
    public double medianWatchTimeMs;
    public long completions;
    public double completionRate;
    /** Mean of the completion rates of the contents that had views (seed 001 averageCompletionRate). */
    public double avgCompletionRate;
    public long likes;
    public long comments;
    public long shares;
    public long saves;
    public long clicks;
    public long follows;
    public long skips;
    public double engagementRate;
    public double actionRate;
    public double engagementScore;

    /** Highest seed 001 engagement score among the contents with views; ties: more views, then id. */
    public String topContentId;
    public long topContentViews;
    public double topContentEngagementScore;

    public CreatorMetrics() {}

    /** Builds the row from the newest firing of each of the creator's content windows. */
    public static CreatorMetrics of(Grain grain, long windowStartMs, long windowEndMs, String creatorId,
                                    Collection<ContentWindowSnapshot> contents, long version) {
        CreatorMetrics m = new CreatorMetrics();
        m.grain = grain.code();
        m.windowStartMs = windowStartMs;
        m.windowEndMs = windowEndMs;
        m.creatorId = creatorId;
        m.version = version;

        UniqueViewerSketch viewers = new UniqueViewerSketch();
        WatchTimeSketch playWatchTimes = new WatchTimeSketch();
        double sumOfCompletionRates = 0;
        long contentsWithViews = 0;
        ContentMetrics top = null;
        for (ContentWindowSnapshot snapshot : contents) {
            ContentMetrics c = ContentMetrics.of(grain, windowStartMs, windowEndMs, snapshot.contentId,
                    snapshot.counters, snapshot.version);
            m.contents++;
            m.impressions += c.impressions;
            m.views += c.views;
            m.watchTimeMs += c.watchTimeMs;
            m.completions += c.completions;
            m.likes += c.likes;
            m.comments += c.comments;
            m.shares += c.shares;
            m.saves += c.saves;
            m.clicks += c.clicks;
            m.follows += c.follows;
            m.skips += c.skips;
            viewers.merge(snapshot.counters.viewers);
            if (snapshot.counters.playWatchTimes != null) {
                playWatchTimes.merge(snapshot.counters.playWatchTimes);
            }
            if (c.views > 0) {
                contentsWithViews++;
                sumOfCompletionRates += c.completionRate;
                if (top == null || ranksAbove(c, top)) {
                    top = c;
                }
            }
        }
        m.uniqueViewers = viewers.estimate();
        m.uniqueViewersExact = viewers.isExact();
        m.avgWatchTimeMs = averageWatchTimeMs(m.watchTimeMs, m.views);
        m.medianWatchTimeMs = playWatchTimes.median();
        m.completionRate = completionRate(m.completions, m.views);
        m.avgCompletionRate = averageCompletionRate(sumOfCompletionRates, contentsWithViews);
        long positiveLikes = Math.max(0, m.likes);
        long positiveSaves = Math.max(0, m.saves);
        m.engagementRate = engagementRate(positiveLikes, m.comments, m.shares, m.views);
        m.actionRate = actionRate(positiveSaves, m.shares, m.clicks, m.views);
        m.engagementScore = engagementScore(m.views, m.completions, positiveSaves, m.shares, m.clicks, m.skips);
        if (top != null) {
            m.topContentId = top.contentId;
            m.topContentViews = top.views;
            m.topContentEngagementScore = top.engagementScore;
        }
        return m;
    }

    private static boolean ranksAbove(ContentMetrics a, ContentMetrics b) {
        if (a.engagementScore != b.engagementScore) {
            return a.engagementScore > b.engagementScore;
        }
        if (a.views != b.views) {
            return a.views > b.views;
        }
        return a.contentId.compareTo(b.contentId) < 0;
    }

    @Override
    public String toString() {
        return "CreatorMetrics{" + grain + ' ' + creatorId + " @" + windowStartMs + " v" + version
                + " contents=" + contents + " views=" + views + " top=" + topContentId + '}';
    }
}
