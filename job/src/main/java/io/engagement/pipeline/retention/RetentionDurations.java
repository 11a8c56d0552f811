package io.engagement.pipeline.retention;

import io.engagement.pipeline.catalog.CatalogEntry;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The intro hold by the catalogue's length of the content (issue 24: "duration from the catalogue where
 * it exists"), in the content-keyed stage before the retention windows: a partial's plays whose end
 * positions it carries ({@link RetentionPartial#introPositions}) are counted in the intro hold with
 * the duration of the content's catalogue entry, never with the {@code content_duration_ms} the
 * events claimed. Content not in the catalogue (yet), or an entry without a duration, gives its plays
 * no intro sample, as it gives no watch-time sample ({@link
 * io.engagement.pipeline.aggregate.ContentWindowAggregate#resolvePlayProgress}); their exits count
 * either way.
 *
 * <p>The same stage names the content's owner on the counts ({@link RetentionCounts#creatorId}, for
 * the creator-first copy of the rows) from the catalogue, and no owner for content not in it, as
 * {@link io.engagement.pipeline.catalog.CatalogAttribution} does for the content windows. (The owner
 * is a state of its own beside the duration, so a savepoint taken before it existed restores; its
 * contents get their owner with their next catalogue entry.)
 */
public class RetentionDurations
        extends KeyedCoProcessFunction<String, RetentionPartial, CatalogEntry, RetentionPartial> {

    static final ValueStateDescriptor<Long> DURATION =
            new ValueStateDescriptor<>("retention-content-duration", Long.class);

    static final ValueStateDescriptor<String> CREATOR =
            new ValueStateDescriptor<>("retention-content-creator", String.class);

    private transient ValueState<Long> durationMs;
    private transient ValueState<String> creatorId;
    private transient Counter withoutDuration;

    @Override
    public void open(OpenContext openContext) {
        durationMs = getRuntimeContext().getState(DURATION);
        creatorId = getRuntimeContext().getState(CREATOR);
        withoutDuration = getRuntimeContext()
                .getMetricGroup()
                .addGroup("engagement")
                .addGroup("retention")
                .counter("plays_without_catalogue_duration");
    }

    @Override
    public void processElement1(RetentionPartial partial, Context ctx, Collector<RetentionPartial> out)
            throws Exception {
        double[] positions = partial.introPositions;
        if (positions != null) {
            Long duration = durationMs.value();
            if (duration == null) {
                withoutDuration.inc(positions.length);
            } else {
                for (double position : positions) {
                    partial.counts.countIntro(position, duration);
                }
            }
            partial.introPositions = null;
        }
        partial.counts.creatorId = creatorId.value();
        out.collect(partial);
    }

    @Override
    public void processElement2(CatalogEntry entry, Context ctx, Collector<RetentionPartial> out) throws Exception {
        if (entry.deleted || entry.durationMs == null || entry.durationMs <= 0) {
            durationMs.clear();
        } else {
            durationMs.update(entry.durationMs);
        }
        if (entry.deleted || entry.creatorId == null || entry.creatorId.isEmpty()) {
            creatorId.clear();
        } else {
            creatorId.update(entry.creatorId);
        }
    }
}
