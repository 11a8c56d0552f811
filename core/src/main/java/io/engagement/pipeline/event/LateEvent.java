package io.engagement.pipeline.event;

/**
 * An accepted event that arrived after its windows closed (event time older than the watermark minus
 * the allowed lateness). It is not counted in any window; it is written to the late-events table so
 * it is never silently dropped.
 */
public class LateEvent {
    public EngagementEvent event;
    /** The operator's watermark when the event arrived, epoch ms. */
    public long watermarkMs;

    public String reason;

    public LateEvent() {}

    public LateEvent(EngagementEvent event, long watermarkMs, String reason) {
        this.event = event;
        this.watermarkMs = watermarkMs;
        this.reason = reason;
    }

    @Override
    public String toString() {
        return "LateEvent{" + event + " watermark=" + watermarkMs + " " + reason + '}';
    }
}
