package io.engagement.pipeline.catalog;

/** What the job keeps of a catalogue entry, per content: its owner and duration. A Flink POJO (keyed state). */
public class ContentOwnership {
    public String creatorId;
    public Long durationMs;

    public ContentOwnership() {}

    public ContentOwnership(String creatorId, Long durationMs) {
        this.creatorId = creatorId;
        this.durationMs = durationMs;
    }
}
