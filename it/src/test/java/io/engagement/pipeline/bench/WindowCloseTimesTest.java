package io.engagement.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The latency benchmark's close time of a minute window, worked out by hand (2 partitions, 30 s out-of-orderness). */
class WindowCloseTimesTest {

    @Test
    void aWindowClosesWhenTheLastPartitionIsSentAnEventPastItsEndPlusTheOutOfOrderness() {
        StackBenchmark.WindowCloseTimes times = new StackBenchmark.WindowCloseTimes(2, 30_000);
        // Window [60 s, 120 s) closes once each partition has an event at or past 150 s.
        times.produced(0, 100_000, 1_000);
        times.produced(0, 150_000, 2_000); // partition 0 passes 120 s at 2.0 s
        times.produced(0, 149_000, 2_500); // older: changes nothing
        times.produced(1, 155_000, 3_000); // partition 1 passes 120 s at 3.0 s: the window closes at 3.0 s
        times.produced(1, 400_000, 4_000); // partition 1 jumps past 180, 240, 300 and 360 s at once
        times.produced(0, 275_000, 5_000); // partition 0 passes 180 s and 240 s at 5.0 s
        assertEquals(List.of(500L, 700L), times.latencies(Map.of(120_000L, List.of(3_500L, 3_700L)), Long.MIN_VALUE));
        assertEquals(List.of(1_000L), times.latencies(Map.of(240_000L, List.of(6_000L)), Long.MIN_VALUE));
        // 300 s has closed on partition 1 only: not counted.
        assertEquals(List.of(), times.latencies(Map.of(300_000L, List.of(9_000L)), Long.MIN_VALUE));
        // Windows that could close before the warm-up ends (3.0 s here) are left out of the steady figure.
        Map<Long, List<Long>> seen = Map.of(120_000L, List.of(3_500L), 240_000L, List.of(6_000L));
        assertEquals(List.of(1_000L), times.latencies(seen, 4_000));
        assertEquals(2, times.byWindowEnd(seen, Long.MIN_VALUE).size());
    }
}
