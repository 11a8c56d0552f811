package io.engagement.pipeline.topology;

import static io.engagement.pipeline.testing.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.event.RejectReason;
import io.engagement.pipeline.event.ValidatedRecord;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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
        generator.onEvent(valid(90_000), 90_000, out);   // out of order: does not lower it
        generator.onEvent(deadLetter(), Long.MIN_VALUE, out);
        generator.onPeriodicEmit(out);
        assertEquals(List.of("69999"), out.emitted);      // 100 000 - 30 000 - 1
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
        generator.onPeriodicEmit(out);                         // idle is announced once
        generator.onEvent(valid(200_000), 200_000, out);       // a valid event makes it active again
        generator.onPeriodicEmit(out);
        assertEquals(List.of("69999", "idle", "169999"), out.emitted);
    }
}
