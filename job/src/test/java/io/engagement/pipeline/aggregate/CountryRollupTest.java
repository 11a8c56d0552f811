package io.engagement.pipeline.aggregate;

import static io.engagement.pipeline.testing.Events.event;
import static io.engagement.pipeline.testing.Events.withWatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Day and week country windows are built from the hour country windows' firings: the deltas the hour
 * window operator (built as the topology builds it) sends to {@link CountryWindowResult#DELTAS}, merged
 * by {@link MergeFinerCountryWindows}, must equal counting the events straight into the day window,
 * also when the hour window fires again for a late event.
 */
class CountryRollupTest {

    private static final long HOUR = 3_600_000;

    @Test
    void dayFromHourFiringsEqualsCountingTheEventsIncludingALateRefiring() throws Exception {
        KeySelector<EngagementEvent, Tuple2<String, String>> key =
                e -> Tuple2.of(e.contentId, CountryWindowAggregate.countryOf(e));
        @SuppressWarnings("unchecked")
        OneInputStreamOperator<EngagementEvent, CountryMetrics> operator =
                (OneInputStreamOperator<EngagementEvent, CountryMetrics>) ((OneInputTransformation<
                                        EngagementEvent, CountryMetrics>)
                                StreamExecutionEnvironment.getExecutionEnvironment()
                                        .fromData(TypeInformation.of(EngagementEvent.class), new EngagementEvent())
                                        .keyBy(key, Types.TUPLE(Types.STRING, Types.STRING))
                                        .window(TumblingEventTimeWindows.of(Grain.HOUR.size(), Grain.HOUR.offset()))
                                        .allowedLateness(Duration.ofMinutes(5))
                                        .aggregate(
                                                new CountryWindowAggregate(), new CountryWindowResult(Grain.HOUR, true))
                                        .getTransformation())
                        .getOperator();
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, EngagementEvent, CountryMetrics> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, key, Types.TUPLE(Types.STRING, Types.STRING))) {
            harness.open();
            // Hour 10: u1 and u2 view, u2 completes after 30 s of watching; the hour fires.
            send(harness, event("e1", EventType.VIEW_START, "c", "u1", 10 * HOUR + 1_000));
            send(harness, event("e2", EventType.VIEW_START, "c", "u2", 10 * HOUR + 2_000));
            send(harness, withWatch(event("e3", EventType.VIEW_COMPLETE, "c", "u2", 10 * HOUR + 32_000), 30_000, 1.0));
            harness.processWatermark(11 * HOUR);
            // A late view of u1 again (500 ms watched), within the allowed lateness: hour 10 fires again.
            send(harness, withWatch(event("e4", EventType.VIEW_START, "c", "u1", 10 * HOUR + 5_000), 500, null));
            // Hour 11: one view of u3.
            send(harness, event("e5", EventType.VIEW_START, "c", "u3", 11 * HOUR + 1_000));
            harness.processWatermark(12 * HOUR);

            List<CountryWindowDelta> firings = harness.getSideOutput(CountryWindowResult.DELTAS).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertEquals(3, firings.size());
            // The re-firing sends only what the late event added.
            assertEquals(1, firings.get(1).counters.views);
            assertEquals(500, firings.get(1).counters.watchTimeMs);

            MergeFinerCountryWindows rollup = new MergeFinerCountryWindows();
            CountryWindowAccumulator day = rollup.createAccumulator();
            for (CountryWindowDelta firing : firings) {
                day = rollup.add(firing, day);
            }
            // By hand from e1..e5: 4 view starts (e1, e2, e4, e5) by 3 viewers, 30 500 ms watched, 1 completion.
            assertEquals(4, day.views);
            assertEquals(3, day.viewers.estimate());
            assertEquals(30_500, day.watchTimeMs);
            assertEquals(1, day.completions);
        }
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, EngagementEvent, CountryMetrics> harness,
            EngagementEvent e)
            throws Exception {
        harness.processElement(e, e.eventTimeMs);
    }
}
