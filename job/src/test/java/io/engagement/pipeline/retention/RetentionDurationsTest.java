package io.engagement.pipeline.retention;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * The intro hold by the catalogue's duration: the events claim a length of 100 s (every play past
 * 30 % would be held by it), the catalogue says 40 s, so only plays past 75 % (30 s of 40) are held.
 */
class RetentionDurationsTest {

    private static final RetentionPartials WITH_CATALOGUE = new RetentionPartials(true);

    /** Plays of content {@code c} ending at {@code progress} (1.0: completed), each claiming 100 s. */
    private static RetentionPartial partial(double... progress) {
        PlayEnds acc = WITH_CATALOGUE.createAccumulator();
        for (double p : progress) {
            EngagementEvent e = event("e" + p, p >= 1.0 ? EventType.VIEW_COMPLETE : EventType.SWIPE_AWAY, "c", "u", 0);
            e.progress = p >= 1.0 ? null : p;
            e.contentDurationMs = 100_000L;
            e.creatorId = "claimed";
            WITH_CATALOGUE.add(acc, e);
        }
        return WITH_CATALOGUE.partial("c", 0, 3_600_000, acc);
    }

    private static CatalogEntry entry(Long durationMs) {
        CatalogEntry e = new CatalogEntry();
        e.contentId = "c";
        e.creatorId = "k";
        e.durationMs = durationMs;
        return e;
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, RetentionPartial, CatalogEntry, RetentionPartial>
            harness() throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RetentionDurations()),
                p -> p.contentId,
                e -> e.contentId,
                Types.STRING);
        h.open();
        return h;
    }

    private static List<RetentionPartial> output(
            KeyedTwoInputStreamOperatorTestHarness<String, RetentionPartial, CatalogEntry, RetentionPartial> h) {
        return h.extractOutputValues();
    }

    @Test
    void theIntroHoldUsesTheCataloguesLengthNotTheEventsClaim() throws Exception {
        // Before the pre-aggregation hands them on, no intro sample is counted: only exits and positions.
        RetentionPartial plays = partial(0.5, 0.74, 0.75, 0.9, 1.0);
        assertEquals(0, plays.counts.introPlays);
        assertArrayEquals(new double[] {0.5, 0.74, 0.75, 0.9, 1.0}, plays.introPositions);

        try (var h = harness()) {
            h.processElement2(new StreamRecord<>(entry(40_000L)));
            h.processElement1(new StreamRecord<>(plays));
            RetentionPartial out = output(h).get(0);
            // 40 s content: 20 s, 29.6 s not held; 30 s, 36 s, 40 s held (by hand).
            assertEquals(5, out.counts.introPlays);
            assertEquals(3, out.counts.introHeld);
            assertNull(out.introPositions, "resolved once");
            assertEquals("k", out.counts.creatorId, "the owner is the catalogue's, not the events' claim");
            // The exits are the plays' own positions: buckets 10, 14, 15, 18 and "to the end".
            long[] exits = new long[RetentionCounts.BUCKETS];
            exits[10] = 1;
            exits[14] = 1;
            exits[15] = 1;
            exits[18] = 1;
            exits[20] = 1;
            assertArrayEquals(exits, out.counts.exits);
        }
    }

    @Test
    void contentNotInTheCatalogueOrWithoutALengthGivesNoIntroSampleButKeepsItsExits() throws Exception {
        try (var h = harness()) {
            h.processElement1(new StreamRecord<>(partial(0.9, 1.0)));
            h.processElement2(new StreamRecord<>(entry(null)));
            h.processElement1(new StreamRecord<>(partial(0.9)));
            h.processElement2(new StreamRecord<>(entry(40_000L)));
            h.processElement1(new StreamRecord<>(partial(0.9)));
            h.processElement2(new StreamRecord<>(CatalogEntry.deletion("c", 9)));
            h.processElement1(new StreamRecord<>(partial(1.0)));
            List<RetentionPartial> out = output(h);
            assertEquals(
                    List.of(0L, 0L, 1L, 0L),
                    out.stream().map(p -> p.counts.introPlays).toList());
            assertEquals(
                    List.of(0L, 0L, 1L, 0L),
                    out.stream().map(p -> p.counts.introHeld).toList());
            assertEquals(
                    List.of(2L, 1L, 1L, 1L),
                    out.stream().map(p -> p.counts.plays()).toList());
            // An owner only while the catalogue has the content (a length is not needed for it).
            assertEquals(
                    java.util.Arrays.asList(null, "k", "k", null),
                    out.stream().map(p -> p.counts.creatorId).toList());
            // Per content, duration and owner state gone with its deletion.
            assertEquals(0, h.numKeyedStateEntries());
        }
    }

    @Test
    void withoutACatalogueTheEventsLengthCountsAsBefore() {
        RetentionPartials own = new RetentionPartials(false);
        PlayEnds acc = own.createAccumulator();
        EngagementEvent e = event("e", EventType.SWIPE_AWAY, "c", "u", 0);
        e.progress = 0.4;
        e.contentDurationMs = 100_000L; // 40 s: held
        e.creatorId = "first";
        own.add(acc, e);
        EngagementEvent other = event("e2", EventType.VIEW_COMPLETE, "c", "u2", 0);
        other.creatorId = "second";
        own.add(acc, other);
        RetentionPartial partial = own.partial("c", 0, 3_600_000, acc);
        assertNull(partial.introPositions);
        assertEquals(1, partial.counts.introPlays);
        assertEquals(1, partial.counts.introHeld);
        // Without a catalogue the owner is the events' claim, the first one in the window (as the
        // content windows take it).
        assertEquals("first", partial.counts.creatorId);
    }
}
