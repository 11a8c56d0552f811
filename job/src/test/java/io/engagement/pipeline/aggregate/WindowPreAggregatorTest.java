package io.engagement.pipeline.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The local half of the two-phase window aggregation, with explicit watermarks and barriers. Input
 * records are "key:amount" strings in 10 ms tumbling windows; a partial is "key@windowStart=sum/count"
 * emitted at the window's last millisecond, so every expected output below is summed by hand.
 */
class WindowPreAggregatorTest {

    private static final Duration WINDOW = Duration.ofMillis(10);

    /** Sums amounts per key and window, and counts the records folded. */
    static final class SumPerKey implements PreAggregation<String, String, long[], String> {
        @Override
        public String key(String in) {
            return in.substring(0, in.indexOf(':'));
        }

        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public void add(long[] acc, String in) {
            acc[0] += Long.parseLong(in.substring(in.indexOf(':') + 1));
            acc[1]++;
        }

        @Override
        public String partial(String key, long windowStartMs, long windowEndMs, long[] acc) {
            return key + "@" + windowStartMs + "=" + acc[0] + "/" + acc[1];
        }
    }

    private static OneInputStreamOperatorTestHarness<String, String> harness(int maxEntries) throws Exception {
        OneInputStreamOperatorTestHarness<String, String> harness = new OneInputStreamOperatorTestHarness<>(
                new WindowPreAggregator<>(new SumPerKey(), WINDOW, Duration.ZERO, maxEntries));
        harness.open();
        return harness;
    }

