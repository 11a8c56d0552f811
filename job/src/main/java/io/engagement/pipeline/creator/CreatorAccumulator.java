package io.engagement.pipeline.creator;

import io.engagement.pipeline.aggregate.ContentWindowAccumulator;

/**
 * One creator's window state: the sum of its contents' window deltas (counters and mergeable
 * sketches), how many contents it has, the running sum behind the mean completion rate, and a bounded
 * list of the best contents. Its size does not depend on the number of contents (a Flink POJO of
 * primitive and String arrays, serialized without Kryo).
 */
public class CreatorAccumulator {
    public ContentWindowAccumulator totals = new ContentWindowAccumulator();
    /** Contents with at least one firing in the window. */
    public long contents;
    /** Sum and count of the completion rates of the contents whose newest firing had views. */
    public double sumOfCompletionRates;

    public long contentsWithViews;

    /** The best {@link TopContents#CAPACITY} contents by the ranking of {@link TopContents}, best first. */
    public String[] topContentIds = new String[0];

    public double[] topEngagementScores = new double[0];
    public long[] topViews = new long[0];

    public CreatorAccumulator() {}
}
