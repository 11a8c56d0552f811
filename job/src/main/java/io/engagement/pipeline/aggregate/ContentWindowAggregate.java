package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.metrics.EngagementFormulas;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Folds the events of one content into its window counters, one event at a time, so window state is
 * a single accumulator per content and window rather than the list of events. Which event adds to
 * which counter is declared in {@link ContentCounter}; this class adds the sketches.
 */
public class ContentWindowAggregate
        implements AggregateFunction<EngagementEvent, ContentWindowAccumulator, ContentWindowAccumulator> {

    /**
     * With a content catalogue the event's {@code content_duration_ms} is a claim: a play without a
     * reported total watch time keeps how far it got ({@code pendingPlayProgress}) until the catalogue
     * join turns it into watch time with the catalogue's duration ({@link #resolvePlayProgress}).
     */
    private final boolean durationFromCatalogue;

    public ContentWindowAggregate() {
        this(false);
    }

    public ContentWindowAggregate(boolean durationFromCatalogue) {
        this.durationFromCatalogue = durationFromCatalogue;
    }

    @Override
    public ContentWindowAccumulator createAccumulator() {
        return new ContentWindowAccumulator();
    }

    @Override
    public ContentWindowAccumulator add(EngagementEvent e, ContentWindowAccumulator acc) {
        if (acc.creatorId == null) {
            acc.creatorId = e.creatorId;
        }
        for (ContentCounter counter : ContentCounter.countedBy(e.eventType)) {
            long amount = counter.amount(e);
            if (amount != 0) {
                counter.add(acc, amount);
            }
        }
        // The sketches: who viewed, and the watch time of each play that ended (reported once, on
        // the event that ends the play).
        switch (e.eventType) {
            case VIEW_START -> acc.viewers.add(e.viewerKey());
            case VIEW_COMPLETE, SWIPE_AWAY -> {
                if (durationFromCatalogue && e.totalWatchTimeMs == null) {
                    double reached =
                            e.eventType == EventType.VIEW_COMPLETE ? 1.0 : e.progress == null ? 0.0 : e.progress;
                    pendingCapacity(acc, acc.pendingPlays + 1);
                    acc.pendingPlayProgress[acc.pendingPlays++] = reached;
                    return acc;
                }
                Long playWatchTimeMs = EngagementFormulas.playWatchTimeMs(
                        e.totalWatchTimeMs, e.progress, e.contentDurationMs, e.eventType == EventType.VIEW_COMPLETE);
                if (playWatchTimeMs != null) {
                    playWatchTimes(acc).add(playWatchTimeMs);
                }
            }
            default -> {
                // no sketch for the other types; their counters are in ContentCounter
            }
        }
        return acc;
    }

    /** Room for {@code needed} pending plays in {@code acc}, growing by doubling (a fold stays amortised O(1)). */
    private static void pendingCapacity(ContentWindowAccumulator acc, int needed) {
        if (acc.pendingPlayProgress == null || acc.pendingPlayProgress.length < needed) {
            int capacity = Math.max(needed, acc.pendingPlayProgress == null ? 4 : acc.pendingPlayProgress.length * 2);
            acc.pendingPlayProgress = acc.pendingPlayProgress == null
                    ? new double[capacity]
                    : java.util.Arrays.copyOf(acc.pendingPlayProgress, capacity);
        }
    }

    /**
     * Turns the plays kept as progress into watch-time samples with the catalogue's duration of the
     * content, as {@link EngagementFormulas#playWatchTimeMs} does with an event's; without a duration
     * (content not in the catalogue, or an entry without one) they give no sample.
     */
    public static void resolvePlayProgress(ContentWindowAccumulator acc, Long catalogueDurationMs) {
        if (acc.pendingPlayProgress == null) {
            return;
        }
        if (catalogueDurationMs != null) {
            for (int i = 0; i < acc.pendingPlays; i++) {
                playWatchTimes(acc).add(Math.round(acc.pendingPlayProgress[i] * catalogueDurationMs));
            }
        }
        acc.pendingPlayProgress = null;
        acc.pendingPlays = 0;
    }

    /** State written before the sketch existed restores with {@code null} here. */
    static WatchTimeSketch playWatchTimes(ContentWindowAccumulator acc) {
        if (acc.playWatchTimes == null) {
            acc.playWatchTimes = new WatchTimeSketch();
        }
        return acc.playWatchTimes;
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
        a.addCounters(b, 1);
        a.viewers.merge(b.viewers);
        if (b.playWatchTimes != null) {
            playWatchTimes(a).merge(b.playWatchTimes);
        }
        if (b.pendingPlays > 0) {
            pendingCapacity(a, a.pendingPlays + b.pendingPlays);
            System.arraycopy(b.pendingPlayProgress, 0, a.pendingPlayProgress, a.pendingPlays, b.pendingPlays);
            a.pendingPlays += b.pendingPlays;
        }
        return a;
    }

    /** A deep copy (sketches included): with heap state a window's accumulator object keeps changing. */
    public static ContentWindowAccumulator copy(ContentWindowAccumulator acc) {
        return new ContentWindowAggregate().merge(new ContentWindowAccumulator(), acc);
    }

    /**
     * What a later {@link #delta} needs of this firing: the counters and the watch-time histogram,
     * without the viewer set (a delta carries the current firing's whole set, never a difference), so
     * the copy a window keeps of its previous firing is not its largest part again: up to
     * {@value UniqueViewerSketch#EXACT_LIMIT} hashes or a 2 KB sketch, copied, written and read back on
     * every firing of every window that emits deltas or creator updates.
     */
    public static ContentWindowAccumulator countersOf(ContentWindowAccumulator acc) {
        ContentWindowAccumulator counters = new ContentWindowAccumulator();
        counters.creatorId = acc.creatorId;
        counters.addCounters(acc, 1);
        if (acc.playWatchTimes != null) {
            counters.playWatchTimes.merge(acc.playWatchTimes);
        }
        return counters;
    }

    /**
     * Whether {@code current} holds nothing beyond {@code previous}, an earlier firing of the same
     * window (possibly a {@link #countersOf} copy): every counter and the watch-time histogram's
     * count equal, and no play waiting for the catalogue. The viewer set needs no look: only a view
     * start adds a viewer, and it also counts a view. Such a firing's {@link #delta} would add
     * nothing to a larger window or a creator (a window closing right after its provisional
     * firing, a larger window's own closing), so it is not sent.
     */
    public static boolean addsNothingTo(ContentWindowAccumulator current, ContentWindowAccumulator previous) {
        if (previous == null || current.pendingPlays > 0) {
            return false;
        }
        for (ContentCounter counter : ContentCounter.all()) {
            if (current.counter(counter) != previous.counter(counter)) {
                return false;
            }
        }
        // A window's histogram only grows (delta's subtract checks it), so equal counts are equal histograms.
        return playWatchTimes(current).count() == playWatchTimes(previous).count();
    }

    /**
     * What {@code current} holds beyond {@code previous} (an earlier firing of the same window): the
     * difference of every counter and of the watch-time histogram, and the whole viewer set (a union
     * is idempotent, so a larger window merging it again stays exact); {@code previous}'s viewers are
     * not read, so it may be a {@link #countersOf} copy. Merging the deltas of every
     * firing gives the latest firing: how a late update of a small window reaches the larger ones.
     */
    public static ContentWindowAccumulator delta(ContentWindowAccumulator current, ContentWindowAccumulator previous) {
        ContentWindowAccumulator delta = copy(current);
        if (previous != null) {
            delta.addCounters(previous, -1);
            if (previous.playWatchTimes != null) {
                playWatchTimes(delta).subtract(previous.playWatchTimes);
            }
        }
        return delta;
    }
}
