package io.engagement.pipeline.retention;

/** A content's play exits folded before the shuffle to its retention window (a Flink POJO). */
public class RetentionPartial {
    public String contentId;
    public RetentionCounts counts;

    public RetentionPartial() {}

    public RetentionPartial(String contentId, RetentionCounts counts) {
        this.contentId = contentId;
        this.counts = counts;
    }
}
