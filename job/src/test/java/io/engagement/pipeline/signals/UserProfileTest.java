package io.engagement.pipeline.signals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The profile's arithmetic against hand-computed values (half-life one hour, so halves are exact). */
class UserProfileTest {

    private static final long HOUR = 3_600_000;
    private static final long T0 = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, 60_000L);

    static UserSignalRules rules(int maxEntries, int negatives, int maxStarts) {
        return new UserSignalRules(HOUR, 30L * 24 * HOUR, maxEntries, negatives, 3_000, maxStarts, 1_000, 10_000);
    }

    static UserSignal signal(SignalKind kind, String content, String creator, long time) {
        UserSignal s = new UserSignal();
        s.userId = "u1";
        s.contentId = content;
        s.creatorId = creator;
        s.kind = kind;
        s.weight = kind.weight();
        s.eventTimeMs = time;
        return s;
    }

    static UserSignal tagged(UserSignal s, String category, String... hashtags) {
        s.category = category;
        s.hashtags = hashtags;
        return s;
    }

    @Test
    void aSignalHalvesEveryHalfLifeAndOrderDoesNotMatter() {
        UserSignal like = tagged(signal(SignalKind.LIKE, "a1", "A", T0), "music", "#x", "#y");
        UserSignal complete = tagged(signal(SignalKind.COMPLETE, "a2", "A", T0 + HOUR), "music", "#x");
        UserProfile inOrder = new UserProfile();
        inOrder.apply(like, rules(50, 20, 40));
        inOrder.apply(complete, rules(50, 20, 40));
        UserProfile reversed = new UserProfile();
        reversed.apply(complete, rules(50, 20, 40));
        reversed.apply(like, rules(50, 20, 40));
        for (UserProfile p : new UserProfile[] {inOrder, reversed}) {
            // like 2 halved once (an hour older) + completion 1.5
            assertEquals(2.5, p.creators.score("A"), 1e-12);
            assertEquals(2.5, p.categories.score("music"), 1e-12);
            assertEquals(2.5, p.hashtags.score("#x"), 1e-12);
            assertEquals(1.0, p.hashtags.score("#y"), 1e-12);
            assertEquals(T0 + HOUR, p.asOfMs);
            assertEquals(2, p.version);
        }
        // Two hours later a "not interested" on A's content: 2.5 / 4 - 5.
        inOrder.apply(signal(SignalKind.NOT_INTERESTED, "a3", "A", T0 + 3 * HOUR), rules(50, 20, 40));
        assertEquals(2.5 / 4 - 5, inOrder.creators.score("A"), 1e-12);
        assertArrayEquals(new String[] {"a3"}, inOrder.negativeContentIds);
        assertArrayEquals(new String[] {"not_interested"}, inOrder.negativeKinds);
    }

    @Test
    void aFullSetDropsItsWeakestEntryOrTheNewcomerIfItIsWeaker() {
        UserProfile p = new UserProfile();
        UserSignalRules rules = rules(2, 20, 40);
        p.apply(signal(SignalKind.SHARE, "a", "A", T0), rules); // A 3
        p.apply(signal(SignalKind.COMMENT, "b", "B", T0), rules); // B 1
        p.apply(signal(SignalKind.SAVE, "c", "C", T0), rules); // C 2 replaces B
        assertEquals(3, p.creators.score("A"));
        assertEquals(0, p.creators.score("B"));
        assertEquals(2, p.creators.score("C"));
        p.apply(signal(SignalKind.COMMENT, "d", "D", T0), rules); // D 1: weaker than both, not kept
        assertEquals(0, p.creators.score("D"));
        p.apply(signal(SignalKind.REPORT, "e", "E", T0), rules); // E -8: |8| beats C's 2
        assertEquals(-8, p.creators.score("E"));
        assertEquals(0, p.creators.score("C"));
        assertEquals(2, p.creators.size());
        assertEquals(java.util.List.of("A", "E"), java.util.List.of(p.creators.sorted().ids));
    }

    @Test
    void negativeItemsAreNewestFirstOncePerContentAndBounded() {
        UserProfile p = new UserProfile();
        UserSignalRules rules = rules(50, 3, 40);
        p.apply(signal(SignalKind.HIDE, "c1", "A", T0), rules);
        p.apply(signal(SignalKind.QUICK_SKIP, "c2", "B", T0 + 1_000), rules);
        p.apply(signal(SignalKind.REPORT, "c3", "B", T0 + 2_000), rules);
        p.apply(signal(SignalKind.NOT_INTERESTED, "c1", "A", T0 + 3_000), rules); // c1 again: moves to the front
        assertArrayEquals(new String[] {"c1", "c3", "c2"}, p.negativeContentIds);
        assertArrayEquals(new String[] {"not_interested", "report", "quick_skip"}, p.negativeKinds);
        p.apply(signal(SignalKind.UNFOLLOW, "c4", "C", T0 + 4_000), rules); // full: the oldest (c2) goes
        assertArrayEquals(new String[] {"c4", "c1", "c3"}, p.negativeContentIds);
        p.apply(signal(SignalKind.HIDE, "c5", "C", T0 - 1_000), rules); // older than all kept: not kept
        assertArrayEquals(new String[] {"c4", "c1", "c3"}, p.negativeContentIds);
        p.apply(signal(SignalKind.HIDE, "c6", "C", T0 + 2_500), rules); // late, but newer than c3: sorted in
        assertArrayEquals(new String[] {"c4", "c1", "c6"}, p.negativeContentIds);
        assertArrayEquals(new long[] {T0 + 4_000, T0 + 3_000, T0 + 2_500}, p.negativeTimesMs);
        // Positive signals add no negative item.
        p.apply(signal(SignalKind.LIKE, "c7", "C", T0 + 5_000), rules);
        assertEquals(3, p.negativeContentIds.length);
    }

    @Test
    void tooManyViewStartsInAMinuteEmptyTheProfileAndMuteItForADay() {
        UserProfile p = new UserProfile();
        UserSignalRules rules = rules(50, 20, 3);
        assertEquals(UserProfile.Outcome.CHANGED, p.apply(signal(SignalKind.LIKE, "f1", "F", T0), rules));
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    UserProfile.Outcome.UNCHANGED,
                    p.apply(signal(SignalKind.VIEW_START, "f1", "F", T0 + i * 1_000), rules));
        }
        // Three starts in the minute of T0 are allowed; the fourth (in the same minute) flags the user.
        assertEquals(
                UserProfile.Outcome.FLAGGED, p.apply(signal(SignalKind.VIEW_START, "f1", "F", T0 + 59_000), rules));
        assertTrue(p.isSuspect());
        assertEquals(0, p.creators.size());
        // Its signals during the day after that minute change nothing; more starts keep it flagged.
        assertEquals(UserProfile.Outcome.UNCHANGED, p.apply(signal(SignalKind.SHARE, "f1", "F", T0 + HOUR), rules));
        assertEquals(0, p.creators.score("F"));
        // Starts spread over minutes (three a minute) stay under the limit.
        UserProfile honest = new UserProfile();
        for (int m = 0; m < 5; m++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        UserProfile.Outcome.UNCHANGED,
                        honest.apply(signal(SignalKind.VIEW_START, "x", "X", T0 + m * 60_000 + i), rules));
            }
        }
        assertFalse(honest.isSuspect());
        // A day and a minute after the flagged minute started, the user counts again, from nothing.
        long after = T0 + 60_000 + UserSignalRules.SUSPECT_HOLD_MS;
        assertEquals(UserProfile.Outcome.CHANGED, p.apply(signal(SignalKind.LIKE, "g1", "G", after), rules));
        assertFalse(p.isSuspect());
        assertEquals(2, p.creators.score("G"));
        assertEquals(0, p.creators.score("F"));
    }
}
