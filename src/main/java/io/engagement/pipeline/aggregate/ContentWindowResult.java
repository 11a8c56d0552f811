package io.engagement.pipeline.aggregate;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a fired window's counters into a {@link ContentMetrics} row. Counts the firings of each window
 * in per-window state: the first firing is version 1 and every late update one more, so downstream
 * upserts can tell the newest row. The count lives in checkpointed state, so a replay after a restore
 * re-emits the same version, which replaces rather than duplicates.
 */
public class ContentWindowResult
        extends ProcessWindowFunction<ContentWindowAccumulator, ContentMetrics, String, TimeWindow> {

    private static final ValueStateDescriptor<Long> FIRINGS = new ValueStateDescriptor<>("firings", Long.class);

    private final Grain grain;

    public ContentWindowResult(Grain grain) {
        this.grain = grain;
    }

    @Override
    public void process(String contentId, Context context, Iterable<ContentWindowAccumulator> elements,
                        Collector<ContentMetrics> out) throws Exception {
        ValueState<Long> firings = context.windowState().getState(FIRINGS);
        long version = firings.value() == null ? 1 : firings.value() + 1;
        firings.update(version);
        TimeWindow window = context.window();
        ContentWindowAccumulator acc = elements.iterator().next();
        out.collect(ContentMetrics.of(grain, window.getStart(), window.getEnd(), contentId, acc, version));
    }

    @Override
    public void clear(Context context) throws Exception {
        context.windowState().getState(FIRINGS).clear();
    }
}
