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
        addCounters(a, b, 1);
        a.viewers.merge(b.viewers);
        if (b.playWatchTimes != null) {
            playWatchTimes(a).merge(b.playWatchTimes);
        }
        return a;
    }

    /**
     * What {@code current} holds beyond {@code previous} (an earlier firing of the same window): the
     * difference of every counter and of the watch-time histogram, and the whole viewer set (a union
     * is idempotent, so a larger window merging it again stays exact). Merging the deltas of every
     * firing gives the latest firing: how a late update of a small window reaches the larger ones.
     */
    public static ContentWindowAccumulator delta(ContentWindowAccumulator current, ContentWindowAccumulator previous) {
        ContentWindowAccumulator delta = new ContentWindowAggregate().merge(new ContentWindowAccumulator(), current);
        if (previous != null) {
            addCounters(delta, previous, -1);
            if (previous.playWatchTimes != null) {
                playWatchTimes(delta).subtract(previous.playWatchTimes);
            }
        }
        return delta;
    }

    private static void addCounters(ContentWindowAccumulator a, ContentWindowAccumulator b, long sign) {
        a.impressions += sign * b.impressions;
        a.views += sign * b.views;
        a.rewatches += sign * b.rewatches;
        a.watchTimeMs += sign * b.watchTimeMs;
        a.completions += sign * b.completions;
        a.endedOver75 += sign * b.endedOver75;
        a.endedOver50 += sign * b.endedOver50;
        a.endedOver25 += sign * b.endedOver25;
        a.endedUnder25 += sign * b.endedUnder25;
        a.skips += sign * b.skips;
        a.swipedAway += sign * b.swipedAway;
        a.loopPlays += sign * b.loopPlays;
        a.likes += sign * b.likes;
        a.unlikes += sign * b.unlikes;
        a.comments += sign * b.comments;
        a.shares += sign * b.shares;
        a.saves += sign * b.saves;
        a.unsaves += sign * b.unsaves;
        a.clicks += sign * b.clicks;
        a.follows += sign * b.follows;
        a.unfollows += sign * b.unfollows;
        a.notInterested += sign * b.notInterested;
        a.reports += sign * b.reports;
        a.hides += sign * b.hides;
        ViewBreakdown.add(a, b, sign);
    }
}
