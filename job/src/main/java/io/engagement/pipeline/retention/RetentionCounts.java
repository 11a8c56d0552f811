package io.engagement.pipeline.retention;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import java.util.Arrays;

/**
 * Where the plays of one content ended, in steps of 5 % of the content's length, plus the intro hold
 * (of the plays whose position in time is known, those still playing at 30 s). Plain counts, so two
 * windows, two grains or two partials merge by adding: a retention curve over any range is the sum
 * of its hours ({@link #stillWatching}). A Flink POJO (public fields, no-argument constructor).
 *
 * <p>{@code exits[b]} counts the plays that ended at a position in {@code [5b %, 5(b+1) %)} of the
 * content, {@code exits[20]} those that played to the end: a {@code view_complete}, or a
 * {@code swipe_away} at the end (the same rule as completions, docs/metrics.md). A swipe-away without
 * {@code progress} counts as ended at the start, as for the completion buckets.
 */
public class RetentionCounts {

    /** Exit buckets: 20 steps of 5 %, then "to the end". */
    public static final int BUCKETS = 21;
    /** The intro hold's mark. */
    public static final long INTRO_MS = 30_000;

    public long[] exits = new long[BUCKETS];
    /** Plays of a content at least {@link #INTRO_MS} long whose end position in milliseconds is known. */
    public long introPlays;
    /** Of those, the plays that ended at or after {@link #INTRO_MS}. */
    public long introHeld;
    /**
     * The content's owner, for the creator-first copy of the rows (the creator's typical retention
     * band): the catalogue's creator with a catalogue ({@link RetentionDurations}), else the first
     * claim of the events; {@code null} when unknown. Like the content windows' creator, the first
     * one known wins in a window. (A field added to a Flink POJO: state written without it restores,
     * with it {@code null}.)
     */
    public String creatorId;

    public RetentionCounts() {}

    /** Whether {@code e} ends a play, which is what this counts. */
    public static boolean endsPlay(EngagementEvent e) {
        return e.eventType == EventType.VIEW_COMPLETE || e.eventType == EventType.SWIPE_AWAY;
    }

    /** Where the play {@code e} ends it ended, as a share of the content (0 .. 1; 1 = to the end). */
    static double position(EngagementEvent e) {
        if (e.completesPlay()) {
            return 1.0;
        }
        return e.progress == null ? 0.0 : Math.max(0.0, Math.min(1.0, e.progress));
    }

    static int bucket(double position) {
        return position >= 1.0 ? BUCKETS - 1 : Math.min(BUCKETS - 2, (int) Math.floor(position * 20 + 1e-9));
    }

    /**
     * Counts the play {@code e} ends, its intro hold by the duration the event reports; {@code e} must
     * {@link #endsPlay end a play}.
     */
    public void add(EngagementEvent e) {
        double position = position(e);
        addExit(position);
        if (e.contentDurationMs != null && e.contentDurationMs > 0) {
            countIntro(position, e.contentDurationMs);
        }
    }

    /** Counts a play that ended at {@code position} (0 .. 1) in the exits only. */
    void addExit(double position) {
        exits[bucket(position)]++;
    }

    /**
     * Counts a play that ended at {@code position} of a content {@code durationMs} long in the intro
     * hold. A content shorter than {@link #INTRO_MS} has no intro to hold: its plays are no sample
     * (else every short video would show 0 % still watching at 30 s).
     */
    void countIntro(double position, long durationMs) {
        if (durationMs < INTRO_MS) {
            return;
        }
        introPlays++;
        if (position * durationMs >= INTRO_MS) {
            introHeld++;
        }
    }

    public void merge(RetentionCounts other) {
        for (int b = 0; b < BUCKETS; b++) {
            exits[b] += other.exits[b];
        }
        introPlays += other.introPlays;
        introHeld += other.introHeld;
        if (creatorId == null) {
            creatorId = other.creatorId;
        }
    }

    /** This minus {@code before} (what a later firing adds to an earlier one); {@code before} may be null. */
    public RetentionCounts minus(RetentionCounts before) {
        RetentionCounts delta = copy();
        if (before != null) {
            for (int b = 0; b < BUCKETS; b++) {
                delta.exits[b] -= before.exits[b];
            }
            delta.introPlays -= before.introPlays;
            delta.introHeld -= before.introHeld;
        }
        return delta;
    }

    public RetentionCounts copy() {
        RetentionCounts c = new RetentionCounts();
        c.exits = exits.clone();
        c.introPlays = introPlays;
        c.introHeld = introHeld;
        c.creatorId = creatorId;
        return c;
    }

    public long plays() {
        long plays = 0;
        for (long n : exits) {
            plays += n;
        }
        return plays;
    }

    /**
     * The retention curve: at point {@code k} (k x 5 % of the content, k = 0 .. 20), the share of the
     * plays still watching, i.e. that ended at or after it. Never rises along the curve; 1 at k = 0.
     */
    public double[] stillWatching() {
        double[] curve = new double[BUCKETS];
        long plays = plays();
        long remaining = plays;
        for (int k = 0; k < BUCKETS; k++) {
            curve[k] = plays == 0 ? 0 : (double) remaining / plays;
            remaining -= exits[k];
        }
        return curve;
    }

    @Override
    public String toString() {
        return "RetentionCounts{exits=" + Arrays.toString(exits) + ", intro " + introHeld + "/" + introPlays
                + (creatorId == null ? "" : ", creator " + creatorId) + "}";
    }
}
