package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.metrics.EngagementFormulas;

/**
 * What one firing of a content window changes in its creator's window of the same grain: the counter
 * and sketch delta against the window's previous firing (the whole window on the first), plus the
 * content's figures before and after, so the creator keeps the mean completion rate and the top
 * content without holding one entry per content.
 */
public class ContentWindowUpdate {
    public String contentId;
    public String creatorId;
    public long windowStartMs;
    public long windowEndMs;
    /** Version of the content window's row (0 for a provisional firing, {@link WindowFirings}). */
    public long version;
    /** The content window's first firing, provisional or final: the creator counts the content once. */
    public boolean first;

    public ContentWindowAccumulator delta;

    /** The previous firing had views (it counted in the creator's mean completion rate) ... */
    public boolean previousHadViews;
    /** ... with this completion rate. */
    public double previousCompletionRate;

    public long views;
    public double completionRate;
    public double engagementScore;

    public ContentWindowUpdate() {}

    public static ContentWindowUpdate of(
            ContentMetrics row, ContentWindowAccumulator delta, ContentWindowAccumulator previous) {
        return of(row, delta, previous, ScoreBasis.COUNTED);
    }

    /** @param basis the plays the row's rates and scores are over: the creator's mean and top content use the same */
    public static ContentWindowUpdate of(
            ContentMetrics row, ContentWindowAccumulator delta, ContentWindowAccumulator previous, ScoreBasis basis) {
        ContentWindowUpdate u = new ContentWindowUpdate();
        u.contentId = row.contentId;
        u.creatorId = row.creatorId;
        u.windowStartMs = row.windowStartMs;
        u.windowEndMs = row.windowEndMs;
        u.version = row.version;
        u.first = previous == null;
        u.delta = delta;
        u.previousHadViews = previous != null && basis.views(previous) > 0;
        u.previousCompletionRate = previous == null
                ? 0
                : EngagementFormulas.completionRate(basis.completions(previous), basis.views(previous));
        u.views = basis.views(row);
        u.completionRate = row.completionRate;
        u.engagementScore = row.engagementScore;
        return u;
    }
}