    /** Output as text: "value@timestamp" for records, "W:timestamp" for watermarks. */
    private static List<String> drain(OneInputStreamOperatorTestHarness<String, String> harness) {
        List<String> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add(r.getValue() + "@" + r.getTimestamp());
            } else if (o instanceof Watermark w) {
                out.add("W:" + w.getTimestamp());
            }
        }
        harness.getOutput().clear();
        return out;
    }

    @Test
    void foldsPerKeyAndWindowAndFlushesBeforeTheWatermarkThatClosesThem() throws Exception {
        try (var h = harness(100)) {
            h.processElement(new StreamRecord<>("a:1", 1));
            h.processElement(new StreamRecord<>("a:2", 5));
            h.processElement(new StreamRecord<>("b:7", 9));
            h.processElement(new StreamRecord<>("a:4", 12)); // next window
            // A watermark before any buffered window's end passes through; nothing is emitted.
            h.processWatermark(new Watermark(8));
            assertEquals(List.of("W:8"), drain(h));
            // The first window's end is 9: its partials go out before the watermark; the next
            // window, which this watermark does not close, keeps folding.
            h.processWatermark(new Watermark(9));
            List<String> out = drain(h);
            assertEquals("W:9", out.get(out.size() - 1), "partials come before the watermark: " + out);
            assertEquals(
                    List.of("a@0=3/2@9", "b@0=7/1@9"),
                    out.subList(0, out.size() - 1).stream().sorted().toList());
            assertEquals(1, buffered(h));
            h.processElement(new StreamRecord<>("a:6", 15));
            h.processWatermark(new Watermark(19));
            assertEquals(List.of("a@10=10/2@19", "W:19"), drain(h));
            assertEquals(0, buffered(h));
        }
    }

    @Test
    void aRecordForAWindowBehindTheWatermarkGoesAloneAtOnce() throws Exception {
        try (var h = harness(100)) {
            h.processWatermark(new Watermark(25));
            drain(h);
            // Windows [0,10) and [10,20) have fired downstream: each late record is its own partial,
            // so each causes exactly one late firing, as record by record.
            h.processElement(new StreamRecord<>("a:1", 3));
            h.processElement(new StreamRecord<>("a:2", 4));
            h.processElement(new StreamRecord<>("a:5", 15));
            assertEquals(List.of("a@0=1/1@9", "a@0=2/1@9", "a@10=5/1@19"), drain(h));
            // [20,30) has not closed yet: buffered.
            h.processElement(new StreamRecord<>("a:3", 26));
            h.processElement(new StreamRecord<>("a:3", 27));
            assertEquals(List.of(), drain(h));
            assertEquals(1, buffered(h));
        }
    }

    @Test
    void theBarrierFlushesSoNothingBufferedIsInTheSnapshotOrLost() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(100)) {
            h.processElement(new StreamRecord<>("a:1", 1));
            h.processElement(new StreamRecord<>("a:2", 2));
            h.prepareSnapshotPreBarrier(1);
            assertEquals(List.of("a@0=3/2@9"), drain(h));
            snapshot = h.snapshot(1, 100);
        }
        // A fresh operator restored from that checkpoint has nothing to replay: the partial went
        // downstream before the barrier, so it is counted once, with the checkpoint.
        try (var restored = new OneInputStreamOperatorTestHarness<String, String>(
                new WindowPreAggregator<>(new SumPerKey(), WINDOW, Duration.ZERO, 100))) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(new Watermark(100));
            assertEquals(List.of("W:100"), drain(restored));
            restored.processElement(new StreamRecord<>("a:5", 101));
            restored.endInput();
            restored.getOperator().finish();
            assertEquals(
                    List.of("a@100=5/1@109"),
                    drain(restored).stream().filter(s -> !s.startsWith("W:")).toList());
        }
    }

    @Test
    void finishFlushesAtTheEndOfInput() throws Exception {
        try (var h = harness(100)) {
            h.processElement(new StreamRecord<>("a:1", 1));
            h.processElement(new StreamRecord<>("b:1", 2));
            h.getOperator().finish();
            assertEquals(
                    List.of("a@0=1/1@9", "b@0=1/1@9"),
                    drain(h).stream().sorted().toList());
        }
    }

    @Test
    void aFullBufferIsFlushedWhole() throws Exception {
        try (var h = harness(2)) {
            h.processElement(new StreamRecord<>("a:1", 1));
            h.processElement(new StreamRecord<>("b:1", 1));
            h.processElement(new StreamRecord<>("a:1", 2)); // an existing slot: no flush
            assertEquals(List.of(), drain(h));
            h.processElement(new StreamRecord<>("c:1", 3)); // a third slot: the two go out first
            assertEquals(
                    List.of("a@0=2/2@9", "b@0=1/1@9"),
                    drain(h).stream().sorted().toList());
            assertEquals(1, buffered(h));
        }
    }

    @Test
    void zeroEntriesSendsEveryRecordAlone() throws Exception {
        try (var h = harness(0)) {
            h.processElement(new StreamRecord<>("a:1", 1));
            h.processElement(new StreamRecord<>("a:2", 2));
            assertEquals(List.of("a@0=1/1@9", "a@0=2/1@9"), drain(h));
        }
    }

    @Test
    void windowsFollowTheOffsetOfTheirGrain() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<String, String>(
                new WindowPreAggregator<>(new SumPerKey(), WINDOW, Duration.ofMillis(4), 100))) {
            h.open();
            h.processElement(new StreamRecord<>("a:1", 3)); // window [-6, 4)
            h.processElement(new StreamRecord<>("a:1", 4)); // window [4, 14)
            h.processWatermark(new Watermark(13));
            List<String> out = drain(h);
            assertTrue(out.containsAll(List.of("a@-6=1/1@3", "a@4=1/1@13")), out.toString());
        }
    }

    @Test
    void aPartialCarriesTheEndOfTheNewestMinuteItFoldedNotItsWindowsEnd() throws Exception {
        long hour = 3_600_000L * 490_000; // an hour far from the epoch
        try (var h = new OneInputStreamOperatorTestHarness<String, String>(
                new WindowPreAggregator<>(new SumPerKey(), Duration.ofHours(1), Duration.ZERO, 100))) {
            h.open();
            // 10:05:10 and 10:20:30 into an hour window [10:00, 11:00): the partial carries 10:20:59.999,
            // the end of its newest minute, so a backlog of them looks as old as they are.
            h.processElement(new StreamRecord<>("a:1", hour + 5 * 60_000 + 10_000));
            h.processElement(new StreamRecord<>("a:2", hour + 20 * 60_000 + 30_000));
            // A record in the hour's last minute: capped at the hour's last millisecond.
            h.processElement(new StreamRecord<>("b:1", hour + 59 * 60_000 + 59_000));
            h.prepareSnapshotPreBarrier(1);
            assertEquals(
                    List.of(
                            "a@" + hour + "=3/2@" + (hour + 21 * 60_000 - 1),
                            "b@" + hour + "=1/1@" + (hour + 60 * 60_000 - 1)),
                    drain(h).stream().sorted().toList());
        }
    }

    /** Hour windows with a live horizon of 60 s, as the larger grains of a cascade have. */
    private static OneInputStreamOperatorTestHarness<String, String> liveHarness() throws Exception {
        OneInputStreamOperatorTestHarness<String, String> h =
                new OneInputStreamOperatorTestHarness<>(new WindowPreAggregator<>(
                        new SumPerKey(),
                        Duration.ofHours(1),
                        Duration.ZERO,
                        100,
                        WindowPreAggregator.STAMP_SPAN,
                        Duration.ofSeconds(60)));
        h.open();
        return h;
    }

    @Test
    void aLiveBufferIsFlushedRightAfterTheNextWatermarkNotHeldUntilTheBarrier() throws Exception {
        long hour = 3_600_000L * 490_000;
        try (var h = liveHarness()) {
            // Wall clock 10:30:05; two minute deltas of 10:29 (live: 65 s old, horizon 60 s from their
            // timestamp 10:29:59.999) arrive.
            h.setProcessingTime(hour + 30 * 60_000 + 5_000);
            h.processElement(new StreamRecord<>("a:1", hour + 30 * 60_000 - 1));
            h.processElement(new StreamRecord<>("a:2", hour + 30 * 60_000 - 1));
            assertEquals(List.of(), drain(h));
            // The next watermark goes through first (the hour is still open), then the buffer follows,
            // folded, in the task's next step, without a barrier.
            h.processWatermark(new Watermark(hour + 29 * 60_000));
            assertEquals(List.of("W:" + (hour + 29 * 60_000)), drain(h));
            assertEquals(1, buffered(h));
            h.setProcessingTime(hour + 30 * 60_000 + 5_001);
            assertEquals(List.of("a@" + hour + "=3/2@" + (hour + 30 * 60_000 - 1)), drain(h));
            assertEquals(0, buffered(h));
            // Nothing buffered: the next watermark schedules nothing and emits only itself.
            h.processWatermark(new Watermark(hour + 29 * 60_000 + 1));
            h.setProcessingTime(hour + 30 * 60_000 + 6_000);
            assertEquals(List.of("W:" + (hour + 29 * 60_000 + 1)), drain(h));
        }
    }

    @Test
    void aBacklogIsNotLiveAndKeepsFoldingUntilItsWindowClosesOrTheBarrier() throws Exception {
        long hour = 3_600_000L * 490_000;
        try (var h = liveHarness()) {
            // Wall clock two hours later: a replay of that hour's minutes is not live.
            h.setProcessingTime(hour + 3 * 3_600_000L);
            h.processElement(new StreamRecord<>("a:1", hour + 10 * 60_000 - 1));
            h.processWatermark(new Watermark(hour + 10 * 60_000));
            h.processElement(new StreamRecord<>("a:2", hour + 11 * 60_000 - 1));
            h.processWatermark(new Watermark(hour + 11 * 60_000));
            h.setProcessingTime(hour + 3 * 3_600_000L + 1_000);
            assertEquals(List.of("W:" + (hour + 10 * 60_000), "W:" + (hour + 11 * 60_000)), drain(h));
            assertEquals(1, buffered(h));
            h.prepareSnapshotPreBarrier(1);
            assertEquals(List.of("a@" + hour + "=3/2@" + (hour + 11 * 60_000 - 1)), drain(h));
        }
    }

    private static int buffered(OneInputStreamOperatorTestHarness<String, String> h) {
        return ((WindowPreAggregator<?, ?, ?, ?>) h.getOperator()).buffered();
    }
}
