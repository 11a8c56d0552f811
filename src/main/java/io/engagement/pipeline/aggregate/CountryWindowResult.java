package io.engagement.pipeline.aggregate;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a fired (content, country) window into a {@link CountryMetrics} row, versioned by {@link WindowFirings}. */
public class CountryWindowResult extends ProcessWindowFunction<CountryWindowAccumulator, CountryMetrics,
        Tuple2<String, String>, TimeWindow> {

    private final Grain grain;

    public CountryWindowResult(Grain grain) {
        this.grain = grain;
    }

    @Override
    public void process(Tuple2<String, String> contentAndCountry, Context context,
                        Iterable<CountryWindowAccumulator> elements, Collector<CountryMetrics> out) throws Exception {
        long version = WindowFirings.next(context.windowState());
        TimeWindow window = context.window();
        out.collect(CountryMetrics.of(grain, window.getStart(), window.getEnd(), contentAndCountry.f0,
                contentAndCountry.f1, elements.iterator().next(), version));
    }

    @Override
    public void clear(Context context) throws Exception {
        WindowFirings.clear(context.windowState());
    }
}
