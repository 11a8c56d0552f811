package io.engagement.pipeline.testing;

import io.engagement.pipeline.event.EngagementEvent;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * An operator test harness around a window operator built exactly as the topology builds it: the
 * test describes the windowed stream, the harness runs its operator with explicit watermarks.
 */
public final class WindowHarness {

    private WindowHarness() {}

    public static <OUT> KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, OUT> open(
            KeySelector<EngagementEvent, String> key, Function<DataStream<EngagementEvent>, DataStream<OUT>> window)
            throws Exception {
        return open(EngagementEvent.class, new EngagementEvent(), key, window);
    }

    /** The same for a window over any input type; {@code sample} only gives the stream its type. */
    @SuppressWarnings("unchecked")
    public static <IN, OUT> KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> open(
            Class<IN> inputType,
            IN sample,
            KeySelector<IN, String> key,
            Function<DataStream<IN>, DataStream<OUT>> window)
            throws Exception {
        DataStream<IN> input =
                StreamExecutionEnvironment.getExecutionEnvironment().fromData(TypeInformation.of(inputType), sample);
        OneInputStreamOperator<IN, OUT> operator = (OneInputStreamOperator<IN, OUT>)
                ((OneInputTransformation<IN, OUT>) window.apply(input).getTransformation()).getOperator();
        KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, key, Types.STRING);
        harness.open();
        return harness;
    }
}
