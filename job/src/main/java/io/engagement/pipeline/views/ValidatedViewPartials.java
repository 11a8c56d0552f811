package io.engagement.pipeline.views;

import io.engagement.pipeline.aggregate.ContentCounter;
import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import io.engagement.pipeline.aggregate.PreAggregation;

/**
 * The claims that passed every gate, folded into content partials that hold only the validated
 * counters ({@link ContentCounter#VALIDATED_VIEWS}, {@link ContentCounter#VALIDATED_COMPLETIONS},
 * {@link ContentCounter#VALIDATED_WATCH_TIME_MS}); the finest content windows merge them with the
 * events' partials. They claim no creator and count no event, so the catalogue join leaves them be.
 */
public final class ValidatedViewPartials
        implements PreAggregation<ViewClaim, String, ContentWindowAccumulator, ContentWindowSnapshot> {

    @Override
    public String key(ViewClaim claim) {
        return claim.contentId;
    }

    @Override
    public ContentWindowAccumulator createAccumulator() {
        return new ContentWindowAccumulator();
    }

    @Override
    public void add(ContentWindowAccumulator acc, ViewClaim claim) {
        // A retraction takes back what its claim added (a late flag: the window fires again, corrected).
        long sign = claim.retraction ? -1 : 1;
        if (claim.viewStart) {
            ContentCounter.VALIDATED_VIEWS.set(acc, ContentCounter.VALIDATED_VIEWS.get(acc) + sign);
        } else {
            if (claim.completes) {
                ContentCounter.VALIDATED_COMPLETIONS.set(acc, ContentCounter.VALIDATED_COMPLETIONS.get(acc) + sign);
            }
            ContentCounter.VALIDATED_WATCH_TIME_MS.set(
                    acc, ContentCounter.VALIDATED_WATCH_TIME_MS.get(acc) + sign * claim.playWatchTimeMs);
        }
    }

    @Override
    public ContentWindowSnapshot partial(
            String contentId, long windowStartMs, long windowEndMs, ContentWindowAccumulator acc) {
        return new ContentWindowSnapshot(contentId, windowStartMs, windowEndMs, 0, acc);
    }
}
