package io.engagement.pipeline.retention;

/** A content's play exits folded before the shuffle to its retention window (a Flink POJO). */
public class RetentionPartial {
    public String contentId;
    public RetentionCounts counts;
    /**
     * With a content catalogue: where each of these plays ended (0 .. 1), for the intro hold, which
     * needs the content's length from the catalogue ({@link RetentionDurations} counts it and clears
     * this); {@code null} without a catalogue (the intro hold is then in {@link #counts}, by the
     * events' own {@code content_duration_ms}).
     */
    public double[] introPositions;

    public RetentionPartial() {}

    public RetentionPartial(String contentId, RetentionCounts counts) {
        this(contentId, counts, null);
    }

    public RetentionPartial(String contentId, RetentionCounts counts, double[] introPositions) {
        this.contentId = contentId;
        this.counts = counts;
        this.introPositions = introPositions;
    }
}
