package io.engagement.pipeline.aggregate;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Builds a larger (content, country) window (a day, a week) from the firings of the finest country
 * window (hours): the deltas of {@link CountryWindowResult#DELTAS} add up to what the larger window
 * would have counted from the events, late updates included (as {@link MergeFinerWindows} for contents).
 */
public class MergeFinerCountryWindows
        implements AggregateFunction<CountryWindowDelta, CountryWindowAccumulator, CountryWindowAccumulator> {

    private final CountryWindowAggregate counters = new CountryWindowAggregate();

    @Override
    public CountryWindowAccumulator createAccumulator() {
        return counters.createAccumulator();
    }

    @Override
    public CountryWindowAccumulator add(CountryWindowDelta finerWindow, CountryWindowAccumulator acc) {
        return counters.merge(acc, finerWindow.counters);
    }

    @Override
    public CountryWindowAccumulator getResult(CountryWindowAccumulator acc) {
        return acc;
    }

    @Override
    public CountryWindowAccumulator merge(CountryWindowAccumulator a, CountryWindowAccumulator b) {
        return counters.merge(a, b);
    }
}
