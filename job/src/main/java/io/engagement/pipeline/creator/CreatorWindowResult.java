package io.engagement.pipeline.creator;

import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.aggregate.ProvisionalTrigger;
import io.engagement.pipeline.aggregate.ScoreBasis;
import io.engagement.pipeline.aggregate.WindowFirings;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a creator window's accumulator ({@link CreatorRollup}) into a {@link CreatorMetrics} row. A late
 * event makes its content window fire again, whose update reaches this window within the same allowed
 * lateness and makes it fire again; the row's version counts its firings, as for content rows, and a
 * firing before the window closes is provisional ({@link ProvisionalTrigger}).
 */
public class CreatorWindowResult extends ProcessWindowFunction<CreatorAccumulator, CreatorMetrics, String, TimeWindow> {

    private final Grain grain;
    private final ScoreBasis basis;

    public CreatorWindowResult(Grain grain) {
        this(grain, ScoreBasis.COUNTED);
    }

    public CreatorWindowResult(Grain grain, ScoreBasis basis) {
        this.grain = grain;
        this.basis = basis;
    }

    @Override
    public void process(
            String creatorId, Context context, Iterable<CreatorAccumulator> elements, Collector<CreatorMetrics> out)
            throws Exception {
        TimeWindow window = context.window();
        boolean provisional = ProvisionalTrigger.isProvisional(window, context.currentWatermark());
        long version = provisional ? WindowFirings.PROVISIONAL : WindowFirings.next(context.windowState());
        CreatorMetrics row = CreatorMetrics.of(
                grain,
                window.getStart(),
                window.getEnd(),
                creatorId,
                elements.iterator().next(),
                version,
                basis);
        row.provisional = provisional;
        out.collect(row);
    }

    @Override
    public void clear(Context context) throws Exception {
        WindowFirings.clear(context.windowState());
    }
}
