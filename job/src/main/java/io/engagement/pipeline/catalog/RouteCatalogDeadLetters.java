package io.engagement.pipeline.catalog;

import io.engagement.pipeline.event.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Catalogue entries go on; an entry the job cannot use goes to the dead letters, with its reason. */
public class RouteCatalogDeadLetters extends ProcessFunction<CatalogRecord, CatalogEntry> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("catalog-dead-letters") {};

    private transient Counter rejected;

    @Override
    public void open(OpenContext openContext) {
        rejected = getRuntimeContext()
                .getMetricGroup()
                .addGroup("engagement")
                .addGroup("catalog")
                .counter("invalid_entries");
    }

    @Override
    public void processElement(CatalogRecord record, Context ctx, Collector<CatalogEntry> out) {
        if (record.entry != null) {
            out.collect(record.entry);
        } else {
            rejected.inc();
            ctx.output(DEAD_LETTERS, record.rejected);
        }
    }
}
