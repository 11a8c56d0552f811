package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.event.RejectReason;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import io.engagement.pipeline.testing.ReferenceAggregation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus reporter of flink-conf/config.yaml on a MiniCluster running the production job over
 * real Kafka and ClickHouse: after a known input (the seeded scenario traffic) the scrape endpoint
 * shows the job's counters with the values of the reference computation, the dead letters by reason
 * as a label, the sink counters per table, the event-time lag and RocksDB's key estimate of the dedup
 * state.
 */
class MetricsEndpointITCase {

    private static final int PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(reporterConf())
            .build());

    @RegisterExtension
    static final RealServers SERVERS = RealServers.perClass().scenarioTopics();

    /** The reporter settings of flink-conf/config.yaml, on a free port. */
    private static Configuration reporterConf() {
        Configuration conf = new Configuration();
        conf.setString("metrics.reporters", "prom");
        conf.setString(
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(PORT));
        return conf;
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One sample of the text exposition format: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static List<Sample> scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        List<Sample> samples = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            Matcher m = LINE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return samples;
    }

    private static List<Sample> named(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Summed over the subtasks (and any other label) of the job. */
    private static long sum(List<Sample> samples, String name) {
        List<Sample> found = named(samples, name);
        assertTrue(!found.isEmpty(), "metric " + name + " is not exposed");
        return Math.round(found.stream().mapToDouble(Sample::value).sum());
    }

    private static long seenKeys(List<Sample> samples) {
        return Math.round(
                named(samples, "flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_num_keys").stream()
                        .filter(s -> "seen".equals(s.labels().get("column_family")))
                        .mapToDouble(Sample::value)
                        .sum());
    }

    /** Valid events with values outside the vocabularies (docs/events.md, bounded dimensions): 2 countries, 1 each of the rest. */
    private static final List<KafkaTestBroker.Outgoing> ODD_DIMENSIONS = List.of(
            oddEvent("odd-1", ",\"country\":\"Atlantis\",\"device\":\"fridge\""),
            oddEvent("odd-2", ",\"country\":\"gb\",\"platform\":\"symbian\",\"device\":\"TV\""),
            oddEvent("odd-3", ",\"country\":\"XX\",\"source\":\"billboard\",\"platform\":\"iOS\""));

    private static KafkaTestBroker.Outgoing oddEvent(String id, String dimensions) {
        return new KafkaTestBroker.Outgoing(
                0,
                "odd-content",
                "{\"event_id\":\"" + id + "\",\"event_type\":\"view_start\","
                        + "\"content_id\":\"odd-content\",\"creator_id\":\"odd-creator\",\"session_id\":\"odd-session\",\"event_time\":"
                        + (PipelineScenario.T0 + 1_000) + dimensions + "}");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theScrapeEndpointShowsTheJobsMetricsWithTheReferenceValues(@TempDir Path checkpoints) throws Exception {
        PipelineScenario scenario = new PipelineScenario(SERVERS.kafka(), SERVERS.clickhouse());
        List<KafkaTestBroker.Outgoing> sent = new ArrayList<>(ODD_DIMENSIONS); // first: none can be late
        sent.addAll(PipelineScenario.traffic(
                23)); // its countries, devices, platforms and sources are all in the vocabularies
        sent.addAll(PipelineScenario.flushMarkers());
        SERVERS.kafka().sendAll("engagement-events", sent);
        ReferenceAggregation reference = PipelineScenario.reference(sent);
        long newestEventTime = PipelineScenario.T0 + Duration.ofDays(9).toMillis(); // the flush markers

        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        conf.setString("state.backend.rocksdb.metrics.estimate-num-keys", "true"); // as flink-conf/config.yaml
        conf.setString("state.backend.rocksdb.metrics.column-family-as-variable", "true");
        JobClient job =
                PipelineScenario.job(conf, 2, scenario.jobConfig(), null).executeAsync("metrics-test");
        List<Sample> samples;
        try {
            PipelineScenario.waitUntil(() -> scenario.complete(reference), 240);
            // Counters reach the reporter at scrape time; the sink counts a batch once ClickHouse took it.
            // RocksDB's estimates are views, refreshed every 5 s by Flink's metric registry.
            PipelineScenario.waitUntil(
                    () -> {
                        List<Sample> now = scrape();
                        return sum(now, "flink_taskmanager_job_task_operator_engagement_events_consumed") == sent.size()
                                && seenKeys(now) > 0;
                    },
                    30);
            samples = scrape();
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }

        // Every metric the alert rules use exists on a running job's endpoint under that exact name.
        Set<String> exposed = new TreeSet<>();
        samples.forEach(x -> exposed.add(x.name()));
        Matcher used = Pattern.compile("\\bflink_[A-Za-z0-9_]+")
                .matcher(java.nio.file.Files.readString(Path.of("deploy/prometheus/alerts.yml")));
        Set<String> missing = new TreeSet<>();
        while (used.find()) {
            if (!exposed.contains(used.group())) {
                missing.add(used.group());
            }
        }
        assertEquals(Set.of(), missing, "metrics used by deploy/prometheus/alerts.yml but not exposed");

        String prefix = "flink_taskmanager_job_task_operator_";
        assertEquals(sent.size(), sum(samples, prefix + "engagement_events_consumed"));
        assertEquals(reference.accepted, sum(samples, prefix + "engagement_events_accepted"));
        assertEquals(reference.duplicates, sum(samples, prefix + "engagement_events_duplicate"));
        assertEquals(0, sum(samples, prefix + "engagement_events_too_late"));

        // Dead letters: one series per reason (all exist from start-up), the reason a label.
        List<Sample> deadLetters = named(samples, prefix + "engagement_reason_dead_letters");
        Set<String> reasons = new TreeSet<>();
        deadLetters.forEach(s -> reasons.add(s.labels().get("reason")));
        Set<String> expectedReasons = new TreeSet<>();
        for (RejectReason r : RejectReason.values()) {
            expectedReasons.add(r.code());
        }
        assertEquals(expectedReasons, reasons);
        assertEquals(reference.invalid, sum(samples, prefix + "engagement_reason_dead_letters"));
        assertTrue(
                reference.invalid > 0 && reference.duplicates > 0, "the traffic must contain bad messages and retries");

        // Values outside the vocabularies, per dimension (a label): counted, never a new key.
        Map<String, Long> outside = new TreeMap<>();
        named(samples, prefix + "engagement_dimension_outside_vocabulary")
                .forEach(x -> outside.merge(x.labels().get("dimension"), Math.round(x.value()), Long::sum));
        assertEquals(Map.of("country", 2L, "device", 1L, "platform", 1L, "source", 1L), outside);

        // Sinks, per table (a label): every accepted event written once; batches and retries counted.
        long eventRows = Math.round(named(samples, prefix + "clickhouse_table_rowsWritten").stream()
                // The reporter writes label values with '.' as '_': engagement.engagement_events.
                .filter(s -> "engagement_engagement_events".equals(s.labels().get("clickhouse_table")))
                .mapToDouble(Sample::value)
                .sum());
        assertEquals(reference.accepted, eventRows);
        assertTrue(sum(samples, prefix + "clickhouse_table_batchesWritten") > 0);
        assertEquals(0, sum(samples, prefix + "clickhouse_table_batchRetries"));

        // Event-time lag: wall clock minus the watermark (newest event time - 30 s out-of-orderness).
        long lagMs = named(samples, prefix + "engagement_event_time_lag_ms").stream()
                .mapToLong(s -> (long) s.value())
                .max()
                .orElseThrow();
        long expectedLagMs = System.currentTimeMillis() - (newestEventTime - 30_000);
        assertTrue(Math.abs(lagMs - expectedLagMs) < 120_000, "lag " + lagMs + " ms, expected about " + expectedLagMs);

        // Dedup state: RocksDB's estimate of the ids in the "seen" column family (one per distinct valid id).
        long seenKeys = seenKeys(samples);
        long distinctValidIds = reference.accepted; // no event is too late here, so every seen id was accepted
        assertTrue(
                seenKeys > 0.5 * distinctValidIds && seenKeys < 1.5 * distinctValidIds,
                "dedup keys estimated " + seenKeys + ", distinct ids " + distinctValidIds);
    }
}
