package io.engagement.pipeline.signals;

import io.engagement.pipeline.event.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Erasure requests become erasure signals for the user's state; a bad request goes to the dead letters. */
public class RouteErasures extends ProcessFunction<ErasureRecord, UserSignal> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("erasure-dead-letters") {};

    private transient Counter rejected;

    @Override
    public void open(OpenContext openContext) {
        rejected = getRuntimeContext()
                .getMetricGroup()
                .addGroup("engagement")
                .addGroup("user_signals")
                .counter("invalid_erasure_requests");
    }

    @Override
    public void processElement(ErasureRecord record, Context ctx, Collector<UserSignal> out) {
        if (record.userId != null) {
            out.collect(UserSignal.erasure(record.userId));
        } else {
            rejected.inc();
            ctx.output(DEAD_LETTERS, record.rejected);
        }
    }
}
