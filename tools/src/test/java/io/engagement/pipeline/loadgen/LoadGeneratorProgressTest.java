package io.engagement.pipeline.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoadGeneratorProgressTest {

    @Test
    void aLineGivesSentRecentRateElapsedAndTheEarlierOfTheTwoEnds() {
        // 60 s run at 500 msg/s, stopping after 20 000 messages at the latest.
        LoadGenerator.Progress progress = new LoadGenerator.Progress(0, 60_000, 20_000, 500);
        // At 10 s, 4 000 sent since the start (400 msg/s): by duration 50 s left, by count 16 000 / 500 = 32 s.
        assertEquals(
                "loadgen: sent 4,000 messages, 400 msg/s (target 500), elapsed 10 s, ETA 32 s",
                progress.line(4_000, 10_000));
        // Without a count the duration decides.
        assertEquals(
                "loadgen: sent 4,000 messages, 400 msg/s (target 500), elapsed 10 s, ETA 50 s",
                new LoadGenerator.Progress(0, 60_000, Long.MAX_VALUE, 500).line(4_000, 10_000));
    }
}
