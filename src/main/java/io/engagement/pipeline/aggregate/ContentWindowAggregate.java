package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.metrics.CompletionBucket;
import io.engagement.pipeline.metrics.EngagementFormulas;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Folds the events of one content into its window counters, one event at a time, so window state is
 * a single accumulator per content and window rather than the list of events.
 */
public class ContentWindowAggregate
        implements AggregateFunction<EngagementEvent, ContentWindowAccumulator, ContentWindowAccumulator> {

    @Override
    public ContentWindowAccumulator createAccumulator() {
        return new ContentWindowAccumulator();
    }

    @Override
    public ContentWindowAccumulator add(EngagementEvent e, ContentWindowAccumulator acc) {
        if (acc.creatorId == null) {
            acc.creatorId = e.creatorId;
        }
        if (e.watchTimeMs != null) {
            acc.watchTimeMs += e.watchTimeMs;
        }
        switch (e.eventType) {
            case IMPRESSION -> acc.impressions++;
            case VIEW_START -> {
                acc.views++;
                ViewBreakdown.count(acc, e);
                acc.viewers.add(e.viewerKey());
                if (Boolean.TRUE.equals(e.isRewatch)) {
                    acc.rewatches++;
                }
            }
            case VIEW_COMPLETE -> {
                acc.completions++;
                countPlayTotals(acc, e, true);
            }
            case SWIPE_AWAY -> {
                acc.swipedAway++;
                countPlayEnd(acc, e.progress == null ? 0.0 : e.progress);
                countPlayTotals(acc, e, false);
            }
            case LIKE -> acc.likes++;
            case UNLIKE -> acc.unlikes++;
            case COMMENT -> acc.comments++;
            case SHARE -> acc.shares++;
            case SAVE -> acc.saves++;
            case UNSAVE -> acc.unsaves++;
            case CLICK -> acc.clicks++;
            case FOLLOW -> acc.follows++;
            case UNFOLLOW -> acc.unfollows++;
            case NOT_INTERESTED -> acc.notInterested++;
            case REPORT -> acc.reports++;
            case HIDE -> acc.hides++;
            case VIEW_PROGRESS, PAUSE, RESUME, SEEK -> {
                // playback signals: they contribute watch time only
            }
        }
        return acc;
    }

    /** Loops and the play's watch time are reported once, on the event that ends the play. */
    private static void countPlayTotals(ContentWindowAccumulator acc, EngagementEvent e, boolean completed) {
        if (e.loopCount != null) {
            acc.loopPlays += e.loopCount;
        }
        Long playWatchTimeMs = EngagementFormulas.playWatchTimeMs(e.totalWatchTimeMs, e.progress, e.contentDurationMs, completed);
        if (playWatchTimeMs != null) {
            playWatchTimes(acc).add(playWatchTimeMs);
        }
    }

    /** State written before the sketch existed restores with {@code null} here. */
    static WatchTimeSketch playWatchTimes(ContentWindowAccumulator acc) {
        if (acc.playWatchTimes == null) {
            acc.playWatchTimes = new WatchTimeSketch();
        }
        return acc.playWatchTimes;
    }

    /**
     * A swipe-away ends a play. At the very end of the content it is a full play, like a view_complete,
     * and not a skip: the engagement score must not penalise a video watched to the end.
     */
    private static void countPlayEnd(ContentWindowAccumulator acc, double progress) {
        CompletionBucket bucket = CompletionBucket.of(progress);
        if (bucket == CompletionBucket.FULL) {
            acc.completions++;
            return;
        }
        acc.skips++;
        switch (bucket) {
            case OVER_75 -> acc.endedOver75++;
            case OVER_50 -> acc.endedOver50++;
            case OVER_25 -> acc.endedOver25++;
            default -> acc.endedUnder25++;
        }
    }

    @Override
    public ContentWindowAccumulator getResult(ContentWindowAccumulator acc) {
        return acc;
    }

    @Override
    public ContentWindowAccumulator merge(ContentWindowAccumulator a, ContentWindowAccumulator b) {
        if (a.creatorId == null) {
            a.creatorId = b.creatorId;
        }
        a.impressions += b.impressions;
        a.views += b.views;
        a.rewatches += b.rewatches;
        a.watchTimeMs += b.watchTimeMs;
        a.completions += b.completions;
        a.endedOver75 += b.endedOver75;
        a.endedOver50 += b.endedOver50;
        a.endedOver25 += b.endedOver25;
        a.endedUnder25 += b.endedUnder25;
        a.skips += b.skips;
        a.swipedAway += b.swipedAway;
        a.loopPlays += b.loopPlays;
        a.likes += b.likes;
        a.unlikes += b.unlikes;
        a.comments += b.comments;
        a.shares += b.shares;
        a.saves += b.saves;
        a.unsaves += b.unsaves;
        a.clicks += b.clicks;
        a.follows += b.follows;
        a.unfollows += b.unfollows;
        a.notInterested += b.notInterested;
        a.reports += b.reports;
        a.hides += b.hides;
        ViewBreakdown.merge(a, b);
        a.viewers.merge(b.viewers);
        if (b.playWatchTimes != null) {
            playWatchTimes(a).merge(b.playWatchTimes);
        }
        return a;
    }
}
