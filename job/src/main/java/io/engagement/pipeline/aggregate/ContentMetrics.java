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

import io.engagement.pipeline.serde.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The metrics of one content in one window: one row of ClickHouse table {@code content_metrics}
 * (docs/metrics.md). {@code version} grows with every firing of the same window (late updates), so
 * ReplacingMergeTree keeps the newest row and a replayed firing replaces, never adds.
 */
@TypeInfo(ContentMetrics.TypeInfoFactory.class)
public class ContentMetrics implements Cloneable {
    public String grain;
    public long windowStartMs;
    public long windowEndMs;
    public String contentId;
    public String creatorId;
    public long version;
    /** Fired before the window closed: the running value, replaced by the final row (version 0). */
    public boolean provisional;

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
    /** Validated views, and the completions and watch time of validated plays (ContentCounter.VALIDATED_*); 0 in older state. */
    public long validatedViews;

    public long validatedCompletions;
    public long validatedWatchTimeMs;

    public double engagementRate;
    public double actionRate;
    public double engagementScore;
    public double retentionScore;
    public double engagementComponent;
    public double viralityScore;
    public double watchabilityScore;
    public double qualityScore;

    public ContentMetrics() {}

    /** A copy of this row (every field is a primitive or a String). */
    public ContentMetrics copy() {
        try {
            return (ContentMetrics) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Written by {@link ContentMetricsSerializer}, not as a POJO. */
    public static final class TypeInfoFactory
            extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<ContentMetrics> {
        @Override
        public TypeInformation<ContentMetrics> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(ContentMetrics.class, ContentMetricsSerializer::new);
        }
    }

    /** The row with rates and scores over every counted play ({@link ScoreBasis#COUNTED}). */
    public static ContentMetrics of(
            Grain grain,
            long windowStartMs,
            long windowEndMs,
            String contentId,
            ContentWindowAccumulator acc,
            long version) {
        return of(grain, windowStartMs, windowEndMs, contentId, acc, version, ScoreBasis.COUNTED);
    }

    /**
     * Builds the row from a window's counters: each {@link ContentCounter} column as counted (likes and
     * saves net of unlikes and unsaves), every derived value from EngagementFormulas, with the views,
     * completions and watch time of {@code basis} (validated plays only when view validation is on).
     */
    public static ContentMetrics of(
            Grain grain,
            long windowStartMs,
            long windowEndMs,
            String contentId,
            ContentWindowAccumulator acc,
            long version,
            ScoreBasis basis) {
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
        long views = basis.views(acc);
        long completions = basis.completions(acc);
        m.avgWatchTimeMs = averageWatchTimeMs(basis.watchTimeMs(acc), views);
        m.medianWatchTimeMs = acc.playWatchTimes == null ? 0 : acc.playWatchTimes.median();
        m.completionRate = completionRate(completions, views);
        m.feedViews = feedViews(acc.viewsOrganic, acc.viewsFollowing);
        m.rewatchRate = rewatchRate(acc.rewatches, m.uniqueViewers);

        // A window can hold more unlikes than likes (the like fell in an earlier window): rates use
        // the non-negative part so a score never rewards or punishes with a negative count.
        long positiveLikes = Math.max(0, m.likes);
        long positiveSaves = Math.max(0, m.saves);
        m.engagementRate = engagementRate(positiveLikes, m.comments, m.shares, views);
        m.actionRate = actionRate(positiveSaves, m.shares, m.clicks, views);
        m.engagementScore = engagementScore(views, completions, positiveSaves, m.shares, m.clicks, m.skips);
        m.retentionScore = retentionScore(m.completionRate);
        m.engagementComponent = engagementComponent(m.engagementRate);
        m.viralityScore = viralityScore(shareRate(m.shares, views));
        m.watchabilityScore = watchabilityScore(m.rewatchRate);
        m.qualityScore = qualityScore(m.retentionScore, m.engagementComponent, m.viralityScore, m.watchabilityScore);
        return m;
    }

    @Override
    public String toString() {
        return "ContentMetrics{" + grain + ' ' + contentId + " @" + windowStartMs + " v" + version + " views=" + views
                + " uniques=" + uniqueViewers + '}';
    }

    /**
     * The column of {@code counter} (a switch the compiler checks for every counter, as
     * {@link ContentWindowAccumulator}'s; {@code ContentCounterTest} checks each case).
     */
    long counter(ContentCounter counter) {
        return switch (counter) {
            case IMPRESSIONS -> impressions;
            case VIEWS -> views;
            case REWATCHES -> rewatches;
            case WATCH_TIME_MS -> watchTimeMs;
            case COMPLETIONS -> completions;
            case ENDED_OVER_75 -> endedOver75;
            case ENDED_OVER_50 -> endedOver50;
            case ENDED_OVER_25 -> endedOver25;
            case ENDED_UNDER_25 -> endedUnder25;
            case SKIPS -> skips;
            case SWIPED_AWAY -> swipedAway;
            case LOOP_PLAYS -> loopPlays;
            case LIKES -> likes;
            case COMMENTS -> comments;
            case SHARES -> shares;
            case SAVES -> saves;
            case CLICKS -> clicks;
            case FOLLOWS -> follows;
            case UNFOLLOWS -> unfollows;
            case NOT_INTERESTED -> notInterested;
            case REPORTS -> reports;
            case HIDES -> hides;
            case VIEWS_ORGANIC -> viewsOrganic;
            case VIEWS_FOLLOWING -> viewsFollowing;
            case VIEWS_PROFILE -> viewsProfile;
            case VIEWS_HASHTAG -> viewsHashtag;
            case VIEWS_SEARCH -> viewsSearch;
            case VIEWS_DIRECT -> viewsDirect;
            case VIEWS_OTHER_SOURCE -> viewsOtherSource;
            case VIEWS_MOBILE -> viewsMobile;
            case VIEWS_TABLET -> viewsTablet;
            case VIEWS_DESKTOP -> viewsDesktop;
            case VIEWS_TV -> viewsTv;
            case VIEWS_OTHER_DEVICE -> viewsOtherDevice;
            case VIEWS_IOS -> viewsIos;
            case VIEWS_ANDROID -> viewsAndroid;
            case VIEWS_WEB -> viewsWeb;
            case VIEWS_OTHER_PLATFORM -> viewsOtherPlatform;
            case CREATOR_MISMATCHES -> creatorMismatches;
            case UNCATALOGUED_EVENTS -> uncataloguedEvents;
            case VALIDATED_VIEWS -> validatedViews;
            case VALIDATED_COMPLETIONS -> validatedCompletions;
            case VALIDATED_WATCH_TIME_MS -> validatedWatchTimeMs;
            case UNLIKES, UNSAVES, EVENTS -> throw new IllegalArgumentException(counter + " is not a column");
        };
    }

    void setCounter(ContentCounter counter, long value) {
        long unused = switch (counter) {
            case IMPRESSIONS -> impressions = value;
            case VIEWS -> views = value;
            case REWATCHES -> rewatches = value;
            case WATCH_TIME_MS -> watchTimeMs = value;
            case COMPLETIONS -> completions = value;
            case ENDED_OVER_75 -> endedOver75 = value;
            case ENDED_OVER_50 -> endedOver50 = value;
            case ENDED_OVER_25 -> endedOver25 = value;
            case ENDED_UNDER_25 -> endedUnder25 = value;
            case SKIPS -> skips = value;
            case SWIPED_AWAY -> swipedAway = value;
            case LOOP_PLAYS -> loopPlays = value;
            case LIKES -> likes = value;
            case COMMENTS -> comments = value;
            case SHARES -> shares = value;
            case SAVES -> saves = value;
            case CLICKS -> clicks = value;
            case FOLLOWS -> follows = value;
            case UNFOLLOWS -> unfollows = value;
            case NOT_INTERESTED -> notInterested = value;
            case REPORTS -> reports = value;
            case HIDES -> hides = value;
            case VIEWS_ORGANIC -> viewsOrganic = value;
            case VIEWS_FOLLOWING -> viewsFollowing = value;
            case VIEWS_PROFILE -> viewsProfile = value;
            case VIEWS_HASHTAG -> viewsHashtag = value;
            case VIEWS_SEARCH -> viewsSearch = value;
            case VIEWS_DIRECT -> viewsDirect = value;
            case VIEWS_OTHER_SOURCE -> viewsOtherSource = value;
            case VIEWS_MOBILE -> viewsMobile = value;
            case VIEWS_TABLET -> viewsTablet = value;
            case VIEWS_DESKTOP -> viewsDesktop = value;
            case VIEWS_TV -> viewsTv = value;
            case VIEWS_OTHER_DEVICE -> viewsOtherDevice = value;
            case VIEWS_IOS -> viewsIos = value;
            case VIEWS_ANDROID -> viewsAndroid = value;
            case VIEWS_WEB -> viewsWeb = value;
            case VIEWS_OTHER_PLATFORM -> viewsOtherPlatform = value;
            case CREATOR_MISMATCHES -> creatorMismatches = value;
            case UNCATALOGUED_EVENTS -> uncataloguedEvents = value;
            case VALIDATED_VIEWS -> validatedViews = value;
            case VALIDATED_COMPLETIONS -> validatedCompletions = value;
            case VALIDATED_WATCH_TIME_MS -> validatedWatchTimeMs = value;
            case UNLIKES, UNSAVES, EVENTS -> throw new IllegalArgumentException(counter + " is not a column");
        };
    }
}
