package io.engagement.pipeline.views;

import java.util.Arrays;

/**
 * What a gate decided for one actor and minute, kept while late claims of it can arrive: the counts,
 * whether the actor is flagged, and the claims the gate let through unexcluded, so that a late flag
 * can take them back ({@link ViewClaim#retraction}).
 */
public class MinuteVerdict {
    public int viewStarts;
    public int playEnds;
    public boolean flagged;
    /** The minute's claims this gate passed without excluding them (empty once flagged). */
    public ViewClaim[] passed = new ViewClaim[0];

    public MinuteVerdict() {}

    MinuteVerdict(int viewStarts, int playEnds, boolean flagged) {
        this.viewStarts = viewStarts;
        this.playEnds = playEnds;
        this.flagged = flagged;
    }

    void pass(ViewClaim claim) {
        passed = Arrays.copyOf(passed, passed.length + 1);
        passed[passed.length - 1] = claim;
    }

    /** Forgets a passed claim (it was taken back elsewhere); false when it was not among them. */
    boolean forget(String eventId) {
        for (int i = 0; i < passed.length; i++) {
            if (passed[i].eventId.equals(eventId)) {
                ViewClaim[] rest = new ViewClaim[passed.length - 1];
                System.arraycopy(passed, 0, rest, 0, i);
                System.arraycopy(passed, i + 1, rest, i, passed.length - i - 1);
                passed = rest;
                return true;
            }
        }
        return false;
    }
}
