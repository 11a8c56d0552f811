package io.engagement.pipeline.aggregate;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a fired window's counters into a {@link ContentMetrics} row, versioned by {@link WindowFirings}
 * so a late update replaces the earlier row downstream.
 */
public class ContentWindowResult
        extends ProcessWindowFunction<ContentWindowAccumulator, ContentMetrics, String, TimeWindow> {

    /** Every firing's counters, for the creator roll-up of the same grain (side output). */
    public static final OutputTag<ContentWindowSnapshot> SNAPSHOTS = new OutputTag<>("content-window-snapshots") {};

    private final Grain grain;
    private final boolean emitSnapshots;

    public ContentWindowResult(Grain grain) {
        this(grain, false);
    }

    public ContentWindowResult(Grain grain, boolean emitSnapshots) {
        this.grain = grain;
        this.emitSnapshots = emitSnapshots;
    }

    @Override
    public void process(String contentId, Context context, Iterable<ContentWindowAccumulator> elements,
                        Collector<ContentMetrics> out) throws Exception {
        long version = WindowFirings.next(context.windowState());
        TimeWindow window = context.window();
        ContentWindowAccumulator acc = elements.iterator().next();
        out.collect(ContentMetrics.of(grain, window.getStart(), window.getEnd(), contentId, acc, version));
        if (emitSnapshots) {
            // Stamped with the window's max timestamp, so it lands in the same window downstream.
            context.output(SNAPSHOTS, new ContentWindowSnapshot(contentId, window.getStart(), window.getEnd(), version, acc));
        }
    }

    @Override
    public void clear(Context context) throws Exception {
        WindowFirings.clear(context.windowState());
    }
}
