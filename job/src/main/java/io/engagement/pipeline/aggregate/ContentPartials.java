package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.event.EngagementEvent;

/**
 * Partials of content windows ({@link WindowPreAggregator}): from events for the finest window
 * (folded by {@link ContentWindowAggregate#add}), and from the finest window's deltas for the larger
 * ones (merged by {@link ContentWindowAggregate#merge}). Both are {@link ContentWindowSnapshot}s, which
 * the keyed windows merge with {@link MergeFinerWindows}.
 */
public final class ContentPartials {

    private ContentPartials() {}

    public static PreAggregation<EngagementEvent, String, ContentWindowAccumulator, ContentWindowSnapshot> ofEvents() {
        return ofEvents(false);
    }

    /** @param durationFromCatalogue plays wait for the catalogue's duration ({@link ContentWindowAggregate}) */
    public static PreAggregation<EngagementEvent, String, ContentWindowAccumulator, ContentWindowSnapshot> ofEvents(
            boolean durationFromCatalogue) {
        return new OfEvents(durationFromCatalogue);
    }

    public static PreAggregation<ContentWindowSnapshot, String, ContentWindowAccumulator, ContentWindowSnapshot>
            ofFinerWindows() {
        return new OfFinerWindows(false);
    }

    private abstract static class ToSnapshot<IN>
            implements PreAggregation<IN, String, ContentWindowAccumulator, ContentWindowSnapshot> {
        final ContentWindowAggregate counters;

        ToSnapshot(boolean durationFromCatalogue) {
            counters = new ContentWindowAggregate(durationFromCatalogue);
        }

        @Override
        public ContentWindowAccumulator createAccumulator() {
            return counters.createAccumulator();
        }

        @Override
        public ContentWindowSnapshot partial(
                String contentId, long windowStartMs, long windowEndMs, ContentWindowAccumulator acc) {
            return new ContentWindowSnapshot(contentId, windowStartMs, windowEndMs, 0, acc);
        }
    }

    private static final class OfEvents extends ToSnapshot<EngagementEvent> {
        OfEvents(boolean durationFromCatalogue) {
            super(durationFromCatalogue);
        }

        @Override
        public String key(EngagementEvent event) {
            return event.contentId;
        }

        /** One ownership claim per partial ({@code acc.creatorId} is the claim of its first event). */
        @Override
        public boolean folds(ContentWindowAccumulator acc, EngagementEvent event) {
            return acc.creatorId == null || acc.creatorId.equals(event.creatorId);
        }

        @Override
        public void add(ContentWindowAccumulator acc, EngagementEvent event) {
            counters.add(event, acc);
        }
    }

    private static final class OfFinerWindows extends ToSnapshot<ContentWindowSnapshot> {
        OfFinerWindows(boolean durationFromCatalogue) {
            super(durationFromCatalogue);
        }

        @Override
        public String key(ContentWindowSnapshot finer) {
            return finer.contentId;
        }

        @Override
        public void add(ContentWindowAccumulator acc, ContentWindowSnapshot finer) {
            counters.merge(acc, finer.counters);
        }
    }
}
