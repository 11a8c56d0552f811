package io.engagement.pipeline.creator;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.ContentWindowAggregate;
import io.engagement.pipeline.aggregate.ContentWindowUpdate;
import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.testing.WindowHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The creator window as the topology builds it, fed with the updates a content window emits when it
 * fires (stamped with the window's last millisecond): the first firing's whole counters, then each
 * late firing's delta against the previous one.
 */
class CreatorWindowOperatorTest {

    private static final long HOUR = 3_600_000;
    private static final long T = 10 * HOUR;
    private static final Duration LATENESS = Duration.ofMinutes(5);
    private KeyedOneInputStreamOperatorTestHarness<String, ContentWindowUpdate, CreatorMetrics> harness;

    /** What the content windows of creator k1 have emitted so far, per content. */
    private final Map<String, ContentWindowAccumulator> firedContent = new HashMap<>();

    private final Map<String, Long> firings = new HashMap<>();

    private static KeyedOneInputStreamOperatorTestHarness<String, ContentWindowUpdate, CreatorMetrics> creatorWindow()
            throws Exception {
        return WindowHarness.open(
                ContentWindowUpdate.class,
                new ContentWindowUpdate(),
                u -> u.creatorId,
                input -> input.keyBy(u -> u.creatorId, Types.STRING)
                        .window(TumblingEventTimeWindows.of(Grain.HOUR.size(), Grain.HOUR.offset()))
                        .allowedLateness(LATENESS)
                        .aggregate(new CreatorRollup(), new CreatorWindowResult(Grain.HOUR)));
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = creatorWindow();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /**
     * The content window of {@code contentId} fires with {@code events} added since its last firing,
     * as ContentWindowResult does: the row of the whole window, the delta against the last firing.
     */
    private ContentWindowUpdate fire(String contentId, EngagementEvent... events) {
        ContentWindowAggregate aggregate = new ContentWindowAggregate();
        ContentWindowAccumulator previous = firedContent.get(contentId);
        ContentWindowAccumulator current = aggregate.merge(
                aggregate.createAccumulator(), previous == null ? aggregate.createAccumulator() : previous);
        for (EngagementEvent e : events) {
            e.contentId = contentId;
            e.creatorId = "k1";
            aggregate.add(e, current);
        }
        long version = firings.merge(contentId, 1L, Long::sum);
        ContentMetrics row = ContentMetrics.of(Grain.HOUR, T, T + HOUR, contentId, current, version);
        firedContent.put(contentId, current);
        return ContentWindowUpdate.of(row, ContentWindowAggregate.delta(current, previous), previous);
    }

    private static EngagementEvent completion(String id, String user, long playWatchTimeMs) {
        EngagementEvent e = event(id, EventType.VIEW_COMPLETE, "?", user, T);
        e.totalWatchTimeMs = playWatchTimeMs;
        return e;
    }

    private static EngagementEvent view(String id, String user) {
        return event(id, EventType.VIEW_START, "?", user, T);
    }

    private void send(ContentWindowUpdate update) throws Exception {
        send(harness, update);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, ContentWindowUpdate, CreatorMetrics> h,
            ContentWindowUpdate update)
            throws Exception {
        h.processElement(new StreamRecord<>(update, update.windowEndMs - 1));
    }

    @Test
    void rollsUpTheContentsOfOneCreator() throws Exception {
        // c1: 2 views (u1, u2), 1 completion after 10 s -> completion 50 %, score 40 * 1/2 = 20
        send(fire("c1", view("a", "u1"), view("b", "u2"), completion("c", "u1", 10_000)));
        // c2: 1 view (u1 again), completions after 30 s and 20 s, 1 save -> completion 200 %,
        //     score 40 * 2 + 30 * 1 = 110 -> clamped to 100
        send(fire(
                "c2",
                view("d", "u1"),
                completion("e", "u1", 30_000),
                completion("f", "u3", 20_000),
                event("g", EventType.SAVE, "?", "u1", T)));
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
        assertEquals(100.0, m.completionRate, 1e-9); // 3 / 3
        assertEquals(125.0, m.avgCompletionRate, 1e-9); // (50 + 200) / 2
        assertEquals(1, m.saves);
        assertEquals(20_000, m.medianWatchTimeMs, 200); // median of {10, 20, 30} s
        // creator score over the totals: 40 * 3/3 + 30 * 1/3 = 50
        assertEquals(50.0, m.engagementScore, 1e-9);
        assertEquals("c2", m.topContentId);
        assertEquals(1, m.topContentViews);
        assertEquals(100.0, m.topContentEngagementScore, 1e-9);
    }

    @Test
    void aLateContentUpdateReplacesTheContentsEarlierNumbers() throws Exception {
        send(fire("c1", view("a", "u1")));
        send(fire("c2", view("b", "u2")));
        harness.processWatermark(T + HOUR + 60_000);
        // c1's window fires again (version 2) with a late view: c1 now has 2 views, not 1 + 2
        send(fire("c1", view("c", "u3")));

        List<CreatorMetrics> out = harness.extractOutputValues();
        assertEquals(List.of(1L, 2L), out.stream().map(m -> m.version).toList());
        assertEquals(List.of(2L, 3L), out.stream().map(m -> m.views).toList());
        assertEquals(List.of(2L, 2L), out.stream().map(m -> m.contents).toList());
        assertEquals(3, out.get(1).uniqueViewers);
    }

    @Test
    void aLateUpdateThatLowersTheTopContentHandsTheTopToTheNextOne() throws Exception {
        // c1: 1 view, 1 completion -> 40 * 1 = 40; c2: 2 views, 1 completion -> 40 * 1/2 = 20
        send(fire("c1", view("a", "u1"), completion("b", "u1", 5_000)));
        send(fire("c2", view("c", "u2"), view("d", "u3"), completion("e", "u2", 5_000)));
        harness.processWatermark(T + HOUR + 60_000);
        // c1 late: 3 more views, no completion -> 40 * 1/4 = 10, below c2
        send(fire("c1", view("f", "u4"), view("g", "u5"), view("h", "u6")));
        List<CreatorMetrics> out = harness.extractOutputValues();
        assertEquals(List.of("c1", "c2"), out.stream().map(m -> m.topContentId).toList());
        assertEquals(20.0, out.get(1).topContentEngagementScore, 1e-9);
        // (100 + 50) / 2, then (25 + 50) / 2
        assertEquals(
                List.of(75.0, 37.5), out.stream().map(m -> m.avgCompletionRate).toList());
    }

    /**
     * One creator with many contents (a placeholder creator id puts a platform's contents under one
     * key): every figure equals a reference computed straight from the events, and the state and the
     * cost of a late update's firing stay flat from 5 000 to 50 000 contents (printed, not asserted
     * in time; the state size is asserted, it does not depend on the machine).
     */
    @Test
    void fiftyThousandContentsOfOneCreatorInFlatStateAndCost() throws Exception {
        TypeSerializer<CreatorAccumulator> serializer =
                TypeInformation.of(CreatorAccumulator.class).createSerializer(new SerializerConfigImpl());
        Map<Integer, Integer> stateBytes = new HashMap<>();
        // The first, small run warms the JIT up and is not printed.
        for (int contents : new int[] {1_000, 5_000, 20_000, 50_000}) {
            firedContent.clear();
            firings.clear();
            Random random = new Random(contents);
            // Reference: per content, its views, completions and viewers, straight from the events.
            Map<String, long[]> perContent = new HashMap<>();
            Set<String> viewers = new HashSet<>();
            List<ContentWindowUpdate> firstFirings = new ArrayList<>();
            int eventId = 0;
            for (int c = 0; c < contents; c++) {
                String content = "c" + c;
                List<EngagementEvent> events = new ArrayList<>();
                int views = 1 + random.nextInt(3);
                int completions = random.nextInt(views + 1);
                for (int v = 0; v < views; v++) {
                    String user = "u" + random.nextInt(400); // at most 400 viewers: the sketch stays exact
                    viewers.add("u:" + user);
                    events.add(view("e" + eventId++, user));
                }
                for (int v = 0; v < completions; v++) {
                    events.add(completion("e" + eventId++, "u0", 1_000));
                }
                perContent.put(content, new long[] {views, completions});
                firstFirings.add(fire(content, events.toArray(new EngagementEvent[0])));
            }
            try (var h = creatorWindow()) {
                for (ContentWindowUpdate u : firstFirings) {
                    send(h, u);
                }
                h.processWatermark(T + HOUR + 60_000); // fires once, then every late update fires again
                int late = 200;
                long started = System.nanoTime();
                for (int i = 0; i < late; i++) {
                    String content = "c" + random.nextInt(contents);
                    perContent.get(content)[0]++;
                    viewers.add("u:u1");
                    send(h, fire(content, view("late" + i, "u1")));
                }
                double microsPerFiring = (System.nanoTime() - started) / 1_000.0 / late;

                List<CreatorMetrics> out = h.extractOutputValues();
                assertEquals(1 + late, out.size());
                CreatorMetrics last = out.get(out.size() - 1);
                long views = perContent.values().stream().mapToLong(a -> a[0]).sum();
                long completions =
                        perContent.values().stream().mapToLong(a -> a[1]).sum();
                double sumOfRates = perContent.values().stream()
                        .mapToDouble(a -> 100.0 * a[1] / a[0])
                        .sum();
                assertEquals(contents, last.contents);
                assertEquals(views, last.views);
                assertEquals(completions, last.completions);
                assertEquals(viewers.size(), last.uniqueViewers);
                assertEquals(sumOfRates / contents, last.avgCompletionRate, 1e-6);
                assertEquals(1 + late, last.version);

                CreatorAccumulator acc = new CreatorAccumulator();
                CreatorRollup rollup = new CreatorRollup();
                firstFirings.forEach(u -> rollup.add(u, acc));
                DataOutputSerializer bytes = new DataOutputSerializer(1 << 16);
                serializer.serialize(acc, bytes);
                stateBytes.put(contents, bytes.length());
                if (contents == 1_000) {
                    continue;
                }
                System.out.printf(
                        "creator roll-up, one creator with %,d contents: %.1f us per late update"
                                + " (one creator window firing), creator window state %,d bytes%n",
                        contents, microsPerFiring, bytes.length());
            }
        }
        // The state is the sketches (at most 400 viewers here) plus 16 top entries, whatever the contents.
        assertTrue(stateBytes.get(50_000) < stateBytes.get(5_000) + 1_024, "state grew with contents: " + stateBytes);
    }
}
