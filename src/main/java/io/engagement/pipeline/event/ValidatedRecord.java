package io.engagement.pipeline.event;

/**
 * One input message after validation: exactly one of {@code event} and {@code deadLetter} is set.
 * Produced inside the Kafka source (see {@link io.engagement.pipeline.source.ValidatingDeserializer}) so
 * the source can assign per-partition watermarks from valid event times.
 */
public class ValidatedRecord {
    public EngagementEvent event;
    public DeadLetter deadLetter;

    public ValidatedRecord() {}

    public static ValidatedRecord of(ValidationResult result) {
        ValidatedRecord r = new ValidatedRecord();
        r.event = result.event();
        r.deadLetter = result.deadLetter();
        return r;
    }

    /** Event time for watermarking; dead letters never move the watermark. */
    public long eventTimeOrMin() {
        return event != null ? event.eventTimeMs : Long.MIN_VALUE;
    }
}
