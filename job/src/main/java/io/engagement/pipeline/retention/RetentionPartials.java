package io.engagement.pipeline.retention;

import io.engagement.pipeline.aggregate.PreAggregation;
import io.engagement.pipeline.event.EngagementEvent;

/** Play-ending events folded per content and window before the shuffle ({@link io.engagement.pipeline.aggregate.WindowPreAggregator}). */
public final class RetentionPartials
        implements PreAggregation<EngagementEvent, String, RetentionCounts, RetentionPartial> {

    @Override
    public String key(EngagementEvent event) {
        return event.contentId;
    }

    @Override
    public RetentionCounts createAccumulator() {
        return new RetentionCounts();
    }

    @Override
    public void add(RetentionCounts acc, EngagementEvent event) {
        acc.add(event);
    }

    @Override
    public RetentionPartial partial(String contentId, long windowStartMs, long windowEndMs, RetentionCounts acc) {
        return new RetentionPartial(contentId, acc);
    }
}
