package io.engagement.pipeline.aggregate;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a fired (content, country) window into a {@link CountryMetrics} row, versioned by {@link WindowFirings}
 * (provisional before the window closes, {@link ProvisionalTrigger}).
 * The finest country grain also sends each firing's {@link CountryWindowDelta} to {@link #DELTAS}, stamped
 * with the window's last millisecond, from which the larger country grains are built.
 */
public class CountryWindowResult
        extends ProcessWindowFunction<CountryWindowAccumulator, CountryMetrics, Tuple2<String, String>, TimeWindow> {

    public static final OutputTag<CountryWindowDelta> DELTAS = new OutputTag<>("country-window-deltas") {};
    private static final ValueStateDescriptor<CountryWindowAccumulator> EMITTED =
            new ValueStateDescriptor<>("emitted-country-counters", CountryWindowAccumulator.class);

    private final Grain grain;
    private final boolean emitDeltas;
    private transient Counter unchangedFirings;

    public CountryWindowResult(Grain grain) {
        this(grain, false);
    }

    public CountryWindowResult(Grain grain, boolean emitDeltas) {
        this.grain = grain;
        this.emitDeltas = emitDeltas;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        unchangedFirings =
                WindowFirings.unchangedFiringsCounter(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void process(
            Tuple2<String, String> contentAndCountry,
            Context context,
            Iterable<CountryWindowAccumulator> elements,
            Collector<CountryMetrics> out)
            throws Exception {
        TimeWindow window = context.window();
        boolean provisional = ProvisionalTrigger.isProvisional(window, context.currentWatermark());
        long version = provisional ? WindowFirings.PROVISIONAL : WindowFirings.next(context.windowState());
        CountryWindowAccumulator acc = elements.iterator().next();
        CountryMetrics row = CountryMetrics.of(
                grain, window.getStart(), window.getEnd(), contentAndCountry.f0, contentAndCountry.f1, acc, version);
        row.provisional = provisional;
        out.collect(row);
        if (!emitDeltas) {
            return;
        }
        // The previous firing's counters are kept only while the window can still fire again.
        ValueState<CountryWindowAccumulator> emitted = context.windowState().getState(EMITTED);
        CountryWindowAccumulator previous = emitted.value();
        if (CountryWindowAggregate.addsNothingTo(acc, previous)) {
            unchangedFirings.inc();
            return; // nothing new since the previous firing: the larger windows have it all
        }
        CountryWindowAccumulator delta = CountryWindowAggregate.delta(acc, previous);
        emitted.update(CountryWindowAggregate.countersOf(acc));
        context.output(DELTAS, new CountryWindowDelta(contentAndCountry.f0, contentAndCountry.f1, delta));
    }

    @Override
    public void clear(Context context) throws Exception {
        WindowFirings.clear(context.windowState());
        context.windowState().getState(EMITTED).clear();
    }
}
