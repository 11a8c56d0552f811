package io.engagement.pipeline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.EventValidator;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.loadgen.EventGenerator;
import io.engagement.pipeline.testing.CollectingSink;
import io.engagement.pipeline.testing.EveryEventWatermarks;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two-phase window aggregation changes no number and no row version. One input with disorder,
 * client retries, bad messages, late events within the allowed lateness and too-late ones runs
 * through the topology twice: with {@code window.pre-aggregation.max-entries 0} (every event crosses
 * the shuffle alone and reaches its window as before the pre-aggregation) and with the default buffer
 * and checkpoints every 50 ms (barrier flushes at arbitrary points). Every sink must receive the same
 * records, versions included: equal final rows and equal version sequences (doubles to 12 significant
 * digits, see {@link #roundDoubles}). Parallelism 1 and a
 * watermark after every event make both runs deterministic, so any difference is the pre-aggregation's.
 */
class PreAggregationDifferentialITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();

    /** Seeded traffic plus offline-buffer events 1 to 9 minutes old (allowed lateness 3 min: some late, some too late). */
    private static List<RawEvent> input() {
        List<KafkaTestBroker.Outgoing> traffic = PipelineScenario.traffic(23);
        EventGenerator late = new EventGenerator(new EventGenerator.Settings(40, 8, 300, 1.1, 0, 0, 0, 0, 99));
        List<RawEvent> raw = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        for (KafkaTestBroker.Outgoing m : traffic) {
            raw.add(raw(raw.size(), m.value()));
            newest = Math.max(newest, eventTime(m.value()));
            if (raw.size() % 40 == 0 && newest > Long.MIN_VALUE) {
                // An offline buffer flushed at once: three events of one play, back to back, so a
                // pre-aggregation that buffered late events would fold them into one late firing.
                long ageMs = Duration.ofMinutes(1 + raw.size() / 40 % 9).toMillis();
                String first = late.lateEvent(newest, ageMs).value();
                for (String suffix : List.of("", "-b", "-c")) {
                    raw.add(raw(raw.size(), withEventId(first, suffix)));
                }
            }
        }
        raw.addAll(PipelineScenario.flushMarkers().stream()
                .map(m -> raw(0, m.value()))
                .toList());
        return raw;
    }

    private static String withEventId(String json, String suffix) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(json);
            event.put("event_id", event.get("event_id").asText() + suffix);
            return event.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long eventTime(String json) {
        try {
            return JSON.readTree(json).path("event_time").asLong(Long.MIN_VALUE);
        } catch (Exception notJson) {
            return Long.MIN_VALUE;
        }
    }

    private static RawEvent raw(long offset, String json) {
        return new RawEvent(json.getBytes(StandardCharsets.UTF_8), "engagement-events", 0, offset);
    }

    private static Map<String, List<String>> run(
            List<RawEvent> input, String preAggregationEntries, boolean checkpoints) throws Exception {
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--validation.max-event-age",
                    "3650 d",
                    "--window.allowed-lateness",
                    "3 min",
                    "--watermark.out-of-orderness",
                    "20 s",
                    // Off (the default), and so here on purpose: the view gates are a second path into the
                    // minute windows, and with it how many times a window fires for late events depends on
                    // which path's watermark comes first, so the version sequences this test compares are
                    // only reproducible on one path. The gates have their own tests (ViewGateTest,
                    // ValidatedViewsITCase).
                    "--window.pre-aggregation.max-entries",
                    preAggregationEntries,
                    "--views.validation",
                    "off"
                },
                Map.of());
        Map<String, CollectingSink<?>> sinks = new LinkedHashMap<>();
        PipelineSinks pipelineSinks = new PipelineSinks(
                sink(sinks, "events"),
                sink(sinks, "content_metrics"),
                sink(sinks, "feedback"),
                sink(sinks, "dead_letters"),
                sink(sinks, "dead_letter_table"),
                sink(sinks, "duplicates"),
                sink(sinks, "late_events"),
                sink(sinks, "velocity"),
                sink(sinks, "velocity_feedback"),
                sink(sinks, "sessions"),
                sink(sinks, "creators"),
                sink(sinks, "countries"));
        Configuration conf = new Configuration();
        if (checkpoints) {
            conf.setString("execution.checkpointing.interval", "50 ms");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        EngagementPipeline.configure(env);
        EventValidator validator = new EventValidator(config.validationRules, config.userIdPseudonymizer());
        long now = System.currentTimeMillis();
        DataStream<ValidatedRecord> validated = env.fromData(
                        TypeInformation.of(RawEvent.class), input.toArray(new RawEvent[0]))
                .map(r -> ValidatedRecord.of(validator.validate(r, now), now))
                .returns(ValidatedRecord.class);
        validated = EveryEventWatermarks.assign(validated, config.outOfOrderness);
        new EngagementPipeline(config, pipelineSinks).build(validated);
        env.execute("differential-" + preAggregationEntries);

        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, CollectingSink<?>> sink : sinks.entrySet()) {
            List<String> rows = new ArrayList<>();
            for (Object record : sink.getValue().records()) {
                rows.add(JSON.writeValueAsString(roundDoubles(JSON.valueToTree(record))));
            }
            rows.sort(null); // sinks see records in an order that differs only between keys and windows
            out.put(sink.getKey(), rows);
        }
        return out;
    }

    /**
     * Doubles to 12 significant digits: a sum of doubles (a creator's mean completion rate adds its
     * contents' rates) depends on the order of its terms in the last bits, and the order in which
     * windows of the same end fire is not part of the contract (it already differs between subtasks).
     */
    private static JsonNode roundDoubles(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                JsonNode value = object.get(name);
                if (value.isDouble()) {
                    object.put(
                            name,
                            new BigDecimal(value.doubleValue())
                                    .round(new MathContext(12))
                                    .doubleValue());
                } else {
                    roundDoubles(value);
                }
            });
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static <T> CollectingSink<T> sink(Map<String, CollectingSink<?>> sinks, String name) {
        CollectingSink<T> sink = new CollectingSink<>();
        sinks.put(name, sink);
        return sink;
    }

    @Test
    void preAggregatedAndRecordByRecordTopologiesWriteTheSameRowsAndVersions() throws Exception {
        List<RawEvent> input = input();
        Map<String, List<String>> recordByRecord = run(input, "0", false);
        Map<String, List<String>> preAggregated = run(input, "20000", true);

        // The input exercises what could differ: late firings, too-late events, retries, dead letters.
        assertTrue(
                recordByRecord.get("content_metrics").stream().anyMatch(r -> r.contains("\"version\":4")),
                "some windows fire again for each of several late events");
        assertTrue(
                recordByRecord.get("late_events").size() > 5,
                "too-late events: " + recordByRecord.get("late_events").size());
        assertTrue(recordByRecord.get("duplicates").size() > 5, "client retries");
        assertTrue(recordByRecord.get("dead_letters").size() > 5, "bad messages");
        assertTrue(
                recordByRecord.get("countries").size() > 20
                        && recordByRecord.get("creators").size() > 20,
                "breakdowns");

        for (String sink : recordByRecord.keySet()) {
            assertEquals(
                    recordByRecord.get(sink).size(), preAggregated.get(sink).size(), sink + ": number of records");
            assertEquals(recordByRecord.get(sink), preAggregated.get(sink), sink);
        }
    }
}
