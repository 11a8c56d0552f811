package io.engagement.pipeline.event;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

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
    private transient Counter countryOutside;
    private transient Counter deviceOutside;
    private transient Counter platformOutside;
    private transient Counter sourceOutside;

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("engagement");
        consumed = group.counter("events_consumed");
        rejected = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            // A key/value group: reporters with labels (Prometheus) show the reason as a label.
            rejected.put(reason, group.addGroup("reason", reason.code()).counter("dead_letters"));
        }
        countryOutside = group.addGroup("dimension", "country").counter("outside_vocabulary");
        deviceOutside = group.addGroup("dimension", "device").counter("outside_vocabulary");
        platformOutside = group.addGroup("dimension", "platform").counter("outside_vocabulary");
        sourceOutside = group.addGroup("dimension", "source").counter("outside_vocabulary");
    }

    /** Accepted events whose country is "unknown" or whose device, platform or source is "other" ({@link Dimensions}). */
    private void countOutsideVocabulary(EngagementEvent e) {
        if (Dimensions.isOutside(e.country)) {
            countryOutside.inc();
        }
        if (Dimensions.isOutside(e.device)) {
            deviceOutside.inc();
        }
        if (Dimensions.isOutside(e.platform)) {
            platformOutside.inc();
        }
        if (Dimensions.isOutside(e.source)) {
            sourceOutside.inc();
        }
    }

    @Override
    public void processElement(ValidatedRecord record, Context ctx, Collector<EngagementEvent> out) {
        consumed.inc();
        if (record.event != null) {
            countOutsideVocabulary(record.event);
            out.collect(record.event);
        } else {
            rejected.get(record.deadLetter.reason).inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
