package io.engagement.pipeline.creator;

import io.engagement.pipeline.aggregate.ContentWindowAggregate;
import io.engagement.pipeline.aggregate.ContentWindowUpdate;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Folds the content-window updates of one creator into its window: the deltas add up to the sum of
 * each content's newest firing (a late update adds only what it changed), the sketches union, and the
 * completion-rate mean and top contents are kept incrementally. Each update costs the same whatever
 * the number of contents, and so does the state.
 */
public class CreatorRollup implements AggregateFunction<ContentWindowUpdate, CreatorAccumulator, CreatorAccumulator> {

    private final ContentWindowAggregate counters = new ContentWindowAggregate();

    @Override
    public CreatorAccumulator createAccumulator() {
        return new CreatorAccumulator();
    }

    @Override
    public CreatorAccumulator add(ContentWindowUpdate update, CreatorAccumulator acc) {
        counters.merge(acc.totals, update.delta);
        if (update.first) {
            acc.contents++;
        }
        if (update.previousHadViews) {
            acc.sumOfCompletionRates -= update.previousCompletionRate;
            acc.contentsWithViews--;
        }
        if (update.views > 0) {
            acc.sumOfCompletionRates += update.completionRate;
            acc.contentsWithViews++;
        }
        TopContents.offer(acc, update.contentId, update.engagementScore, update.views);
        return acc;
    }

    @Override
    public CreatorAccumulator getResult(CreatorAccumulator acc) {
        return acc;
    }

    /** Only merging (session) windows call this; creator windows are tumbling. Sums both sides. */
    @Override
    public CreatorAccumulator merge(CreatorAccumulator a, CreatorAccumulator b) {
        counters.merge(a.totals, b.totals);
        a.contents += b.contents;
        a.sumOfCompletionRates += b.sumOfCompletionRates;
        a.contentsWithViews += b.contentsWithViews;
        for (int i = 0; i < b.topContentIds.length; i++) {
            TopContents.offer(a, b.topContentIds[i], b.topEngagementScores[i], b.topViews[i]);
        }
        return a;
    }
}
