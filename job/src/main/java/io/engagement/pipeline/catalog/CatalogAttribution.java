package io.engagement.pipeline.catalog;

import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.ContentWindowAggregate;
import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Ownership from the content catalogue, in the content-keyed stage: the content's partials (keyed by
 * content id, before its minute windows) meet its catalogue entries (keyed the same way), so no event
 * is shuffled for the join. A partial holds the events of one {@code creator_id} claim
 * ({@link io.engagement.pipeline.aggregate.PreAggregation#folds}); it leaves with the catalogue's
 * creator, and when its claim contradicts the catalogue its events are counted in
 * {@code creatorMismatches}. Content not in the catalogue is counted, attributed to no creator
 * ({@code creatorId} null, the row's {@code creator_id} empty) and its events counted in
 * {@code uncataloguedEvents}, until its entry arrives. Every entry also goes to
 * {@link #CATALOG_ROWS} (the {@code content_catalog} table).
 */
public class CatalogAttribution
        extends KeyedCoProcessFunction<String, ContentWindowSnapshot, CatalogEntry, ContentWindowSnapshot> {

    public static final OutputTag<CatalogEntry> CATALOG_ROWS = new OutputTag<>("content-catalog-rows") {};

    static final ValueStateDescriptor<ContentOwnership> OWNERSHIP =
            new ValueStateDescriptor<>("catalog-ownership", ContentOwnership.class);

    private transient ValueState<ContentOwnership> ownership;
    private transient Counter mismatchedEvents;
    private transient Counter uncataloguedEvents;
    private transient Counter entries;
    private transient Counter deletions;

    @Override
    public void open(OpenContext openContext) {
        ownership = getRuntimeContext().getState(OWNERSHIP);
        var group = getRuntimeContext().getMetricGroup().addGroup("engagement").addGroup("catalog");
        mismatchedEvents = group.counter("creator_mismatch_events");
        uncataloguedEvents = group.counter("uncatalogued_events");
        entries = group.counter("entries");
        deletions = group.counter("deletions");
    }

    @Override
    public void processElement1(ContentWindowSnapshot partial, Context ctx, Collector<ContentWindowSnapshot> out)
            throws Exception {
        ContentWindowAccumulator acc = partial.counters;
        ContentOwnership owner = ownership.value();
        ContentWindowAggregate.resolvePlayProgress(acc, owner == null ? null : owner.durationMs);
        if (owner == null) {
            acc.uncataloguedEvents += acc.events;
            uncataloguedEvents.inc(acc.events);
            acc.creatorId = null;
        } else {
            if (!owner.creatorId.equals(acc.creatorId)) {
                acc.creatorMismatches += acc.events;
                mismatchedEvents.inc(acc.events);
            }
            acc.creatorId = owner.creatorId;
        }
        partial.creatorId = acc.creatorId;
        out.collect(partial);
    }

    @Override
    public void processElement2(CatalogEntry entry, Context ctx, Collector<ContentWindowSnapshot> out)
            throws Exception {
        if (entry.deleted) {
            ownership.clear();
            deletions.inc();
        } else {
            ownership.update(new ContentOwnership(entry.creatorId, entry.durationMs));
            entries.inc();
        }
        ctx.output(CATALOG_ROWS, entry);
    }
}
