package io.engagement.pipeline.topology;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.event.RejectReason;
import io.engagement.pipeline.event.ValidatedRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class ValidEventWatermarksTest {

    /** Records what the generator emits: watermarks as numbers, idleness as "idle". */
    private static final class Recorder implements WatermarkOutput {
        final List<String> emitted = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(Long.toString(watermark.getTimestamp()));
        }

        @Override
        public void markIdle() {
            emitted.add("idle");
        }

        @Override
        public void markActive() {}
    }

    private static ValidatedRecord valid(long time) {
        ValidatedRecord r = new ValidatedRecord();
        r.event = event("e" + time, EventType.VIEW_START, "c", "u", time);
        return r;
    }

    private static ValidatedRecord valid(long time, long ingestTime) {
        ValidatedRecord r = valid(time);
        r.ingestTimeMs = ingestTime;
        return r;
    }

    private static ValidatedRecord deadLetter() {
        ValidatedRecord r = new ValidatedRecord();
        r.deadLetter = new DeadLetter(RejectReason.MALFORMED_JSON, "x", "x", "utf8", "t", 0, 0);
        return r;
    }

    @Test
    void watermarkTrailsTheHighestValidEventTimeByTheBound() {
        ManualClock clock = new ManualClock();
        ValidEventWatermarks generator = new ValidEventWatermarks(30_000, 60_000, clock);
        Recorder out = new Recorder();
        generator.onEvent(valid(100_000), 100_000, out);
        generator.onEvent(valid(90_000), 90_000, out); // out of order: does not lower it
        generator.onEvent(deadLetter(), Long.MIN_VALUE, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of("69999"), out.emitted); // 100 000 - 30 000 - 1
    }

    @Test
    void aPartitionWithOnlyInvalidMessagesBecomesIdle() {
        ManualClock clock = new ManualClock();
        ValidEventWatermarks generator = new ValidEventWatermarks(30_000, 60_000, clock);
        Recorder out = new Recorder();
        generator.onEvent(valid(100_000), 100_000, out);
        clock.advanceTime(java.time.Duration.ofSeconds(59));
        generator.onEvent(deadLetter(), Long.MIN_VALUE, out); // not activity
        generator.onPeriodicEmit(out);
        clock.advanceTime(java.time.Duration.ofSeconds(1));
        generator.onEvent(deadLetter(), Long.MIN_VALUE, out);
        generator.onPeriodicEmit(out);
        generator.onPeriodicEmit(out); // idle is announced once
        generator.onEvent(valid(200_000), 200_000, out); // a valid event makes it active again
        generator.onPeriodicEmit(out);
        assertEquals(List.of("69999", "idle", "169999"), out.emitted);
    }

    @Test
    void aFastDeviceClockDoesNotMoveTheWatermarkPastItsIngestTime() {
        ManualClock clock = new ManualClock();
        ValidEventWatermarks generator = new ValidEventWatermarks(30_000, 60_000, clock);
        Recorder out = new Recorder();
        long now = 1_000_000_000L;
        generator.onEvent(valid(now - 2_000, now), now - 2_000, out); // honest, 2 s in transit
        generator.onEvent(valid(now + 295_000, now + 100), now + 295_000, out); // clock 4 min 55 s fast
        generator.onEvent(valid(now + 295_000, now + 200), now + 295_000, out); // and again
        generator.onPeriodicEmit(out);
        // Capped at the fast events' ingest time (now + 200), not at now + 295 s.
        assertEquals(List.of(Long.toString(now + 200 - 30_000 - 1)), out.emitted);
    }

    @Test
    void aReplayOfOldDataAdvancesAtFullSpeed() {
        ManualClock clock = new ManualClock();
        ValidEventWatermarks generator = new ValidEventWatermarks(30_000, 60_000, clock);
        Recorder out = new Recorder();
        long now = 1_000_000_000_000L;
        long dayAgo = now - 86_400_000L;
        // A day of history read within a second: event time runs far ahead of the read clock's pace.
        for (long t = dayAgo; t <= dayAgo + 3_600_000L; t += 60_000) {
            generator.onEvent(valid(t, now), t, out);
        }
        generator.onPeriodicEmit(out);
        assertEquals(List.of(Long.toString(dayAgo + 3_600_000L - 30_000 - 1)), out.emitted);
    }
}
