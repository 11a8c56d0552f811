package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.sink.ClickHouseOutputs;
import io.engagement.pipeline.sink.ClickHouseTable;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import io.engagement.pipeline.testing.ReferenceAggregation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrading from the previous release: a savepoint taken by the job of commit 1384af8 (before the
 * two-phase window aggregation) with open minute, hour, day and week windows, country windows,
 * sessions and velocity timers restores into this build's job, which reads on from the savepoint's
 * offsets; every output then equals the independent reference over all the traffic, as if one job
 * had run throughout.
 *
 * <p>The fixture in {@value #FIXTURE} holds what that release's run left behind: the savepoint, the
 * rows it had written to each ClickHouse table and the committed messages of the feedback and
 * dead-letter topics. The test loads those rows and messages into fresh servers, sends the same
 * traffic (so offsets match), restores, and compares. Written once by running this class in a
 * checkout of the previous release with {@code -Dsavepoint.fixture.write=<fixture dir>}.
 */
class PreviousReleaseSavepointITCase {

    static final String FIXTURE = "it/src/test/resources/savepoints/release-1384af8";
    private static final long SEED = 11;
    private static final String INPUT = "engagement-events";
    private static final List<String> DUMPED_TOPICS = List.of("engagement-feedback", "engagement-dlq");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final RealServers SERVERS = RealServers.perClass().scenarioTopics();

    private static final List<ClickHouseTable<?>> TABLES = List.of(
            ClickHouseOutputs.EVENTS,
            ClickHouseOutputs.CONTENT_METRICS,
            ClickHouseOutputs.LATE_EVENTS,
            ClickHouseOutputs.DEAD_LETTERS,
            ClickHouseOutputs.DUPLICATES,
            ClickHouseOutputs.CONTENT_VELOCITY,
            ClickHouseOutputs.SESSION_METRICS,
            ClickHouseOutputs.CREATOR_METRICS,
            ClickHouseOutputs.CONTENT_COUNTRY_METRICS);

    /** The first part of the traffic, before the savepoint; the rest and the flush markers come after it. */
    private static List<KafkaTestBroker.Outgoing> firstPart(List<KafkaTestBroker.Outgoing> traffic) {
        return traffic.subList(0, traffic.size() / 2);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aSavepointOfThePreviousReleaseRestoresAndContinuesExactly(@TempDir Path checkpoints, @TempDir Path savepoints)
            throws Exception {
        String writeTo = System.getProperty("savepoint.fixture.write");
        if (writeTo != null) {
            writeFixture(Path.of(writeTo), checkpoints, savepoints);
            return;
        }
        Path fixture = Path.of(FIXTURE).toAbsolutePath();
        Path savepoint;
        try (Stream<Path> entries = Files.list(fixture.resolve("savepoint"))) {
            savepoint = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        PipelineScenario scenario = new PipelineScenario(SERVERS.kafka(), SERVERS.clickhouse());
        List<KafkaTestBroker.Outgoing> traffic = PipelineScenario.traffic(SEED);
        List<KafkaTestBroker.Outgoing> all = new ArrayList<>(traffic);
        all.addAll(PipelineScenario.flushMarkers());
        ReferenceAggregation reference = PipelineScenario.reference(all);

        // What the previous release had written before its savepoint.
        long loaded = 0;
        for (ClickHouseTable<?> table : TABLES) {
            String rows = Files.readString(fixture.resolve("clickhouse").resolve(shortName(table) + ".tsv"));
            // The columns that release wrote (later migrations add columns; the rows lack them).
            String columns = Files.readString(fixture.resolve("clickhouse").resolve(shortName(table) + ".columns"))
                    .strip();
            if (!rows.isEmpty()) {
                SERVERS.clickhouse()
                        .http()
                        .execute("INSERT INTO " + table.table() + " (" + columns + ") FORMAT TabSeparated\n" + rows);
                loaded += rows.lines().count();
            }
        }
        assertTrue(loaded > 1000, "the fixture holds the previous release's rows: " + loaded);
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            for (String topic : DUMPED_TOPICS) {
                for (String line : Files.readAllLines(fixture.resolve("kafka").resolve(topic + ".txt"))) {
                    String[] f = line.split("\t", -1);
                    producer.send(new ProducerRecord<>(topic, Integer.parseInt(f[0]), decode(f[1]), decode(f[2])))
                            .get();
                }
            }
        }
        // The whole traffic, so that the savepoint's offsets point into the second part.
        SERVERS.kafka().sendAll(INPUT, all);

        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toUri().toString());
        JobClient job =
                PipelineScenario.job(conf, 2, scenario.jobConfig(), null).executeAsync("restore-previous-release");
        try {
            waitUntil(() -> scenario.complete(reference), 240);
            Thread.sleep(2_000);
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }
        scenario.assertMatchesReference(reference, all);
    }

    /** Runs the first part of the traffic on this checkout's job, stops it with a savepoint, and dumps what it wrote. */
    private static void writeFixture(Path fixture, Path checkpoints, Path savepoints) throws Exception {
        List<KafkaTestBroker.Outgoing> first = firstPart(PipelineScenario.traffic(SEED));
        long accepted = PipelineScenario.reference(first).accepted;
        SERVERS.kafka().sendAll(INPUT, first);
        JobConfig config = new PipelineScenario(SERVERS.kafka(), SERVERS.clickhouse()).jobConfig();
        JobClient job = PipelineScenario.job(PipelineScenario.flinkConf(checkpoints), 2, config, null)
                .executeAsync("fixture");
        waitUntil(
                () -> SERVERS.clickhouse().count("SELECT count() FROM engagement.engagement_events FINAL") >= accepted,
                120);
        Thread.sleep(2_000);
        String path = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        Path from = Path.of(java.net.URI.create(path.startsWith("file:") ? path : "file://" + path));
        Path to = fixture.resolve("savepoint").resolve(from.getFileName().toString());
        copyTree(from, to);
        Files.createDirectories(fixture.resolve("clickhouse"));
        for (ClickHouseTable<?> table : TABLES) {
            String rows = SERVERS.clickhouse()
                    .http()
                    .execute("SELECT " + String.join(", ", table.columns()) + " FROM " + table.table() + " ORDER BY "
                            + String.join(", ", table.columns()) + " FORMAT TabSeparated");
            Files.writeString(fixture.resolve("clickhouse").resolve(shortName(table) + ".tsv"), rows);
            Files.writeString(
                    fixture.resolve("clickhouse").resolve(shortName(table) + ".columns"),
                    String.join(", ", table.columns()) + "\n");
        }
        Files.createDirectories(fixture.resolve("kafka"));
        for (String topic : DUMPED_TOPICS) {
            List<String> lines = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : SERVERS.kafka().readCommitted(topic)) {
                lines.add(r.partition() + "\t" + encode(r.key()) + "\t" + encode(r.value()));
            }
            Files.write(fixture.resolve("kafka").resolve(topic + ".txt"), lines);
        }
        System.out.println("fixture written to " + fixture + " from savepoint " + path);
    }

    private static String shortName(ClickHouseTable<?> table) {
        return table.table().substring(table.table().indexOf('.') + 1);
    }

    private static String encode(byte[] bytes) {
        return bytes == null ? "-" : Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] decode(String text) {
        return text.equals("-") ? null : Base64.getDecoder().decode(text);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
