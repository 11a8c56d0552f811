package io.engagement.pipeline.testing;

import io.engagement.pipeline.event.ValidatedRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Bounded out-of-orderness watermarks emitted after every event that moves the maximum, instead of
 * periodically in processing time: an in-memory topology test then sees the same watermarks in every
 * run, so which events are late does not depend on how fast the machine is.
 */
public final class EveryEventWatermarks implements WatermarkGenerator<ValidatedRecord> {

    private final long outOfOrdernessMs;
    private long max = Long.MIN_VALUE;

    public EveryEventWatermarks(long outOfOrdernessMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
    }

    /** {@code validated} with event-time timestamps and these watermarks. */
    public static DataStream<ValidatedRecord> assign(DataStream<ValidatedRecord> validated, Duration outOfOrderness) {
        long bound = outOfOrderness.toMillis();
        return validated.assignTimestampsAndWatermarks(
                WatermarkStrategy.<ValidatedRecord>forGenerator(context -> new EveryEventWatermarks(bound))
                        .withTimestampAssigner((record, ignored) -> record.eventTimeOrMin()));
    }

    @Override
    public void onEvent(ValidatedRecord record, long timestamp, WatermarkOutput output) {
        if (timestamp != Long.MIN_VALUE && timestamp > max) {
            max = timestamp;
            output.emitWatermark(new Watermark(max - outOfOrdernessMs - 1));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // only after events
    }
}
