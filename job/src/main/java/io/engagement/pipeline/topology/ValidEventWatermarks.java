package io.engagement.pipeline.topology;

import io.engagement.pipeline.event.ValidatedRecord;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Bounded-out-of-orderness watermarks with idleness, driven by valid events only, each capped at its
 * ingest time ({@link ValidatedRecord#watermarkTimeMs()}): an accepted event from a phone whose clock
 * runs minutes fast would otherwise move its partition's watermark minutes ahead of the honest
 * traffic, which would then be too late for its windows. A replay of old data is not slowed: there the
 * event times are far behind the ingest times and the cap never applies.
 *
 * <p>Flink's built-in idleness counts any record as activity, so a partition carrying nothing but
 * invalid messages would never be idle while its watermark never moves, holding back every window. Here dead letters neither
 * move the watermark nor count as activity.
 */
public final class ValidEventWatermarks implements WatermarkGenerator<ValidatedRecord> {

    private final long outOfOrdernessMs;
    private final long idleTimeoutMs;
    private final RelativeClock clock;

    private long maxTimestamp;
    private long lastActivityMs;
    private boolean idle;

    public ValidEventWatermarks(long outOfOrdernessMs, long idleTimeoutMs, RelativeClock clock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.clock = clock;
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMs + 1;
        this.lastActivityMs = clock.relativeTimeMillis();
    }

    @Override
    public void onEvent(ValidatedRecord record, long eventTimestamp, WatermarkOutput output) {
        if (record.event == null) {
            return;
        }
        maxTimestamp = Math.max(maxTimestamp, record.watermarkTimeMs());
        lastActivityMs = clock.relativeTimeMillis();
        idle = false;
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (clock.relativeTimeMillis() - lastActivityMs >= idleTimeoutMs) {
            if (!idle) {
                output.markIdle();
                idle = true;
            }
            return;
        }
        output.emitWatermark(new Watermark(maxTimestamp - outOfOrdernessMs - 1));
    }
}
