package io.engagement.pipeline.creator;

import static io.engagement.pipeline.metrics.EngagementFormulas.actionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.averageCompletionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.averageWatchTimeMs;
import static io.engagement.pipeline.metrics.EngagementFormulas.completionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.engagementRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.engagementScore;

import io.engagement.pipeline.aggregate.ContentCounter;
import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.aggregate.ScoreBasis;

/**
 * One creator's roll-up of one window (seed 001 creator analytics): one row of ClickHouse table
 * {@code creator_metrics} (docs/metrics.md). Totals are sums of the creator's content windows of the
 * same grain (their newest firings); unique viewers and the median watch time come from merged
 * sketches; rates are computed from the totals with the same formulas as the content rows.
 */
public class CreatorMetrics {
    public String grain;
    public long windowStartMs;
    public long windowEndMs;
    public String creatorId;
    public long version;
    /** Fired before the window closed: the running value, replaced by the final row (version 0). */
    public boolean provisional;

    /** Contents of the creator with at least one event in the window. */
    public long contents;

    public long impressions;
    public long views;
    /** Sums of the content rows' validated counters (docs/metrics.md, validated views). */
    public long validatedViews;

    public long validatedCompletions;
    public long validatedWatchTimeMs;
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

    /** The row with rates and scores over every counted play ({@link ScoreBasis#COUNTED}). */
    public static CreatorMetrics of(
            Grain grain, long windowStartMs, long windowEndMs, String creatorId, CreatorAccumulator acc, long version) {
        return of(grain, windowStartMs, windowEndMs, creatorId, acc, version, ScoreBasis.COUNTED);
    }

    /**
     * Builds the row from the creator's window accumulator ({@link CreatorRollup}), rates and scores
     * over the plays of {@code basis}, as its content rows.
     */
    public static CreatorMetrics of(
            Grain grain,
            long windowStartMs,
            long windowEndMs,
            String creatorId,
            CreatorAccumulator acc,
            long version,
            ScoreBasis basis) {
        CreatorMetrics m = new CreatorMetrics();
        m.grain = grain.code();
        m.windowStartMs = windowStartMs;
        m.windowEndMs = windowEndMs;
        m.creatorId = creatorId;
        m.version = version;

        ContentWindowAccumulator t = acc.totals;
        m.contents = acc.contents;
        m.impressions = t.impressions;
        m.views = t.views;
        m.validatedViews = t.validatedViews;
        m.validatedCompletions = t.validatedCompletions;
        m.validatedWatchTimeMs = t.validatedWatchTimeMs;
        m.watchTimeMs = t.watchTimeMs;
        m.completions = t.completions;
        // Net of unlikes and unsaves, like the content rows (whose sum this is).
        m.likes = ContentCounter.LIKES.rowValue(t);
        m.comments = t.comments;
        m.shares = t.shares;
        m.saves = ContentCounter.SAVES.rowValue(t);
        m.clicks = t.clicks;
        m.follows = t.follows;
        m.skips = t.skips;
        m.uniqueViewers = t.viewers.estimate();
        m.uniqueViewersExact = t.viewers.isExact();
        long views = basis.views(t);
        long completions = basis.completions(t);
        m.avgWatchTimeMs = averageWatchTimeMs(basis.watchTimeMs(t), views);
        m.medianWatchTimeMs = t.playWatchTimes == null ? 0 : t.playWatchTimes.median();
        m.completionRate = completionRate(completions, views);
        m.avgCompletionRate = averageCompletionRate(acc.sumOfCompletionRates, acc.contentsWithViews);
        long positiveLikes = Math.max(0, m.likes);
        long positiveSaves = Math.max(0, m.saves);
        m.engagementRate = engagementRate(positiveLikes, m.comments, m.shares, views);
        m.actionRate = actionRate(positiveSaves, m.shares, m.clicks, views);
        m.engagementScore = engagementScore(views, completions, positiveSaves, m.shares, m.clicks, m.skips);
        if (acc.topContentIds.length > 0) {
            m.topContentId = acc.topContentIds[0];
            m.topContentViews = acc.topViews[0];
            m.topContentEngagementScore = acc.topEngagementScores[0];
        }
        return m;
    }

    @Override
    public String toString() {
        return "CreatorMetrics{" + grain + ' ' + creatorId + " @" + windowStartMs + " v" + version + " contents="
                + contents + " views=" + views + " top=" + topContentId + '}';
    }
}
