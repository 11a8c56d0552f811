package io.engagement.pipeline.signals;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import org.junit.jupiter.api.Test;

/** Which events are which signals, and what a play's end weighs. */
class UserSignalTest {

    private static final long QUICK_SKIP_MS = 3_000;

    private static EngagementEvent swipe(Double progress, Long total, Long duration) {
        EngagementEvent e = event("e", EventType.SWIPE_AWAY, "c1", "u1", 1_000);
        e.progress = progress;
        e.totalWatchTimeMs = total;
        e.contentDurationMs = duration;
        return e;
    }

    @Test
    void aPlaysEndIsAQuickSkipAWatchOrACompletion() {
        // Total watch time decides first: 2.9 s is a quick skip, whatever the position.
        assertEquals(SignalKind.QUICK_SKIP, UserSignal.of(swipe(0.5, 2_900L, null), QUICK_SKIP_MS).kind);
        UserSignal watch = UserSignal.of(swipe(0.4, 8_000L, 20_000L), QUICK_SKIP_MS);
        assertEquals(SignalKind.WATCH, watch.kind);
        assertEquals(0.4, watch.weight);
        // Without a total: position x claimed duration (10 % of 20 s = 2 s: quick).
        assertEquals(SignalKind.QUICK_SKIP, UserSignal.of(swipe(0.1, null, 20_000L), QUICK_SKIP_MS).kind);
        assertEquals(SignalKind.WATCH, UserSignal.of(swipe(0.2, null, 20_000L), QUICK_SKIP_MS).kind);
        // Neither: under 5 % of the content is quick.
        assertEquals(SignalKind.QUICK_SKIP, UserSignal.of(swipe(0.04, null, null), QUICK_SKIP_MS).kind);
        assertEquals(SignalKind.QUICK_SKIP, UserSignal.of(swipe(null, null, null), QUICK_SKIP_MS).kind);
        // A total but no position: the share is total / duration.
        UserSignal byTotal = UserSignal.of(swipe(null, 5_000L, 20_000L), QUICK_SKIP_MS);
        assertEquals(SignalKind.WATCH, byTotal.kind);
        assertEquals(0.25, byTotal.weight);
        // A swipe at the very end is a full play.
        assertEquals(SignalKind.COMPLETE, UserSignal.of(swipe(1.0, 20_000L, 20_000L), QUICK_SKIP_MS).kind);
        UserSignal complete = UserSignal.of(event("e", EventType.VIEW_COMPLETE, "c1", "u1", 1_000), QUICK_SKIP_MS);
        assertEquals(SignalKind.COMPLETE, complete.kind);
        assertEquals(1.5, complete.weight);
    }

    @Test
    void anonymousViewersAndNeutralEventsGiveNoSignal() {
        EngagementEvent anonymous = event("e", EventType.LIKE, "c1", null, 1_000);
        assertNull(UserSignal.of(anonymous, QUICK_SKIP_MS));
        for (EventType type : new EventType[] {
            EventType.IMPRESSION,
            EventType.VIEW_PROGRESS,
            EventType.PAUSE,
            EventType.RESUME,
            EventType.SEEK,
            EventType.CLICK
        }) {
            assertNull(UserSignal.of(event("e", type, "c1", "u1", 1_000), QUICK_SKIP_MS), type.name());
            assertEquals(false, UserSignal.mayGiveSignal(type));
        }
        assertEquals(-5.0, UserSignal.of(event("e", EventType.NOT_INTERESTED, "c1", "u1", 1), QUICK_SKIP_MS).weight);
        assertEquals(-4.0, UserSignal.of(event("e", EventType.UNFOLLOW, "c1", "u1", 1), QUICK_SKIP_MS).weight);
        assertEquals(
                "creator-of-c1", UserSignal.of(event("e", EventType.HIDE, "c1", "u1", 1), QUICK_SKIP_MS).creatorId);
    }
}
