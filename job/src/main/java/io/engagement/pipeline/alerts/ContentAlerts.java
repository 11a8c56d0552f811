package io.engagement.pipeline.alerts;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by content; input is each content minute's first closing ({@link MinuteViews}). Raises a
 * {@link CreatorAlert#SPIKE} when a minute is far above the content's typical minute and a
 * {@link CreatorAlert#DROP} when its last minutes are far below their typical total
 * ({@link ContentViewTrend}, {@link AlertRules}), once per episode.
 *
 * <p>A content whose views stop altogether has no more minutes to step, so while a drop is watched an
 * event-time timer waits for the close of the first minute at which the drop rule would hold without
 * another view; a minute that does come replaces it. The alert is raised as the watermark closes the
 * breaching minute, in the minute windows' own task (the input is taken as keyed by content, no shuffle).
 * When the input ends, timers that no real watermark reached raise nothing. A content's state expires
 * after {@link #IDLE_TTL} without minutes.
 */
public class ContentAlerts extends KeyedProcessFunction<String, MinuteViews, CreatorAlert> {

    static final long MINUTE_MS = 60_000L;
    static final Duration IDLE_TTL = Duration.ofDays(7);

    private final AlertRules rules;
    private transient ValueState<ContentViewTrend> trends;
    private transient Counter raised;

    public ContentAlerts(AlertRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<ContentViewTrend> descriptor =
                new ValueStateDescriptor<>("content-view-trend", ContentViewTrend.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(IDLE_TTL)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        trends = getRuntimeContext().getState(descriptor);
        raised = getRuntimeContext().getMetricGroup().addGroup("engagement").counter("alerts_raised");
    }

    @Override
    public void processElement(MinuteViews minute, Context ctx, Collector<CreatorAlert> out) throws Exception {
        long epochMinute = Math.floorDiv(minute.windowStartMs, MINUTE_MS);
        ContentViewTrend trend = trends.value();
        if (trend == null) {
            trend = ContentViewTrend.startingAt(epochMinute, minute.creatorId);
        } else if (epochMinute <= trend.lastMinute) {
            return; // not a new minute (cannot happen with first closings in watermark order; kept safe)
        }
        if (minute.creatorId != null) {
            trend.creatorId = minute.creatorId;
        }
        emit(trend.advanceTo(epochMinute, minute.views, rules), ctx.getCurrentKey(), trend, out);
        rearm(trend, ctx);
        trends.update(trend);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CreatorAlert> out) throws Exception {
        ContentViewTrend trend = trends.value();
        if (trend == null || trend.dropTimer != timestamp) {
            return;
        }
        trend.dropTimer = Long.MIN_VALUE;
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            trends.update(trend);
            return; // end of input: that minute never closed
        }
        long silentMinute = Math.floorDiv(timestamp + 1, MINUTE_MS) - 1;
        if (silentMinute > trend.lastMinute) {
            emit(trend.advanceTo(silentMinute, 0, rules), ctx.getCurrentKey(), trend, out);
            rearm(trend, ctx);
        }
        trends.update(trend);
    }

    private void rearm(ContentViewTrend trend, Context ctx) {
        long dropMinute = trend.firstSilentDropMinute(rules);
        long timer = dropMinute == Long.MIN_VALUE ? Long.MIN_VALUE : (dropMinute + 1) * MINUTE_MS - 1;
        if (timer == trend.dropTimer) {
            return;
        }
        if (trend.dropTimer != Long.MIN_VALUE) {
            ctx.timerService().deleteEventTimeTimer(trend.dropTimer);
        }
        if (timer != Long.MIN_VALUE) {
            ctx.timerService().registerEventTimeTimer(timer);
        }
        trend.dropTimer = timer;
    }

    private void emit(String kind, String contentId, ContentViewTrend trend, Collector<CreatorAlert> out) {
        if (kind == null) {
            return;
        }
        long minuteEnd = (trend.alertMinute + 1) * MINUTE_MS;
        long span = CreatorAlert.SPIKE.equals(kind) ? 1 : ContentViewTrend.SPAN_MINUTES;
        CreatorAlert alert = CreatorAlert.of(
                kind,
                trend.creatorId,
                contentId,
                minuteEnd - span * MINUTE_MS,
                minuteEnd,
                trend.alertViews,
                trend.alertTypicalViews);
        raised.inc();
        out.collect(alert);
    }
}
