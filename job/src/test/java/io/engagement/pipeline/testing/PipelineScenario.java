package io.engagement.pipeline.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engagement.pipeline.EngagementJob;
import io.engagement.pipeline.StartHorizon;
import io.engagement.pipeline.clickhouse.AnalystQuery;
import io.engagement.pipeline.clickhouse.Database;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.loadgen.EventGenerator;
import io.engagement.pipeline.sink.ProductionSinks;
import io.engagement.pipeline.source.KafkaInput;
import io.engagement.pipeline.topology.EngagementPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A reproducible failure scenario on real servers: seeded generated traffic (with retries and bad
 * messages) over two hours of event time on a 2-partition topic, the production job wired against
 * the given Kafka and ClickHouse, and the comparison of every output with {@link ReferenceAggregation}.
 */
public final class PipelineScenario {

    public static final long T0 = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
    public static final String FLUSH_CONTENT = "zz-watermark-flush";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final KafkaTestBroker kafka;
    private final ClickHouseTestServer clickhouse;
    /** The job's clickhouse.database; the SQL below names the default and is moved to this one. */
    private final String database;

    public PipelineScenario(KafkaTestBroker kafka, ClickHouseTestServer clickhouse) {
        this(kafka, clickhouse, Database.DEFAULT);
    }

    /** A scenario whose job writes into {@code database} (its schema applied by the caller). */
    public PipelineScenario(KafkaTestBroker kafka, ClickHouseTestServer clickhouse, String database) {
        this.kafka = kafka;
        this.clickhouse = clickhouse;
        this.database = database;
    }

    private long count(String sql) throws Exception {
        return clickhouse.count(Database.qualify(sql, database));
    }

    private List<String> rows(String sql) throws Exception {
        return clickhouse.rows(Database.qualify(sql, database));
    }

    /** The job's default topics with their partition counts. */
    public static final Map<String, Integer> TOPICS = Map.of(
            "engagement-events",
            2,
            "engagement-dlq",
            1,
            "engagement-feedback",
            2,
            "engagement-alerts",
            1,
            "engagement-user-signals",
            2,
            "engagement-erasures",
            1);

    public void createTopics() throws Exception {
        for (Map.Entry<String, Integer> topic : TOPICS.entrySet()) {
            kafka.createTopic(topic.getKey(), topic.getValue());
        }
    }

