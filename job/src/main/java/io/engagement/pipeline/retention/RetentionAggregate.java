package io.engagement.pipeline.retention;

import org.apache.flink.api.common.functions.AggregateFunction;

/** A retention window adds up its partials. */
public final class RetentionAggregate implements AggregateFunction<RetentionPartial, RetentionCounts, RetentionCounts> {

    @Override
    public RetentionCounts createAccumulator() {
        return new RetentionCounts();
    }

    @Override
    public RetentionCounts add(RetentionPartial partial, RetentionCounts acc) {
        acc.merge(partial.counts);
        return acc;
    }

    @Override
    public RetentionCounts getResult(RetentionCounts acc) {
        return acc;
    }

    @Override
    public RetentionCounts merge(RetentionCounts a, RetentionCounts b) {
        a.merge(b);
        return a;
    }
}
