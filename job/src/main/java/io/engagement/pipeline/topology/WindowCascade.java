package io.engagement.pipeline.topology;

import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.aggregate.PreAggregation;
import io.engagement.pipeline.aggregate.WindowPreAggregator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;

/**
 * Tumbling windows of several grains over one key (a content, a (content, country) pair), computed
 * as a cascade: the finest grain folds the input, every larger grain adds up the finest windows'
 * firings (deltas, so late updates carry through), so an input record updates one window state, not
 * one per grain. Before each shuffle a {@link WindowPreAggregator} folds records into partials per
 * key and window, so the keyed windows merge a few partials instead of every record.
 *
 * @param <IN> the input records (events)
 * @param <K> the key
 * @param <ACC> the windows' accumulator (their state type: unchanged by pre-aggregation)
 * @param <P> the partial record: what crosses the shuffle, and the finest window's delta
 * @param <ROW> one fired window's output row
 * <p>Partials reaching a window after its allowed lateness go to {@code windowClosed}. Lateness is
 * decided before the windows, on the same watermark, so that stays empty unless a watermark overtook
 * a record (an input resuming after idleness).
 */
record WindowCascade<IN, K, ACC, P, ROW>(
        String name,
        Function<Grain, String> uid,
        PreAggregation<IN, K, ACC, P> ofInput,
        PreAggregation<P, K, ACC, P> ofFinerWindows,
        KeySelector<P, K> key,
        TypeInformation<K> keyType,
        TypeInformation<P> partialType,
        AggregateFunction<P, ACC, ACC> merge,
        BiFunction<Grain, Boolean, ProcessWindowFunction<ACC, ROW, K, TimeWindow>> result,
        OutputTag<P> deltas,
        OutputTag<P> windowClosed,
        Function<KeyedStream<P, K>, DataStream<P>> finestJoin,
        DataStream<P> finestAlso) {

    /**
     * The cascade with a step between the finest partials' shuffle and their windows (the content
     * catalogue join): it runs keyed by the same key and its output is taken as still keyed, so the
     * join costs no second shuffle.
     */
    WindowCascade<IN, K, ACC, P, ROW> joiningFinest(Function<KeyedStream<P, K>, DataStream<P>> join) {
        return new WindowCascade<>(
                name,
                uid,
                ofInput,
                ofFinerWindows,
                key,
                keyType,
                partialType,
                merge,
                result,
                deltas,
                windowClosed,
                join,
                finestAlso);
    }

    /**
     * The cascade with more partials for the finest windows, from elsewhere in the job (the view
     * gates' validated counters): shuffled and merged with the input's own partials.
     */
    WindowCascade<IN, K, ACC, P, ROW> mergingIntoFinest(DataStream<P> partials) {
        return new WindowCascade<>(
                name,
                uid,
                ofInput,
                ofFinerWindows,
                key,
                keyType,
                partialType,
                merge,
                result,
                deltas,
                windowClosed,
                finestJoin,
                partials);
    }

    /**
     * The per-grain operators, finest first: each emits rows, and side outputs the result function declares.
     *
     * @param liveHorizon the finest windows' firings no older than this (wall clock) reach the larger
     *     windows right after the next watermark instead of at the next checkpoint barrier (the
     *     larger windows' trigger makes them fire on each such input; {@link WindowPreAggregator});
     *     {@link Duration#ZERO} for none
     */
    Map<Grain, SingleOutputStreamOperator<ROW>> build(
            DataStream<IN> input,
            List<Grain> grains,
            Duration allowedLateness,
            int preAggregationEntries,
            Trigger<Object, TimeWindow> finestTrigger,
            Trigger<Object, TimeWindow> largerTrigger,
            Duration liveHorizon) {
        Map<Grain, SingleOutputStreamOperator<ROW>> windows = new LinkedHashMap<>();
        DataStream<P> finerDeltas = null;
        for (Grain grain : grains) {
            DataStream<P> partials = finerDeltas == null
                    ? preAggregate(input, ofInput, grain, preAggregationEntries, Duration.ZERO)
                    : preAggregate(finerDeltas, ofFinerWindows, grain, preAggregationEntries, liveHorizon);
            boolean finest = finerDeltas == null;
            if (finest && finestAlso != null) {
                partials = partials.union(finestAlso);
            }
            KeyedStream<P, K> keyed = partials.keyBy(key, keyType);
            if (finest && finestJoin != null) {
                keyed = DataStreamUtils.reinterpretAsKeyedStream(finestJoin.apply(keyed), key, keyType);
            }
            SingleOutputStreamOperator<ROW> perGrain = keyed.window(
                            TumblingEventTimeWindows.of(grain.size(), grain.offset()))
                    .trigger(finerDeltas == null ? finestTrigger : largerTrigger)
                    // Same lateness at every grain: a finer window's late update arrives no later
                    // than the finer window's own lateness, which ends before this window's.
                    .allowedLateness(allowedLateness)
                    .sideOutputLateData(windowClosed)
                    .aggregate(merge, result.apply(grain, finest && grains.size() > 1))
                    .uid(uid.apply(grain))
                    .name(name + " per " + grain.code());
            if (finest) {
                finerDeltas = perGrain.getSideOutput(deltas);
            }
            windows.put(grain, perGrain);
        }
        return windows;
    }

    private <T> DataStream<P> preAggregate(
            DataStream<T> in,
            PreAggregation<T, K, ACC, P> aggregation,
            Grain grain,
            int entries,
            Duration liveHorizon) {
        return in.transform(
                        name + " partials per " + grain.code(),
                        partialType,
                        new WindowPreAggregator<>(
                                aggregation,
                                grain.size(),
                                grain.offset(),
                                entries,
                                WindowPreAggregator.STAMP_SPAN,
                                liveHorizon))
                .uid(uid.apply(grain) + "-partials");
    }
}
