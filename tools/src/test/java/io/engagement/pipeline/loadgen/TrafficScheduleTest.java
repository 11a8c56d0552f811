package io.engagement.pipeline.loadgen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The load generator's pacing, on a simulated clock (no Kafka needed: the schedule only decides what is due). */
class TrafficScheduleTest {

    private static final double RATE = 300;
    private static final long START = 1_800_000_000_000L;

    /** Messages due per second over {@code seconds}, polling every 5 ms as the load generator does. */
    private static long[] duePerSecond(long warmUpMs, int seconds) {
        EventGenerator generator = new EventGenerator(EventGenerator.Settings.defaults()); // the load generator's mix
        TrafficSchedule schedule = new TrafficSchedule(generator, RATE, START, warmUpMs);
        long[] perSecond = new long[seconds];
        for (long now = START; now < START + seconds * 1000L; now += 5) {
            perSecond[(int) ((now - START) / 1000)] += schedule.due(now).size();
        }
        return perSecond;
    }

    private static double averageRate(long[] perSecond, int from, int to) {
        long sum = 0;
        for (int s = from; s < to; s++) {
            sum += perSecond[s];
        }
        return (double) sum / (to - from);
    }

    @Test
    void aShortRunReachesTheTargetRateFromItsFirstSeconds() {
        long[] perSecond = duePerSecond(TrafficSchedule.DEFAULT_WARM_UP_MS, 180);
        double whole = averageRate(perSecond, 0, 180);
        double firstTenSeconds = averageRate(perSecond, 0, 10);
        assertTrue(Math.abs(whole - RATE) <= 0.1 * RATE, "3-minute average " + whole + " msg/s, target " + RATE);
        assertTrue(
                Math.abs(firstTenSeconds - RATE) <= 0.2 * RATE,
                "first 10 s: " + firstTenSeconds + " msg/s, target " + RATE);
    }

    @Test
    void withoutTheWarmUpTheFirstMinuteFallsShort() {
        // Why the warm-up exists: sessions started at the run's start send most of their messages later.
        double firstMinute = averageRate(duePerSecond(0, 60), 0, 60);
        assertTrue(firstMinute < 0.8 * RATE, "first minute without warm-up: " + firstMinute + " msg/s");
    }
}
