package io.engagement.pipeline.catalog;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.engagement.pipeline.aggregate.ContentPartials;
import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import io.engagement.pipeline.aggregate.PreAggregation;
import io.engagement.pipeline.aggregate.WindowPreAggregator;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CatalogAttributionTest {

    private static final PreAggregation<EngagementEvent, String, ContentWindowAccumulator, ContentWindowSnapshot>
            PARTIALS = ContentPartials.ofEvents();

    /** A partial of {@code views} view_starts of {@code content}, each claiming {@code claimedCreator}. */
    private static ContentWindowSnapshot partial(String content, String claimedCreator, int views) {
        ContentWindowAccumulator acc = PARTIALS.createAccumulator();
        for (int i = 0; i < views; i++) {
            EngagementEvent e = event("e" + i, EventType.VIEW_START, content, "u" + i, 1_000);
            e.creatorId = claimedCreator;
            PARTIALS.add(acc, e);
        }
        return PARTIALS.partial(content, 0, 60_000, acc);
    }

    private static CatalogEntry entry(String content, String creator, long version) {
        CatalogEntry e = new CatalogEntry();
        e.contentId = content;
        e.creatorId = creator;
        e.durationMs = 15_000L;
        e.version = version;
        return e;
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, ContentWindowSnapshot, CatalogEntry, ContentWindowSnapshot>
            harness() throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new CatalogAttribution()),
                p -> p.contentId,
                e -> e.contentId,
                Types.STRING);
        h.open();
        return h;
    }

    private static List<ContentWindowSnapshot> partialsOut(
            KeyedTwoInputStreamOperatorTestHarness<String, ContentWindowSnapshot, CatalogEntry, ContentWindowSnapshot>
                    h) {
        List<ContentWindowSnapshot> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    @Test
    void aForgedCreatorIsCountedUnderTheCatalogueOwnerAndAsAMismatch() throws Exception {
        try (var h = harness()) {
            h.processElement2(new StreamRecord<>(entry("c1", "owner", 1), 0));
            h.processElement1(new StreamRecord<>(partial("c1", "owner", 3), 59_999));
            h.processElement1(new StreamRecord<>(partial("c1", "forger", 2), 59_999));
            List<ContentWindowSnapshot> out = partialsOut(h);
            assertEquals(2, out.size());
            for (ContentWindowSnapshot p : out) {
                assertEquals("owner", p.creatorId);
                assertEquals("owner", p.counters.creatorId);
                assertEquals(0, p.counters.uncataloguedEvents);
            }
            assertEquals(3, out.get(0).counters.views);
            assertEquals(0, out.get(0).counters.creatorMismatches);
            assertEquals(2, out.get(1).counters.views);
            assertEquals(2, out.get(1).counters.creatorMismatches);
            // The entry also goes to the content_catalog table.
            assertEquals(1, h.getSideOutput(CatalogAttribution.CATALOG_ROWS).size());
        }
    }

    @Test
    void contentNotInTheCatalogueIsCountedForNoCreatorUntilItsEntryArrives() throws Exception {
        try (var h = harness()) {
            h.processElement1(new StreamRecord<>(partial("c2", "claimed", 4), 59_999));
            ContentWindowSnapshot before = partialsOut(h).get(0);
            assertNull(before.creatorId);
            assertEquals(4, before.counters.uncataloguedEvents);
            assertEquals(4, before.counters.views);

            h.processElement2(new StreamRecord<>(entry("c2", "real-owner", 7), 0));
            assertEquals(List.of(), partialsOut(h), "an entry emits nothing on the main output");
            h.processElement1(new StreamRecord<>(partial("c2", "claimed", 1), 59_999));
            ContentWindowSnapshot attributed = partialsOut(h).get(0);
            assertEquals("real-owner", attributed.creatorId);
            assertEquals(1, attributed.counters.creatorMismatches);
            assertEquals(0, attributed.counters.uncataloguedEvents);
        }
    }

    /** Plays without a reported total watch time get their watch time from the catalogue's duration, not the event's. */
    @Test
    void playWatchTimeUsesTheCataloguesDuration() throws Exception {
        PreAggregation<EngagementEvent, String, ContentWindowAccumulator, ContentWindowSnapshot> waiting =
                ContentPartials.ofEvents(true);
        ContentWindowAccumulator acc = waiting.createAccumulator();
        EngagementEvent complete = event("e1", EventType.VIEW_COMPLETE, "c4", "u1", 1_000);
        complete.contentDurationMs = 1_000L; // the client claims 1 s; the catalogue says 15 s
        EngagementEvent half = event("e2", EventType.SWIPE_AWAY, "c4", "u2", 2_000);
        half.contentDurationMs = 1_000L;
        half.progress = 0.5;
        EngagementEvent reported = event("e3", EventType.SWIPE_AWAY, "c4", "u3", 3_000);
        reported.progress = 0.2;
        reported.totalWatchTimeMs = 4_000L; // a reported total needs no duration
        waiting.add(acc, complete);
        waiting.add(acc, half);
        waiting.add(acc, reported);
        assertEquals(2, acc.pendingPlays);
        try (var h = harness()) {
            h.processElement2(new StreamRecord<>(entry("c4", "owner", 1), 0)); // duration 15 000 ms
            h.processElement1(new StreamRecord<>(waiting.partial("c4", 0, 60_000, acc), 59_999));
            ContentWindowAccumulator out = partialsOut(h).get(0).counters;
            assertNull(out.pendingPlayProgress);
            assertEquals(3, out.playWatchTimes.count());
            // Samples 4 000 (reported), 7 500 (0.5 x 15 000) and 15 000 (1 x 15 000), within the sketch's 1 %.
            assertEquals(4_000, out.playWatchTimes.quantile(0.0), 40);
            assertEquals(7_500, out.playWatchTimes.median(), 75);
            assertEquals(15_000, out.playWatchTimes.quantile(1.0), 150);
        }
    }

    @Test
    void aDeletionRemovesTheOwnershipState() throws Exception {
        try (var h = harness()) {
            h.processElement2(new StreamRecord<>(entry("c3", "owner", 1), 0));
            assertEquals(1, h.numKeyedStateEntries());
            h.processElement2(new StreamRecord<>(CatalogEntry.deletion("c3", 2), 0));
            assertEquals(0, h.numKeyedStateEntries());
            h.processElement1(new StreamRecord<>(partial("c3", "owner", 1), 59_999));
            ContentWindowSnapshot out = partialsOut(h).get(0);
            assertNull(out.creatorId);
            assertEquals(1, out.counters.uncataloguedEvents);
            assertEquals(2, h.getSideOutput(CatalogAttribution.CATALOG_ROWS).size());
        }
    }

    @Test
    void aContentPartialHoldsTheEventsOfOneClaimSoMismatchesAreExact() throws Exception {
        var pre = new OneInputStreamOperatorTestHarness<>(
                new WindowPreAggregator<>(PARTIALS, Duration.ofMinutes(1), Duration.ZERO, 100));
        pre.open();
        String[] claims = {"owner", "owner", "forger", "owner", "forger", "forger"};
        for (int i = 0; i < claims.length; i++) {
            EngagementEvent e = event("e" + i, EventType.VIEW_START, "c1", "u" + i, 1_000 + i);
            e.creatorId = claims[i];
            pre.processElement(new StreamRecord<>(e, e.eventTimeMs));
        }
        pre.processWatermark(new Watermark(60_000));
        List<ContentWindowSnapshot> partials = pre.extractOutputValues();
        // Runs of one claim: owner x2, forger, owner, forger x2.
        assertEquals(
                List.of("owner:2", "forger:1", "owner:1", "forger:2"),
                partials.stream().map(p -> p.creatorId + ":" + p.counters.views).toList());
        try (var h = harness()) {
            h.processElement2(new StreamRecord<>(entry("c1", "owner", 1), 0));
            for (ContentWindowSnapshot p : partials) {
                h.processElement1(new StreamRecord<>(p, 59_999));
            }
            List<ContentWindowSnapshot> out = partialsOut(h);
            assertEquals(
                    3, out.stream().mapToLong(p -> p.counters.creatorMismatches).sum());
            assertEquals(6, out.stream().mapToLong(p -> p.counters.views).sum());
        }
        pre.close();
    }
}
