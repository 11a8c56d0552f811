package io.engagement.pipeline.signals;

import java.util.Locale;

/**
 * What one event says about a user's taste, and how much (docs/metrics.md#per-user-signals). The
 * weights are added to the user's affinity for the content's creator, category and each of its
 * hashtags; {@link #WATCH} carries its own weight (the share of the content watched). A kind marked
 * {@link #negativeItem} also puts the content on the user's recent negative items.
 */
public enum SignalKind {
    /** A play that ended (swipe-away) after the quick-skip threshold: weight = share watched (0..1). */
    WATCH(Double.NaN, false),
    /** A play watched to its end: share 1 plus the completion bonus. */
    COMPLETE(1.5, false),
    LIKE(2, false),
    /** Takes a like back. */
    UNLIKE(-2, false),
    COMMENT(1, false),
    SHARE(3, false),
    SAVE(2, false),
    UNSAVE(-2, false),
    FOLLOW(4, false),
    /** A play left within {@code user-signals.quick-skip} of watch time. */
    QUICK_SKIP(-1, true),
    UNFOLLOW(-4, true),
    NOT_INTERESTED(-5, true),
    HIDE(-5, true),
    REPORT(-8, true),
    /** No weight: counted for the user's view-start rate (a view farm's users are flagged, not profiled). */
    VIEW_START(0, false),
    /** An erasure request (deploy/erase-user.sh): the user's state is cleared and a tombstone written. */
    ERASE(0, false);

    private final double weight;
    private final boolean negativeItem;

    SignalKind(double weight, boolean negativeItem) {
        this.weight = weight;
        this.negativeItem = negativeItem;
    }

    /** The fixed weight; {@code NaN} for {@link #WATCH}, whose weight is the share watched. */
    public double weight() {
        return weight;
    }

    /** Whether the content goes on the user's recent negative items. */
    public boolean negativeItem() {
        return negativeItem;
    }

    /** The name on the user-signals topic, e.g. {@code not_interested}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
