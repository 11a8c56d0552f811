package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.event.EngagementEvent;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * Partials of (content, country) windows ({@link WindowPreAggregator}): from events for the finest
 * country window (folded by {@link CountryWindowAggregate#add}), and from its deltas for the larger
 * ones. Both are {@link CountryWindowDelta}s, which the keyed windows merge with {@link MergeFinerCountryWindows}.
 */
public final class CountryPartials {

    private CountryPartials() {}

    public static PreAggregation<EngagementEvent, Tuple2<String, String>, CountryWindowAccumulator, CountryWindowDelta>
            ofEvents() {
        return new OfEvents();
    }

    public static PreAggregation<
                    CountryWindowDelta, Tuple2<String, String>, CountryWindowAccumulator, CountryWindowDelta>
            ofFinerWindows() {
        return new OfFinerWindows();
    }

    private abstract static class ToDelta<IN>
            implements PreAggregation<IN, Tuple2<String, String>, CountryWindowAccumulator, CountryWindowDelta> {
        final CountryWindowAggregate counters = new CountryWindowAggregate();

        @Override
        public CountryWindowAccumulator createAccumulator() {
            return counters.createAccumulator();
        }

        @Override
        public CountryWindowDelta partial(
                Tuple2<String, String> contentAndCountry,
                long windowStartMs,
                long windowEndMs,
                CountryWindowAccumulator acc) {
            return new CountryWindowDelta(contentAndCountry.f0, contentAndCountry.f1, acc);
        }
    }

    private static final class OfEvents extends ToDelta<EngagementEvent> {
        @Override
        public Tuple2<String, String> key(EngagementEvent event) {
            return Tuple2.of(event.contentId, CountryWindowAggregate.countryOf(event));
        }

        @Override
        public void add(CountryWindowAccumulator acc, EngagementEvent event) {
            counters.add(event, acc);
        }
    }

    private static final class OfFinerWindows extends ToDelta<CountryWindowDelta> {
        @Override
        public Tuple2<String, String> key(CountryWindowDelta finer) {
            return Tuple2.of(finer.contentId, finer.country);
        }

        @Override
        public void add(CountryWindowAccumulator acc, CountryWindowDelta finer) {
            counters.merge(acc, finer.counters);
        }
    }
}
