package io.engagement.pipeline.views;

import static io.engagement.pipeline.testing.Events.event;
import static io.engagement.pipeline.testing.Events.withWatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.engagement.pipeline.catalog.CatalogEntry;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's half of the impossible-playback rule: with a 20 s content and 5 s of slack, one play
 * may hold up to 20 s x (loops + 1) + 5 s of watch time (worked out by hand below); view starts,
 * claims a gate already excluded and content without a catalogue duration pass unchanged.
 */
class PlaybackWithinDurationTest {

    private static final ViewRules RULES = new ViewRules(40, 30_000, 5_000);

    private static KeyedTwoInputStreamOperatorTestHarness<String, ViewClaim, CatalogEntry, ViewClaim> harness()
            throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new PlaybackWithinDuration(RULES)),
                (ViewClaim c) -> c.contentId,
                (CatalogEntry e) -> e.contentId,
                Types.STRING);
        h.open();
        return h;
    }

    private static CatalogEntry entry(String content, Long durationMs) {
        CatalogEntry e = new CatalogEntry();
        e.contentId = content;
        e.creatorId = "owner";
        e.durationMs = durationMs;
        e.version = 1;
        return e;
    }

    /** A swipe-away play end of {@code content} reporting {@code watchedMs} in total after {@code loops} loops. */
    private static ViewClaim playEnd(String id, String content, long watchedMs, Integer loops) {
        EngagementEvent e = withWatch(event(id, EventType.SWIPE_AWAY, content, "u1", 100_000), watchedMs, 0.5);
        e.totalWatchTimeMs = watchedMs;
        e.loopCount = loops;
        return ViewClaim.of(e);
    }

    private static String verdict(
            KeyedTwoInputStreamOperatorTestHarness<String, ViewClaim, CatalogEntry, ViewClaim> h, ViewClaim claim)
            throws Exception {
        h.getOutput().clear();
        h.processElement1(new StreamRecord<>(claim, claim.eventTimeMs));
        List<ViewClaim> out = h.extractOutputValues();
        assertEquals(1, out.size(), "every claim passes on");
        return out.get(0).excludedBy == null ? "counts" : out.get(0).excludedBy;
    }

    @Test
    void aPlayLongerThanItsContentCouldHaveBeenWatchedIsImpossible() throws Exception {
        try (var h = harness()) {
            h.processElement2(new StreamRecord<>(entry("c20", 20_000L), 0));
            assertEquals("counts", verdict(h, playEnd("a", "c20", 25_000, null))); // 20 s x 1 + 5 s
            assertEquals("impossible_playback", verdict(h, playEnd("b", "c20", 25_001, null)));
            assertEquals("impossible_playback", verdict(h, playEnd("c", "c20", 25_001, 0)));
            assertEquals("counts", verdict(h, playEnd("d", "c20", 45_000, 1))); // 20 s x 2 + 5 s
            assertEquals("impossible_playback", verdict(h, playEnd("e", "c20", 3_600_000, 1)));
            assertEquals("counts", verdict(h, playEnd("f", "c20", 3_600_000, 200))); // 20 s x 201 + 5 s > 1 h

            ViewClaim start = ViewClaim.of(event("g", EventType.VIEW_START, "c20", "u1", 100_000));
            assertEquals("counts", verdict(h, start));
            ViewClaim excludedByAGate = playEnd("h", "c20", 1_000, null);
            excludedByAGate.excludedBy = "user_view_rate";
            assertEquals("user_view_rate", verdict(h, excludedByAGate), "a gate's reason stays");
        }
    }

    @Test
    void contentWithoutACatalogueDurationIsNotChecked() throws Exception {
        try (var h = harness()) {
            assertEquals("counts", verdict(h, playEnd("a", "unknown", 3_600_000, null)));
            h.processElement2(new StreamRecord<>(entry("no-duration", null), 0));
            assertEquals("counts", verdict(h, playEnd("b", "no-duration", 3_600_000, null)));

            h.processElement2(new StreamRecord<>(entry("c20", 20_000L), 0));
            assertEquals("impossible_playback", verdict(h, playEnd("c", "c20", 60_000, null)));
            h.processElement2(new StreamRecord<>(CatalogEntry.deletion("c20", 2), 0));
            assertEquals("counts", verdict(h, playEnd("d", "c20", 60_000, null)), "a deleted entry checks nothing");
            assertEquals(0, h.numKeyedStateEntries(), "a deletion or an entry without duration keeps no state");
        }
    }

    @Test
    void aClaimCarriesItsLoopCount() {
        assertEquals(3, playEnd("a", "c", 1_000, 3).loops);
        assertEquals(0, playEnd("b", "c", 1_000, null).loops);
        assertNull(ViewClaim.of(event("c", EventType.LIKE, "c", "u1", 0)));
    }
}
