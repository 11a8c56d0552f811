package io.engagement.pipeline.retention;

/**
 * One row of ClickHouse table {@code content_retention}: where the plays of a content that ended in
 * one hour ended, and its intro hold ({@link RetentionCounts}); versioned like the content windows
 * ({@link io.engagement.pipeline.aggregate.WindowFirings}, provisional while the hour is open).
 */
public class ContentRetention {
    public String grain;
    public long windowStartMs;
    public long windowEndMs;
    public String contentId;
    /** The content's owner ({@link RetentionCounts#creatorId}); empty when unknown. */
    public String creatorId;

    public long version;
    public boolean provisional;
    public RetentionCounts counts;

    public ContentRetention() {}

    @Override
    public String toString() {
        return "ContentRetention{" + grain + ' ' + contentId + " @" + windowStartMs + " v" + version
                + (provisional ? " provisional " : " ") + counts + '}';
    }
}
