package io.engagement.pipeline.alerts;

import io.engagement.pipeline.aggregate.WindowFirings;
import io.engagement.pipeline.creator.CreatorMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by creator; input is each creator day's first closing. Raises {@link CreatorAlert#DAY_HIGH} or
 * {@link CreatorAlert#DAY_LOW} when the day's views are far off the creator's typical day
 * ({@link CreatorDayTrend}, {@code alerts.creator-day-factor}). Runs in the creator day windows' task.
 */
public class CreatorDayAlerts extends KeyedProcessFunction<String, CreatorMetrics, CreatorAlert> {

    static final long DAY_MS = 86_400_000L;

    private final AlertRules rules;
    private transient ValueState<CreatorDayTrend> trends;
    private transient Counter raised;

    public CreatorDayAlerts(AlertRules rules) {
        this.rules = rules;
    }

    /** The day's first final firing only. */
    public static boolean isFirstClosing(CreatorMetrics day) {
        return WindowFirings.isFirstClosing(day.provisional, day.version);
    }

    @Override
    public void open(OpenContext openContext) {
        trends = getRuntimeContext().getState(new ValueStateDescriptor<>("creator-day-trend", CreatorDayTrend.class));
        raised = getRuntimeContext().getMetricGroup().addGroup("engagement").counter("alerts_raised");
    }

    @Override
    public void processElement(CreatorMetrics day, Context ctx, Collector<CreatorAlert> out) throws Exception {
        long epochDay = Math.floorDiv(day.windowStartMs, DAY_MS);
        CreatorDayTrend trend = trends.value();
        if (trend == null) {
            trend = CreatorDayTrend.startingAt(epochDay);
        } else if (epochDay <= trend.lastDay) {
            return;
        }
        String kind = trend.advanceTo(epochDay, day.views, rules);
        trends.update(trend);
        if (kind != null) {
            // A breaching day is not learned from: the typical day now is the one it was judged against.
            raised.inc();
            out.collect(CreatorAlert.of(
                    kind, day.creatorId, null, day.windowStartMs, day.windowEndMs, day.views, trend.typical));
        }
    }
}
