package io.engagement.pipeline.retention;

import io.engagement.pipeline.aggregate.PreAggregation;
import io.engagement.pipeline.event.EngagementEvent;

/**
 * Play-ending events folded per content and window before the shuffle ({@link
 * io.engagement.pipeline.aggregate.WindowPreAggregator}). With a content catalogue the events'
 * {@code content_duration_ms} is a claim: the intro hold is left to {@link RetentionDurations}, which
 * has the catalogue's duration, and each play's end position travels with the partial for it.
 */
public final class RetentionPartials implements PreAggregation<EngagementEvent, String, PlayEnds, RetentionPartial> {

    private final boolean durationFromCatalogue;

    public RetentionPartials(boolean durationFromCatalogue) {
        this.durationFromCatalogue = durationFromCatalogue;
    }

    @Override
    public String key(EngagementEvent event) {
        return event.contentId;
    }

    @Override
    public PlayEnds createAccumulator() {
        return new PlayEnds();
    }

    @Override
    public void add(PlayEnds acc, EngagementEvent event) {
        if (durationFromCatalogue) {
            // The owner too comes from the catalogue (RetentionDurations), never from the claim.
            double position = RetentionCounts.position(event);
            acc.counts.addExit(position);
            acc.keepPosition(position);
        } else {
            acc.counts.add(event);
            if (acc.counts.creatorId == null) {
                acc.counts.creatorId = event.creatorId;
            }
        }
    }

    @Override
    public RetentionPartial partial(String contentId, long windowStartMs, long windowEndMs, PlayEnds acc) {
        return new RetentionPartial(contentId, acc.counts, acc.positions());
    }
}
