package io.engagement.pipeline.aggregate;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Builds a larger (content, country) window from the deltas of its finest windows; see {@link MergeFinerWindows}. */
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
