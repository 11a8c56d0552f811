package io.engagement.pipeline.retention;

import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.aggregate.ProvisionalTrigger;
import io.engagement.pipeline.aggregate.WindowFirings;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a fired retention window into a {@link ContentRetention} row (provisional while open, then versions 1, 2, ...). */
public final class RetentionResult
        extends ProcessWindowFunction<RetentionCounts, ContentRetention, String, TimeWindow> {

    private final Grain grain;

    public RetentionResult(Grain grain) {
        this.grain = grain;
    }

    @Override
    public void process(
            String contentId, Context context, Iterable<RetentionCounts> elements, Collector<ContentRetention> out)
            throws Exception {
        TimeWindow window = context.window();
        ContentRetention row = new ContentRetention();
        row.grain = grain.code();
        row.windowStartMs = window.getStart();
        row.windowEndMs = window.getEnd();
        row.contentId = contentId;
        row.provisional = ProvisionalTrigger.isProvisional(window, context.currentWatermark());
        row.version = row.provisional ? WindowFirings.PROVISIONAL : WindowFirings.next(context.windowState());
        row.counts = elements.iterator().next().copy();
        row.creatorId = row.counts.creatorId == null ? "" : row.counts.creatorId;
        out.collect(row);
    }

    @Override
    public void clear(Context context) throws Exception {
        WindowFirings.clear(context.windowState());
    }
}
