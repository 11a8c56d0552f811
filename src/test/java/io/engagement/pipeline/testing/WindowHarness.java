package io.engagement.pipeline.testing;

import io.engagement.pipeline.event.EngagementEvent;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.util.function.Function;

/**
 * An operator test harness around a window operator built exactly as the topology builds it: the
 * test describes the windowed stream, the harness runs its operator with explicit watermarks.
 */
public final class WindowHarness {

    private WindowHarness() {}

    @SuppressWarnings("unchecked")
    public static <OUT> KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, OUT> open(
            KeySelector<EngagementEvent, String> key, Function<DataStream<EngagementEvent>, DataStream<OUT>> window)
            throws Exception {
        DataStream<EngagementEvent> input = StreamExecutionEnvironment.getExecutionEnvironment()
                .fromData(TypeInformation.of(EngagementEvent.class), new EngagementEvent());
        OneInputStreamOperator<EngagementEvent, OUT> operator = (OneInputStreamOperator<EngagementEvent, OUT>)
                ((OneInputTransformation<EngagementEvent, OUT>) window.apply(input).getTransformation()).getOperator();
        KeyedOneInputStreamOperatorTestHarness<String, EngagementEvent, OUT> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, key, Types.STRING);
        harness.open();
        return harness;
    }
}
