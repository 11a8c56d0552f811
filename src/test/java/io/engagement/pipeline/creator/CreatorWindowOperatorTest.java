package io.engagement.pipeline.creator;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.ContentWindowAggregate;
import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.testing.WindowHarness;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/**
 * The creator window as the topology builds it, fed with content-window snapshots as the content
 * windows emit them (stamped with the window's last millisecond).
 */
class CreatorWindowOperatorTest {

    private static final long HOUR = 3_600_000;
    private static final long T = 10 * HOUR;
    private static final Duration LATENESS = Duration.ofMinutes(5);
    private KeyedOneInputStreamOperatorTestHarness<String, ContentWindowSnapshot, CreatorMetrics> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = WindowHarness.open(ContentWindowSnapshot.class, new ContentWindowSnapshot(), s -> s.creatorId,
                input -> input
                        .keyBy(s -> s.creatorId, Types.STRING)
                        .window(TumblingEventTimeWindows.of(Grain.HOUR.size(), Grain.HOUR.offset()))
                        .allowedLateness(LATENESS)
                        .process(new CreatorWindowResult(Grain.HOUR)));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** A content window of creator k1 folded from events, as the content window operator would. */
    private static ContentWindowSnapshot contentWindow(String contentId, long version, EngagementEvent... events) {
        ContentWindowAggregate aggregate = new ContentWindowAggregate();
        ContentWindowAccumulator acc = aggregate.createAccumulator();
        for (EngagementEvent e : events) {
            e.contentId = contentId;
            e.creatorId = "k1";
            aggregate.add(e, acc);
        }
        return new ContentWindowSnapshot(contentId, T, T + HOUR, version, acc);
    }

    private static EngagementEvent completion(String id, String user, long playWatchTimeMs) {
        EngagementEvent e = event(id, EventType.VIEW_COMPLETE, "?", user, T);
        e.totalWatchTimeMs = playWatchTimeMs;
        return e;
    }

    private void send(ContentWindowSnapshot snapshot) throws Exception {
        harness.processElement(new StreamRecord<>(snapshot, snapshot.windowEndMs - 1));
    }

    @Test
    void rollsUpTheContentsOfOneCreator() throws Exception {
        // c1: 2 views (u1, u2), 1 completion after 10 s -> completion 50 %, score 40 * 1/2 = 20
        send(contentWindow("c1", 1,
                event("a", EventType.VIEW_START, "?", "u1", T), event("b", EventType.VIEW_START, "?", "u2", T),
                completion("c", "u1", 10_000)));
        // c2: 1 view (u1 again), completions after 30 s and 20 s, 1 save -> completion 200 %,
        //     score 40 * 2 + 30 * 1 = 110 -> clamped to 100
        send(contentWindow("c2", 1,
                event("d", EventType.VIEW_START, "?", "u1", T), completion("e", "u1", 30_000),
                completion("f", "u3", 20_000), event("g", EventType.SAVE, "?", "u1", T)));
        harness.processWatermark(T + HOUR - 1);

        List<CreatorMetrics> out = harness.extractOutputValues();
        assertEquals(1, out.size(), out.toString());
        CreatorMetrics m = out.get(0);
        assertEquals("hour", m.grain);
        assertEquals("k1", m.creatorId);
        assertEquals(T, m.windowStartMs);
        assertEquals(1, m.version);
        assertEquals(2, m.contents);
        assertEquals(3, m.views);
        assertEquals(2, m.uniqueViewers); // u1 watched both contents: merged, not 2 + 1
        assertTrue(m.uniqueViewersExact);
        assertEquals(3, m.completions);
        assertEquals(100.0, m.completionRate, 1e-9);       // 3 / 3
        assertEquals(125.0, m.avgCompletionRate, 1e-9);    // (50 + 200) / 2
        assertEquals(1, m.saves);
        assertEquals(20_000, m.medianWatchTimeMs, 200);    // median of {10, 20, 30} s
        // creator score over the totals: 40 * 3/3 + 30 * 1/3 = 50
        assertEquals(50.0, m.engagementScore, 1e-9);
        assertEquals("c2", m.topContentId);
        assertEquals(1, m.topContentViews);
        assertEquals(100.0, m.topContentEngagementScore, 1e-9);
    }

    @Test
    void aLateContentUpdateReplacesTheContentsEarlierNumbers() throws Exception {
        send(contentWindow("c1", 1, event("a", EventType.VIEW_START, "?", "u1", T)));
        send(contentWindow("c2", 1, event("b", EventType.VIEW_START, "?", "u2", T)));
        harness.processWatermark(T + HOUR + 60_000);
        // c1's window fires again (version 2) with a late view: c1 now has 2 views, not 1 + 2
        send(contentWindow("c1", 2, event("a", EventType.VIEW_START, "?", "u1", T),
                event("c", EventType.VIEW_START, "?", "u3", T)));

        List<CreatorMetrics> out = harness.extractOutputValues();
        assertEquals(List.of(1L, 2L), out.stream().map(m -> m.version).toList());
        assertEquals(List.of(2L, 3L), out.stream().map(m -> m.views).toList());
        assertEquals(List.of(2L, 2L), out.stream().map(m -> m.contents).toList());
        assertEquals(3, out.get(1).uniqueViewers);
    }
}
