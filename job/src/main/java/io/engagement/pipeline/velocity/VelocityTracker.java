package io.engagement.pipeline.velocity;

import static io.engagement.pipeline.metrics.EngagementFormulas.perHour;
import static io.engagement.pipeline.metrics.EngagementFormulas.trend;
import static io.engagement.pipeline.metrics.EngagementFormulas.trending;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.ScoreBasis;
import io.engagement.pipeline.metrics.Trend;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by content; input is the content's hourly window results. Keeps the last 48 hours of counts
 * and, each time an hour closes, emits the velocity over the last 24 h against the previous 24 h
 * (seed 002). An hour without events has no window result, so an event-time timer at the end of the
 * next hour emits it as a zero hour: declining content is updated too. After 48 hours without views
 * the content's state is cleared. A late update of an hour replaces that hour and re-emits. When
 * the input ends, hours that no real watermark closed are not emitted.
 */
public class VelocityTracker extends KeyedProcessFunction<String, ContentMetrics, ContentVelocity> {

    static final long HOUR_MS = 3_600_000L;
    private static final int HOURS = 24;

    private final double trendingMinViewsPerHour;
    /** Whose views an hour counts: the validated ones when view validation is on, so a view farm trends nothing. */
    private final ScoreBasis basis;

    private transient MapState<Long, HourCounts> hours;
    private transient ValueState<ContentVelocity> last;

    public VelocityTracker(double trendingMinViewsPerHour) {
        this(trendingMinViewsPerHour, ScoreBasis.COUNTED);
    }

    public VelocityTracker(double trendingMinViewsPerHour, ScoreBasis basis) {
        this.trendingMinViewsPerHour = trendingMinViewsPerHour;
        this.basis = basis;
    }

    @Override
    public void open(OpenContext openContext) {
        hours = getRuntimeContext().getMapState(new MapStateDescriptor<>("hours", Long.class, HourCounts.class));
        last = getRuntimeContext().getState(new ValueStateDescriptor<>("last", ContentVelocity.class));
    }

    @Override
    public void processElement(ContentMetrics hour, Context ctx, Collector<ContentVelocity> out) throws Exception {
        hours.put(
                hour.windowStartMs,
                new HourCounts(basis.views(hour), Math.max(0, hour.likes) + hour.comments + hour.shares, hour.shares));
        ContentVelocity previous = last.value();
        long asOf = previous == null ? hour.windowEndMs : Math.max(previous.asOfMs, hour.windowEndMs);
        emit(asOf, hour.creatorId, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContentVelocity> out) throws Exception {
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            // The input ended (a bounded run, a drained stop) before this hour did: a timer that
            // fires only now was not passed by any real watermark, so its hour never closed. Emitting
            // it, and the zero hours after it up to two days on, would write rows for hours that did
            // not happen (and, at the end of a backfill, one per content and hour at once).
            return;
        }
        ContentVelocity previous = last.value();
        long hourEnd = timestamp + 1;
        if (previous == null || previous.asOfMs >= hourEnd) {
            return; // that hour had events and was emitted already
        }
        if (previous.viewsLast24h == 0 && previous.viewsPrevious24h == 0) {
            hours.clear();
            last.clear();
            return; // 48 hours without views: forget the content
        }
        emit(hourEnd, previous.creatorId, ctx, out);
    }

    private void emit(long asOf, String creatorId, Context ctx, Collector<ContentVelocity> out) throws Exception {
        long currentStart = asOf - HOURS * HOUR_MS;
        long previousStart = asOf - 2 * HOURS * HOUR_MS;
        long views = 0;
        long engagements = 0;
        long shares = 0;
        long previousViews = 0;
        var it = hours.iterator();
        while (it.hasNext()) {
            var entry = it.next();
            long start = entry.getKey();
            if (start < previousStart) {
                it.remove(); // older than 48 h
            } else if (start < currentStart) {
                previousViews += entry.getValue().views;
            } else if (start < asOf) {
                views += entry.getValue().views;
                engagements += entry.getValue().engagements;
                shares += entry.getValue().shares;
            }
        }
        ContentVelocity previous = last.value();
        ContentVelocity v = new ContentVelocity();
        v.contentId = ctx.getCurrentKey();
        v.creatorId = creatorId;
        v.asOfMs = asOf;
        v.version = previous == null ? 1 : previous.version + 1;
        v.viewsLast24h = views;
        v.viewsPrevious24h = previousViews;
        v.engagementsLast24h = engagements;
        v.sharesLast24h = shares;
        v.viewsPerHour = perHour(views);
        v.engagementPerHour = perHour(engagements);
        v.sharesPerHour = perHour(shares);
        Trend t = trend(views, previousViews);
        v.trend = t.name().toLowerCase(Locale.ROOT);
        v.trending = trending(v.viewsPerHour, trendingMinViewsPerHour, t);
        boolean newPeak = previous == null || v.viewsPerHour > previous.peakViewsPerHour;
        v.peakViewsPerHour = newPeak ? v.viewsPerHour : previous.peakViewsPerHour;
        v.peakAtMs = newPeak ? asOf : previous.peakAtMs;
        last.update(v);
        out.collect(v);
        // When the next hour closes without a window result for this content, emit it as a zero hour.
        ctx.timerService().registerEventTimeTimer(asOf + HOUR_MS - 1);
    }
}
