package io.engagement.pipeline.aggregate;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Builds a larger window of one content (an hour, a day, a week) from the firings of its finest
 * window (minutes): the deltas of {@link ContentWindowResult#DELTAS} add up to the counters the
 * larger window would have counted from the events themselves, late updates included.
 */
public class MergeFinerWindows
        implements AggregateFunction<ContentWindowSnapshot, ContentWindowAccumulator, ContentWindowAccumulator> {

    private final ContentWindowAggregate counters = new ContentWindowAggregate();

    @Override
    public ContentWindowAccumulator createAccumulator() {
        return counters.createAccumulator();
    }

    @Override
    public ContentWindowAccumulator add(ContentWindowSnapshot finerWindow, ContentWindowAccumulator acc) {
        return counters.merge(acc, finerWindow.counters);
    }

    @Override
    public ContentWindowAccumulator getResult(ContentWindowAccumulator acc) {
        return acc;
    }

    @Override
    public ContentWindowAccumulator merge(ContentWindowAccumulator a, ContentWindowAccumulator b) {
        return counters.merge(a, b);
    }
}