    /** Generated traffic in send order, each message with its partition (by key, like the Java client). */
    public static List<KafkaTestBroker.Outgoing> traffic(long seed) {
        EventGenerator generator =
                new EventGenerator(new EventGenerator.Settings(40, 8, 300, 1.1, 0.05, 0, 0.03, 0.01, seed));
        List<EventGenerator.Timed> timed = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            timed.addAll(generator.nextSession(T0 + i * 14_000L));
        }
        timed.sort(Comparator.comparingLong(EventGenerator.Timed::sendAtMs));
        List<KafkaTestBroker.Outgoing> outgoing = new ArrayList<>();
        for (int i = 0; i < timed.size(); i++) {
            EventGenerator.Message m = timed.get(i).message();
            int partition = m.key() == null ? i % 2 : Math.floorMod(m.key().hashCode(), 2);
            outgoing.add(new KafkaTestBroker.Outgoing(partition, m.key(), m.value()));
        }
        return outgoing;
    }

    /** Event time only advances with events: one far-later event per partition closes every window. */
    public static List<KafkaTestBroker.Outgoing> flushMarkers() {
        List<KafkaTestBroker.Outgoing> out = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            out.add(new KafkaTestBroker.Outgoing(
                    p,
                    FLUSH_CONTENT,
                    "{\"event_id\":\"flush-" + p + "\",\"event_type\":\"impression\","
                            + "\"content_id\":\"" + FLUSH_CONTENT
                            + "\",\"creator_id\":\"none\",\"session_id\":\"none\",\"event_time\":"
                            + (T0 + Duration.ofDays(9).toMillis()) + "}"));
        }
        return out;
    }

    public static ReferenceAggregation reference(List<KafkaTestBroker.Outgoing> sent) {
        return ReferenceAggregation.of(
                sent.stream().map(KafkaTestBroker.Outgoing::value).toList(), Set.of(FLUSH_CONTENT));
    }

    public JobConfig jobConfig(String... extra) {
        return jobConfig(Map.of(), extra);
    }

    /** The same, with environment variables (where secrets such as Kafka credentials are given). */
    public JobConfig jobConfig(Map<String, String> env, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "--clickhouse.url",
                clickhouse.jdbcUrl(),
                "--clickhouse.flush-interval",
                "200 ms",
                "--kafka.starting-offsets",
                "earliest",
                "--validation.max-event-age",
                "3650 d",
                "--clickhouse.database",
                database));
        args.addAll(List.of(extra));
        return JobConfig.fromSources(args.toArray(new String[0]), env);
    }

    /** RocksDB, incremental exactly-once checkpoints every 300 ms, and the production restart strategy. */
    public static Configuration flinkConf(Path checkpoints) {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("state.backend.rocksdb.timer-service.factory", "HEAP"); // as flink-conf/config.yaml
        conf.setString("state.backend.rocksdb.writebuffer.size", "8mb"); // as flink-conf/config.yaml
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.interval", "300 ms");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "exponential-delay");
        conf.setString("restart-strategy.exponential-delay.initial-backoff", "500 ms");
        conf.setString("restart-strategy.exponential-delay.max-backoff", "5 s");
        return conf;
    }

    /** The production source, topology and sinks; {@code tap} sits right after the source (failure injection). */
    public static StreamExecutionEnvironment job(
            Configuration conf, int parallelism, JobConfig config, MapFunction<ValidatedRecord, ValidatedRecord> tap) {
        return job(conf, parallelism, config, tap, StartHorizon.NONE);
    }

    /** The same, for a job that starts without state with the given start horizon ({@link StartHorizon}). */
    public static StreamExecutionEnvironment job(
            Configuration conf,
            int parallelism,
            JobConfig config,
            MapFunction<ValidatedRecord, ValidatedRecord> tap,
            long startHorizonMs) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        EngagementPipeline.configure(env);
        DataStream<ValidatedRecord> input = env.fromSource(
                        KafkaInput.source(config), EngagementPipeline.watermarks(config), "kafka")
                .uid("kafka-source");
        if (tap != null) {
            input = input.map(tap).returns(ValidatedRecord.class).uid("test-tap");
        }
        new EngagementPipeline(config, ProductionSinks.create(config), startHorizonMs)
                .build(input, EngagementJob.catalogue(env, config), EngagementJob.erasures(env, config));
        return env;
    }

    /**
     * Sends the seeded traffic (and the flush markers), runs the production job with {@code config}
     * at parallelism 2 until every expected row is out, and compares every output with the reference.
     */
    public void runAndAssertMatchesReference(JobConfig config, Path checkpoints, long seed) throws Exception {
        List<KafkaTestBroker.Outgoing> sent = new ArrayList<>(traffic(seed));
        sent.addAll(flushMarkers());
        kafka.sendAll("engagement-events", sent);
        ReferenceAggregation reference = reference(sent);
        JobClient job = job(flinkConf(checkpoints), 2, config, null).executeAsync("scenario-" + seed);
        try {
            waitUntil(() -> complete(reference), 240);
        } finally {
            cancelAndAwait(job);
        }
        assertMatchesReference(reference, sent);
    }

    /** True once every expected window is in ClickHouse and on the feedback topic. */
    public boolean complete(ReferenceAggregation reference) throws Exception {
        int windows = reference.windows.size();
        return count("SELECT count() FROM engagement.content_metrics FINAL") >= windows
                && contentScores().size() >= windows
                && count("SELECT count() FROM engagement.creator_metrics FINAL") >= reference.creatorWindows.size();
    }

    /** The content_scores messages of the feedback topic (it also carries content_velocity). */
    private List<JsonNode> contentScores() throws Exception {
        List<JsonNode> scores = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted("engagement-feedback")) {
            JsonNode m = JSON.readTree(r.value());
            if ("content_scores".equals(m.get("type").asText())) {
                scores.add(m);
            }
        }
        return scores;
    }

    public void assertMatchesReference(ReferenceAggregation reference, List<KafkaTestBroker.Outgoing> sent)
            throws Exception {
        List<String> expected = reference.rows();
        List<String> actual = new ArrayList<>(rows("SELECT grain, content_id, window_start, "
                + ReferenceAggregation.COLUMNS + " FROM engagement.content_metrics FINAL"));
        actual.sort(null);
        assertEquals(expected.size(), actual.size(), "window rows");
        assertEquals(expected, actual);
        assertEquals(List.of("1"), rows("SELECT max(version) FROM engagement.content_metrics"));

        // Creator roll-ups: built from content windows that may have been replayed, still exact.
        List<String> creators = new ArrayList<>(rows("SELECT grain, creator_id, window_start, "
                + ReferenceAggregation.CREATOR_COLUMNS + " FROM engagement.creator_metrics FINAL"));
        creators.sort(null);
        assertTrue(reference.creatorRows().size() > 8, "the traffic must give several creator windows");
        assertEquals(reference.creatorRows(), creators, "creator rows");
        assertEquals(List.of("1"), rows("SELECT max(version) FROM engagement.creator_metrics"));

        // Feedback as a read_committed consumer sees it: exactly one message per window, same counts.
        List<String> feedback = new ArrayList<>();
        for (JsonNode m : contentScores()) {
            String start = LocalDateTime.ofInstant(
                            Instant.parse(m.get("window_start").asText()), ZoneOffset.UTC)
                    .format(CH_TIME);
            feedback.add(m.get("grain").asText() + "\t" + m.get("content_id").asText() + "\t" + start + "\t"
                    + m.get("views").asLong() + "\t" + m.get("unique_viewers").asLong());
        }
        feedback.sort(null);
        List<String> expectedFeedback = new ArrayList<>();
        for (String row : expected) {
            String[] f = row.split("\t");
            expectedFeedback.add(f[0] + "\t" + f[1] + "\t" + f[2] + "\t" + f[4] + "\t" + f[5]);
        }
        expectedFeedback.sort(null);
        assertEquals(expectedFeedback, feedback);

        assertEquals(reference.invalid, kafka.readCommitted("engagement-dlq").size(), "dead letters");

        // Raw events: FINAL shows each accepted event once; a replayed batch may leave a physical copy
        // until a merge, and OPTIMIZE ... FINAL (the documented mechanism) removes it.
        assertEquals(reference.accepted, count("SELECT count() FROM engagement.engagement_events FINAL"));
        if (optimizeRawEvents != null) {
            optimizeRawEvents.run();
        } else {
            clickhouse.http().execute(Database.qualify("OPTIMIZE TABLE engagement.engagement_events FINAL", database));
        }
        assertEquals(reference.accepted, count("SELECT count() FROM engagement.engagement_events"));
        assertEquals(0, count("SELECT count() FROM engagement.late_events"));
        assertTrue(
                reference.duplicates > 0 && reference.invalid > 0, "the traffic must contain retries and bad messages");

        // Accounting: the reconciliation query over all outcome tables, against what was sent.
        long accepted = 0;
        long duplicates = 0;
        long deadLettered = 0;
        long tooLate = 0;
        for (String row : rows(
                AnalystQuery.load(Path.of("sql/queries/reconciliation.sql")).render(Map.of()))) {
            String[] f = row.split("\t");
            int partition = Integer.parseInt(f[1]);
            long sentToPartition =
                    sent.stream().filter(o -> o.partition() == partition).count();
            assertEquals(sentToPartition, Long.parseLong(f[6]), "accounted offsets of partition " + partition);
            assertEquals(sentToPartition, Long.parseLong(f[7]), "distinct offsets of partition " + partition);
            assertEquals(sentToPartition - 1, Long.parseLong(f[9]), "last offset of partition " + partition);
            accepted += Long.parseLong(f[2]);
            duplicates += Long.parseLong(f[3]);
            deadLettered += Long.parseLong(f[4]);
            tooLate += Long.parseLong(f[5]);
        }
        assertEquals(
                List.of(reference.accepted, reference.duplicates, reference.invalid, 0L),
                List.of(accepted, duplicates, deadLettered, tooLate));
    }

    /** An action of a test that may throw. */
    public interface Step {
        void run() throws Exception;
    }

    private Step optimizeRawEvents;

    /**
     * How this scenario's raw-events table is merged before the physical row count is checked; on a
     * cluster the Distributed table cannot be optimized, its local tables are.
     */
    public PipelineScenario optimizingRawEventsWith(Step optimize) {
        this.optimizeRawEvents = optimize;
        return this;
    }

    public interface Check {
        boolean ok() throws Exception;
    }

    /**
     * Cancels a job and waits until it has stopped: the cancel's answer comes before its tasks end, and a
     * checkpoint still being written then would leave files in a test's {@code @TempDir} while JUnit deletes it.
     */
    public static void cancelAndAwait(JobClient job) throws Exception {
        job.cancel().get(30, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + 30_000;
        while (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    public static void waitUntil(Check check, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!check.ok()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached within " + seconds + " s");
            }
            Thread.sleep(500);
        }
    }
}
