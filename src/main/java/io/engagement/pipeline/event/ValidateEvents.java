package io.engagement.pipeline.event;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.EnumMap;
import java.util.Map;

/**
 * Splits validated input: valid events go downstream, rejected ones to the {@link #DEAD_LETTERS}
 * side output. Counts every consumed message and every rejection by reason
 * ({@code engagement.events_consumed}, {@code engagement.reason.<reason>.dead_letters}, in Prometheus
 * {@code ..._engagement_dead_letters{reason="..."}}).
 */
public class ValidateEvents extends ProcessFunction<ValidatedRecord, EngagementEvent> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter consumed;
    private transient Map<RejectReason, Counter> rejected;

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("engagement");
        consumed = group.counter("events_consumed");
        rejected = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            // A key/value group: reporters with labels (Prometheus) show the reason as a label.
            rejected.put(reason, group.addGroup("reason", reason.code()).counter("dead_letters"));
        }
    }

    @Override
    public void processElement(ValidatedRecord record, Context ctx, Collector<EngagementEvent> out) {
        consumed.inc();
        if (record.event != null) {
            out.collect(record.event);
        } else {
            rejected.get(record.deadLetter.reason).inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
