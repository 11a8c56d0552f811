package io.engagement.pipeline.aggregate;

/**
 * The counters of one content window as fired, with its firing version: what creator roll-ups are
 * built from. Carries the sketches, not just the numbers, so a creator's unique viewers and median
 * watch time are merged from its contents' sketches instead of summed.
 */
public class ContentWindowSnapshot {
    public String contentId;
    public String creatorId;
    public long windowStartMs;
    public long windowEndMs;
    public long version;
    public ContentWindowAccumulator counters;

    public ContentWindowSnapshot() {}

    public ContentWindowSnapshot(String contentId, long windowStartMs, long windowEndMs, long version,
                                 ContentWindowAccumulator counters) {
        this.contentId = contentId;
        this.creatorId = counters.creatorId;
        this.windowStartMs = windowStartMs;
        this.windowEndMs = windowEndMs;
        this.version = version;
        this.counters = counters;
    }
}
