package io.engagement.pipeline.testing;

import io.engagement.pipeline.topology.PipelineSinks;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** Sinks for topology tests that look at one output: every sink discards, replace the one you read. */
public final class TestSinks {

    private TestSinks() {}

    public static PipelineSinks discarding() {
        return new PipelineSinks(
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>());
    }
}
