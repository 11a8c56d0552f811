package io.engagement.pipeline.event;

/**
 * One input message after validation: exactly one of {@code event} and {@code deadLetter} is set.
 * Produced inside the Kafka source (see {@link io.engagement.pipeline.source.ValidatingDeserializer}) so
 * the source can assign per-partition watermarks from valid event times.
 */
public class ValidatedRecord {
    /** {@link #ingestTimeMs} of a record whose arrival time is unknown: it caps nothing. */
    public static final long UNKNOWN_INGEST_TIME = Long.MAX_VALUE;

    public EngagementEvent event;
    public DeadLetter deadLetter;
    /**
     * When the message reached the pipeline: the earlier of its Kafka record timestamp and the time it
     * was read. No event moves its partition's watermark past this (docs/guarantees.md, clock skew).
     */
    public long ingestTimeMs = UNKNOWN_INGEST_TIME;

    public ValidatedRecord() {}

    public static ValidatedRecord of(ValidationResult result) {
        ValidatedRecord r = new ValidatedRecord();
        r.event = result.event();
        r.deadLetter = result.deadLetter();
        return r;
    }

    public static ValidatedRecord of(ValidationResult result, long ingestTimeMs) {
        ValidatedRecord r = of(result);
        r.ingestTimeMs = ingestTimeMs;
        return r;
    }

    /** Event time for watermarking; dead letters never move the watermark. */
    public long eventTimeOrMin() {
        return event != null ? event.eventTimeMs : Long.MIN_VALUE;
    }

    /**
     * How far this record may advance event time: its event time, but never beyond its ingest time.
     * A device whose clock runs minutes fast still lands in the window its event time names, but it
     * cannot drag the partition's watermark ahead of the traffic around it.
     */
    public long watermarkTimeMs() {
        return event == null ? Long.MIN_VALUE : Math.min(event.eventTimeMs, ingestTimeMs);
    }
}
