package io.engagement.pipeline.aggregate;

import static io.engagement.pipeline.testing.Events.event;
import static io.engagement.pipeline.testing.Events.withWatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.testing.WindowHarness;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-content window exactly as the topology builds it (aggregate + result function, allowed
 * lateness), driven through Flink's operator test harness with explicit watermarks.
 */
class ContentWindowOperatorTest {

    private static final long MINUTE = 60_000;
    private static final Duration LATENESS = Duration.ofMinutes(5);
    private KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, ContentMetrics> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = WindowHarness.open(
                e -> e.contentId,
                input -> input.keyBy(e -> e.contentId, Types.STRING)
                        .window(TumblingEventTimeWindows.of(Grain.MINUTE.size(), Grain.MINUTE.offset()))
                        .allowedLateness(LATENESS)
                        .aggregate(new ContentWindowAggregate(), new ContentWindowResult(Grain.MINUTE)));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(EngagementEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.eventTimeMs));
    }

    @Test
    void countsOneMinuteOfOneContent() throws Exception {
        long t = 10 * MINUTE;
        send(event("1", EventType.IMPRESSION, "c1", "u1", t));
        send(event("2", EventType.VIEW_START, "c1", "u1", t + 1_000));
        send(withWatch(event("3", EventType.VIEW_COMPLETE, "c1", "u1", t + 20_000), 19_000, 1.0));
        send(event("4", EventType.VIEW_START, "c1", "u2", t + 2_000));
        send(withWatch(event("5", EventType.SWIPE_AWAY, "c1", "u2", t + 5_000), 3_000, 0.3));
        send(event("6", EventType.VIEW_START, "c1", "u1", t + 30_000)); // u1 again: 3 views, 2 viewers
        send(event("7", EventType.LIKE, "c1", "u1", t + 31_000));
        send(event("8", EventType.SHARE, "c1", "u1", t + 32_000));
        send(event("9", EventType.VIEW_START, "c2", "u3", t + 1_000)); // another content
        send(event("10", EventType.VIEW_START, "c1", "u9", t + MINUTE)); // next minute
        harness.processWatermark(t + MINUTE - 1);

        List<ContentMetrics> out = harness.extractOutputValues();
        assertEquals(2, out.size(), out.toString());
        ContentMetrics c1 =
                out.stream().filter(m -> m.contentId.equals("c1")).findFirst().orElseThrow();
        assertEquals("minute", c1.grain);
        assertEquals(t, c1.windowStartMs);
        assertEquals(t + MINUTE, c1.windowEndMs);
        assertEquals("creator-of-c1", c1.creatorId);
        assertEquals(1, c1.version);
        assertEquals(1, c1.impressions);
        assertEquals(3, c1.views);
        assertEquals(2, c1.uniqueViewers);
        assertTrue(c1.uniqueViewersExact);
        assertEquals(22_000, c1.watchTimeMs);
        assertEquals(22_000 / 3.0, c1.avgWatchTimeMs, 1e-9);
        assertEquals(1, c1.completions);
        assertEquals(100.0 / 3, c1.completionRate, 1e-9);
        assertEquals(1, c1.endedOver25);
        assertEquals(1, c1.skips);
        assertEquals(1, c1.likes);
        assertEquals(1, c1.shares);
        // engagement rate (1 like + 1 share) / 3 views = 66.67 %
        assertEquals(200.0 / 3, c1.engagementRate, 1e-9);
        // engagement score: 40*(1/3) + 20*(1/3) - 20*(1/3) = 13.33
        assertEquals(40.0 / 3, c1.engagementScore, 1e-9);
        // quality: retention 33.33*0.35 + engagement min(100, 66.67/20*100)=100 *0.30
        //          + virality min(100, 33.33/5*100)=100 *0.20 + watchability 0 = 11.667 + 30 + 20
        assertEquals(0.35 * (100.0 / 3) + 30 + 20, c1.qualityScore, 1e-9);
    }

    @Test
    void viewsAreBrokenDownBySourceDeviceAndPlatform() throws Exception {
        long t = 10 * MINUTE;
        String[][] views = {
            {"for_you", "mobile", "ios"}, {"FOR_YOU", "mobile", "android"}, {"following", "tablet", "android"},
            {"search", "desktop", "web"}, {"hashtag", "tv", "web"}, {"direct", "mobile", "ios"},
            {"profile", "mobile", "ios"}, {null, null, null}, {"radio", "watch", "tizen"}
        };
        for (int i = 0; i < views.length; i++) {
            EngagementEvent e = event("v" + i, EventType.VIEW_START, "c1", "u" + i, t + i);
            e.source = views[i][0];
            e.device = views[i][1];
            e.platform = views[i][2];
            send(e);
        }
        send(event("like", EventType.LIKE, "c1", "u1", t + 20)); // not a view: counted nowhere below
        harness.processWatermark(t + MINUTE - 1);
        ContentMetrics m = harness.extractOutputValues().get(0);
        assertEquals(9, m.views);
        assertEquals(
                List.of(2L, 1L, 1L, 1L, 1L, 1L, 2L),
                List.of(
                        m.viewsOrganic,
                        m.viewsFollowing,
                        m.viewsProfile,
                        m.viewsHashtag,
                        m.viewsSearch,
                        m.viewsDirect,
                        m.viewsOtherSource));
        assertEquals(
                List.of(4L, 1L, 1L, 1L, 2L),
                List.of(m.viewsMobile, m.viewsTablet, m.viewsDesktop, m.viewsTv, m.viewsOtherDevice));
        assertEquals(List.of(3L, 2L, 2L, 2L), List.of(m.viewsIos, m.viewsAndroid, m.viewsWeb, m.viewsOtherPlatform));
        assertEquals(3, m.feedViews); // for_you x2 + following
    }

    @Test
    void playEndsGiveTheMedianWatchTimeLoopsAndSwipeAways() throws Exception {
        long t = 10 * MINUTE;
        for (String user : List.of("u1", "u2", "u3", "u4")) {
            send(event("start-" + user, EventType.VIEW_START, "c1", user, t));
        }
        // u1 completes a 30 s video without sending its total: the sample is the whole 30 s; 2 loops
        EngagementEvent complete = event("1", EventType.VIEW_COMPLETE, "c1", "u1", t + 1_000);
        complete.contentDurationMs = 30_000L;
        complete.loopCount = 2;
        send(complete);
        // u2 swipes away half way and sends the play's total: 12 s (preferred over 0.5 * 30 s)
        EngagementEvent half = withWatch(event("2", EventType.SWIPE_AWAY, "c1", "u2", t + 2_000), 1_000, 0.5);
        half.contentDurationMs = 30_000L;
        half.totalWatchTimeMs = 12_000L;
        send(half);
        // u3 swipes away at the very end after 45 s with 1 loop: a completion and a swipe-away
        EngagementEvent end = withWatch(event("3", EventType.SWIPE_AWAY, "c1", "u3", t + 3_000), 1_000, 1.0);
        end.totalWatchTimeMs = 45_000L;
        end.loopCount = 1;
        send(end);
        // u4 swipes away early with neither total nor duration: no watch-time sample
        send(withWatch(event("4", EventType.SWIPE_AWAY, "c1", "u4", t + 4_000), 500, 0.1));
        // loop counts on events that do not end a play are not counted
        EngagementEvent progress = event("5", EventType.VIEW_PROGRESS, "c1", "u1", t + 5_000);
        progress.loopCount = 5;
        send(progress);
        harness.processWatermark(t + MINUTE - 1);

        ContentMetrics m = harness.extractOutputValues().get(0);
        assertEquals(3, m.swipedAway);
        assertEquals(2, m.skips);
        assertEquals(2, m.completions);
        assertEquals(3, m.loopPlays);
        // median of the samples {12 s, 30 s, 45 s} = 30 s, within the sketch's 1 %
        assertEquals(30_000, m.medianWatchTimeMs, 300);
    }

    @Test
    void aSwipeAtTheVeryEndIsAFullPlayNotASkip() throws Exception {
        long t = 10 * MINUTE;
        send(event("1", EventType.VIEW_START, "c1", "u1", t));
        send(withWatch(event("2", EventType.SWIPE_AWAY, "c1", "u1", t + 1_000), 30_000, 1.0));
        send(event("3", EventType.VIEW_START, "c1", "u2", t + 2_000));
        send(withWatch(event("4", EventType.SWIPE_AWAY, "c1", "u2", t + 3_000), 20_000, 0.8));
        harness.processWatermark(t + MINUTE - 1);
        ContentMetrics m = harness.extractOutputValues().get(0);
        assertEquals(1, m.completions);
        assertEquals(1, m.skips);
        assertEquals(1, m.endedOver75);
        // 40 * 1/2 - 20 * 1/2 = 10
        assertEquals(10.0, m.engagementScore, 1e-9);
    }

    @Test
    void aLateEventWithinAllowedLatenessReFiresWithTheNextVersion() throws Exception {
        long t = 10 * MINUTE;
        send(event("1", EventType.VIEW_START, "c1", "u1", t));
        harness.processWatermark(t + 2 * MINUTE);
        send(event("2", EventType.VIEW_START, "c1", "u2", t + 10)); // late, within 5 min
        send(event("3", EventType.VIEW_START, "c1", "u3", t + 20)); // late again
        List<ContentMetrics> out = harness.extractOutputValues();
        assertEquals(List.of(1L, 2L, 3L), out.stream().map(m -> m.version).toList());
        assertEquals(List.of(1L, 2L, 3L), out.stream().map(m -> m.views).toList());
        assertEquals(3, out.get(2).uniqueViewers);
        assertEquals(t, out.get(2).windowStartMs);
    }

    @Test
    void firingsOfTheFinestGrainEmitWhatTheyAddForTheLargerGrains() throws Exception {
        harness.close();
        harness = WindowHarness.open(
                e -> e.contentId,
                input -> input.keyBy(e -> e.contentId, Types.STRING)
                        .window(TumblingEventTimeWindows.of(Grain.MINUTE.size(), Grain.MINUTE.offset()))
                        .allowedLateness(LATENESS)
                        .aggregate(new ContentWindowAggregate(), new ContentWindowResult(Grain.MINUTE, false, true)));
        long t = 10 * MINUTE;
        send(event("1", EventType.VIEW_START, "c1", "u1", t));
        EngagementEvent end = event("2", EventType.VIEW_COMPLETE, "c1", "u1", t + 5);
        end.totalWatchTimeMs = 10_000L;
        send(end);
        harness.processWatermark(t + 2 * MINUTE);
        send(event("3", EventType.VIEW_START, "c1", "u2", t + 10)); // late, within 5 min: second firing

        List<ContentWindowSnapshot> deltas = harness.getSideOutput(ContentWindowResult.DELTAS).stream()
                .map(r -> r.getValue())
                .toList();
        assertEquals(List.of(1L, 2L), deltas.stream().map(d -> d.version).toList());
        // the second firing adds one view and no completion; its viewer set is the whole window's
        assertEquals(List.of(1L, 1L), deltas.stream().map(d -> d.counters.views).toList());
        assertEquals(
                List.of(1L, 0L),
                deltas.stream().map(d -> d.counters.completions).toList());
        assertEquals(
                List.of(1L, 0L),
                deltas.stream().map(d -> d.counters.playWatchTimes.count()).toList());
        assertEquals(2, deltas.get(1).counters.viewers.estimate());
        // stamped with the minute's last millisecond, so an hour window takes them
        assertEquals(
                List.of(t + MINUTE - 1, t + MINUTE - 1),
                harness.getSideOutput(ContentWindowResult.DELTAS).stream()
                        .map(r -> r.getTimestamp())
                        .toList());

        // An hour built from the deltas equals the minute's latest firing: 2 views, 2 viewers, 1 completion.
        MergeFinerWindows hour = new MergeFinerWindows();
        ContentWindowAccumulator acc = hour.createAccumulator();
        for (ContentWindowSnapshot d : deltas) {
            hour.add(d, acc);
        }
        ContentMetrics m = ContentMetrics.of(Grain.HOUR, 0, 0, "c1", acc, 1);
        assertEquals(List.of(2L, 2L, 1L), List.of(m.views, m.uniqueViewers, m.completions));
        assertEquals(10_000, m.medianWatchTimeMs, 100);
    }

    @Test
    void aFiringThatAddsNothingSinceThePreviousOneSendsNoDeltaAndNoCreatorUpdate() throws Exception {
        for (boolean finest : new boolean[] {true, false}) {
            harness.close();
            harness = WindowHarness.open(
                    e -> e.contentId,
                    input -> input.keyBy(e -> e.contentId, Types.STRING)
                            .window(TumblingEventTimeWindows.of(Grain.MINUTE.size(), Grain.MINUTE.offset()))
                            .trigger(ProvisionalTrigger.every(Duration.ofSeconds(30), Duration.ofSeconds(30)))
                            .allowedLateness(LATENESS)
                            .aggregate(
                                    new ContentWindowAggregate(),
                                    new ContentWindowResult(Grain.MINUTE, !finest, finest)));
            long t = 10 * MINUTE;
            harness.setProcessingTime(t + 10_000); // live: the wall clock is inside the minute
            EngagementEvent view = event("1", EventType.VIEW_START, "c1", "u1", t + 1_000);
            view.creatorId = "cr1";
            send(view);
            send(event("2", EventType.LIKE, "c1", "u1", t + 2_000));
            harness.setProcessingTime(t + 30_000); // provisional firing
            harness.processWatermark(t + MINUTE); // the window closes: nothing new since the provisional firing
            EngagementEvent late = event("3", EventType.VIEW_START, "c1", "u2", t + 3_000);
            late.creatorId = "cr1";
            send(late); // a late view: a third firing that adds one view and one viewer

            // Every firing writes its row: provisional, final, late update.
            assertEquals(
                    List.of(0L, 1L, 2L),
                    harness.extractOutputValues().stream().map(m -> m.version).toList());
            List<Long> sentViews = finest
                    ? harness.getSideOutput(ContentWindowResult.DELTAS).stream()
                            .map(r -> r.getValue().counters.views)
                            .toList()
                    : harness.getSideOutput(ContentWindowResult.CREATOR_UPDATES).stream()
                            .map(r -> r.getValue().delta.views)
                            .toList();
            // Only the provisional firing and the late update change anything: 1 view, then 1 more.
            assertEquals(List.of(1L, 1L), sentViews, finest ? "deltas" : "creator updates");
        }
    }

    @Test
    void anEventAfterTheAllowedLatenessDoesNotChangeTheWindow() throws Exception {
        long t = 10 * MINUTE;
        send(event("1", EventType.VIEW_START, "c1", "u1", t));
        harness.processWatermark(t + MINUTE + LATENESS.toMillis());
        send(event("2", EventType.VIEW_START, "c1", "u2", t + 10));
        assertEquals(
                List.of(1L),
                harness.extractOutputValues().stream().map(m -> m.views).toList());
    }
}
