package io.engagement.pipeline.creator;

import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.aggregate.WindowFirings;

import java.util.HashMap;
import java.util.Map;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Rolls a creator's content windows up into one {@link CreatorMetrics} row per window of the same
 * grain. A late event makes its content window fire again with a higher version, which reaches this
 * window within the same allowed lateness and makes it fire again: only the newest version of each
 * content counts, so an update replaces the content's earlier numbers instead of adding to them.
 * The creator row's own version counts its firings, as for content rows.
 */
public class CreatorWindowResult
        extends ProcessWindowFunction<ContentWindowSnapshot, CreatorMetrics, String, TimeWindow> {

    private final Grain grain;

    public CreatorWindowResult(Grain grain) {
        this.grain = grain;
    }

    @Override
    public void process(String creatorId, Context context, Iterable<ContentWindowSnapshot> snapshots,
                        Collector<CreatorMetrics> out) throws Exception {
        Map<String, ContentWindowSnapshot> newestPerContent = new HashMap<>();
        for (ContentWindowSnapshot snapshot : snapshots) {
            newestPerContent.merge(snapshot.contentId, snapshot, (a, b) -> a.version >= b.version ? a : b);
        }
        long version = WindowFirings.next(context.windowState());
        TimeWindow window = context.window();
        out.collect(CreatorMetrics.of(grain, window.getStart(), window.getEnd(), creatorId,
                newestPerContent.values(), version));
    }

    @Override
    public void clear(Context context) throws Exception {
        WindowFirings.clear(context.windowState());
    }
}
