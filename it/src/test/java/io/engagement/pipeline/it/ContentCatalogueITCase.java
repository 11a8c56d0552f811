package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.KafkaTestBroker.send;
import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.StartHorizon;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.service.EngagementService;
import io.engagement.pipeline.service.EventPublisher;
import io.engagement.pipeline.service.ServiceConfig;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ownership from the content catalogue, on the real Kafka broker and ClickHouse: the attack of issue
 * 21 (events for someone else's content with another creator_id, first in their window) changes no
 * creator's numbers and gives the forger's key a 404; content not in the catalogue is counted for no
 * creator; an unusable catalogue entry is a dead letter.
 */
class ContentCatalogueITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String EVENTS = "catalogue-events";
    private static final String CATALOGUE = "content-catalog";
    private static final long MIN = 60_000;
    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.perClass().topic(EVENTS, 1).topic(CATALOGUE, 1).jobTopics();

    private static String event(
            String id, String type, String content, String claimedCreator, String user, long time, String more) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"content_id\":\"" + content + "\","
                + "\"creator_id\":\"" + claimedCreator + "\",\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user
                + "\","
                + "\"event_time\":" + time + more + "}";
    }

    private static long count(String sql) throws Exception {
        return SERVERS.clickhouse().count(sql);
    }

    private static List<String> rows(String sql) throws Exception {
        return SERVERS.clickhouse().rows(sql);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aForgedCreatorIdMovesNoCreatorsNumbersAndOwnershipComesFromTheCatalogue(@TempDir Path checkpoints)
            throws Exception {
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--kafka.bootstrap-servers", SERVERS.kafka().bootstrapServers(),
                    "--kafka.input-topic", EVENTS,
                    "--kafka.catalog-topic", CATALOGUE,
                    "--kafka.starting-offsets", "earliest",
                    "--clickhouse.url", SERVERS.clickhouse().jdbcUrl(),
                    "--clickhouse.flush-interval", "200 ms",
                    "--validation.max-event-age", "3650 d",
                    "--watermark.out-of-orderness", "2 s",
                    "--window.grains", "minute,hour",
                    "--views.validation", "on"
                },
                Map.of());
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            // The platform's content service publishes the catalogue first.
            send(
                    producer,
                    CATALOGUE,
                    0,
                    "v1",
                    "{\"content_id\":\"v1\",\"creator_id\":\"victim\",\"duration_ms\":20000}");
            send(
                    producer,
                    CATALOGUE,
                    0,
                    "f1",
                    "{\"content_id\":\"f1\",\"creator_id\":\"forger\",\"duration_ms\":10000}");
            send(
                    producer,
                    CATALOGUE,
                    0,
                    "d1",
                    "{\"content_id\":\"d1\",\"creator_id\":\"third\",\"duration_ms\":20000}");
            send(
                    producer,
                    CATALOGUE,
                    0,
                    "r1",
                    "{\"content_id\":\"r1\",\"creator_id\":\"fourth\",\"duration_ms\":60000}");
            send(producer, CATALOGUE, 0, "bad", "{\"content_id\":\"bad\"}"); // no creator: a dead letter
        }
        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        conf.setString("restart-strategy.type", "none");
        JobClient job =
                PipelineScenario.job(conf, 2, config, null, StartHorizon.NONE).executeAsync("content-catalogue");
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            // The job has read the catalogue once its entries are in ClickHouse (written after the join saw them).
            waitUntil(() -> count("SELECT count() FROM engagement.content_catalog") == 4, 90);
            // Minute 10:00: three honest views of v1. Minute 10:01: the forger's five views of v1,
            // claiming v1 is theirs, come first in the window; then two honest views. One completion
            // claims a 1 s duration (the catalogue says 20 s).
            for (int i = 0; i < 3; i++) {
                send(
                        producer,
                        EVENTS,
                        0,
                        "v1",
                        event("h" + i, "view_start", "v1", "victim", "u" + i, T0 + i * 1_000, ""));
            }
            for (int i = 0; i < 5; i++) {
                send(
                        producer,
                        EVENTS,
                        0,
                        "v1",
                        event("x" + i, "view_start", "v1", "forger", "bot" + i, T0 + MIN + i * 1_000, ""));
            }
            for (int i = 3; i < 5; i++) {
                send(
                        producer,
                        EVENTS,
                        0,
                        "v1",
                        event("h" + i, "view_start", "v1", "victim", "u" + i, T0 + MIN + 10_000 + i * 1_000, ""));
            }
            send(
                    producer,
                    EVENTS,
                    0,
                    "v1",
                    event(
                            "c0",
                            "view_complete",
                            "v1",
                            "victim",
                            "u3",
                            T0 + MIN + 20_000,
                            ",\"content_duration_ms\":1000"));
            // Content not in the catalogue: counted, for no creator.
            send(producer, EVENTS, 0, "u9", event("n0", "view_start", "u9", "victim", "u0", T0 + 30_000, ""));
            send(producer, EVENTS, 0, "u9", event("n1", "view_start", "u9", "victim", "u1", T0 + 40_000, ""));
            // Validated views against the catalogue's duration: on d1 (20 s), u7's play reports 10 minutes of
            // watch time without a loop, 11 minutes after its start (so only the catalogue can tell it is
            // impossible); u8 plays it once through.
            send(producer, EVENTS, 0, "d1", event("d-start-7", "view_start", "d1", "third", "u7", T0 + 2 * MIN, ""));
            send(
                    producer,
                    EVENTS,
                    0,
                    "d1",
                    event("d-start-8", "view_start", "d1", "third", "u8", T0 + 2 * MIN + 1_000, ""));
            send(
                    producer,
                    EVENTS,
                    0,
                    "d1",
                    event(
                            "d-end-8",
                            "view_complete",
                            "d1",
                            "third",
                            "u8",
                            T0 + 2 * MIN + 21_000,
                            ",\"total_watch_time_ms\":20000"));
            send(
                    producer,
                    EVENTS,
                    0,
                    "d1",
                    event(
                            "d-end-7",
                            "swipe_away",
                            "d1",
                            "third",
                            "u7",
                            T0 + 13 * MIN,
                            ",\"total_watch_time_ms\":600000,\"progress\":0.5"));
            // The intro hold of r1 (60 s by the catalogue) from plays that claim a 10 s content: by the
            // claim none would reach 30 s; by the catalogue 36 s and 60 s do, 24 s does not.
            send(
                    producer,
                    EVENTS,
                    0,
                    "r1",
                    event(
                            "r-0",
                            "swipe_away",
                            "r1",
                            "forger", // a false claim of ownership: the rows name the catalogue's owner
                            "u1",
                            T0 + 5_000,
                            ",\"progress\":0.6,\"content_duration_ms\":10000"));
            send(
                    producer,
                    EVENTS,
                    0,
                    "r1",
                    event(
                            "r-1",
                            "swipe_away",
                            "r1",
                            "fourth",
                            "u2",
                            T0 + 6_000,
                            ",\"progress\":0.4,\"content_duration_ms\":10000"));
            send(
                    producer,
                    EVENTS,
                    0,
                    "r1",
                    event("r-2", "view_complete", "r1", "fourth", "u3", T0 + 7_000, ",\"content_duration_ms\":10000"));
            // Event time moves past both hours' ends: every window fires.
            send(producer, EVENTS, 0, "f1", event("flush", "impression", "f1", "forger", "u0", T0 + 130 * MIN, ""));
            waitUntil(
                    () -> count(
                                            "SELECT count() FROM engagement.content_metrics FINAL WHERE grain = 'hour' AND content_id IN ('v1', 'u9', 'd1')")
                                    == 3
                            && count(
                                            "SELECT count() FROM engagement.creator_metrics FINAL WHERE grain = 'hour' AND creator_id = 'victim'")
                                    == 1
                            && count("SELECT count() FROM engagement.content_retention FINAL WHERE content_id = 'r1'")
                                    == 1,
                    120);
            Thread.sleep(1_000);
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }

        // r1's retention: three plays, exits at 40 %, 60 % and the end; intro held by two of three (by the
        // catalogue's 60 s; the claimed 10 s would have held none).
        assertEquals(
                List.of("3\t2\t1\t1\t1"),
                rows("SELECT intro_plays, intro_held, exits[9], exits[13], exits[21]"
                        + " FROM engagement.content_retention FINAL WHERE content_id = 'r1'"));
        // Its owner is the catalogue's, whatever a play claimed, and the creator-first copy has the row
        // under it (the creator's typical retention band reads the copy).
        assertEquals(
                List.of("fourth\t3"),
                rows("SELECT creator_id, arraySum(exits) FROM engagement.content_retention_by_creator FINAL"
                        + " WHERE content_id = 'r1'"));
        // Every row of v1 carries the catalogue's creator; the forger's five views count under it, as mismatches.
        assertEquals(
                List.of("victim"),
                rows("SELECT DISTINCT creator_id FROM engagement.content_metrics WHERE content_id = 'v1'"));
        assertEquals(
                List.of("10:00\t3\t0", "10:01\t7\t5"),
                rows(
                        "SELECT formatDateTime(window_start, '%H:%M'), views,"
                                + " creator_mismatches FROM engagement.content_metrics FINAL WHERE grain = 'minute' AND content_id = 'v1' ORDER BY window_start"));
        // The hour: 10 views of v1, 1 completion: a completion rate of 10 (%), whatever duration the event claimed.
        assertEquals(
                List.of("10\t1\t10\t5"),
                rows("SELECT views, completions, completion_rate, creator_mismatches"
                        + " FROM engagement.content_metrics FINAL WHERE grain = 'hour' AND content_id = 'v1'"));
        // Its watch time is the catalogue's 20 s (within the sketch's 1 %), not the 1 s the event claimed.
        assertEquals(
                List.of("1"),
                rows("SELECT abs(median_watch_time_ms - 20000) <= 200"
                        + " FROM engagement.content_metrics FINAL WHERE grain = 'hour' AND content_id = 'v1'"));
        // The victim's creator hour counts v1 only (u9 is not in the catalogue); the forger gained nothing.
        assertEquals(
                List.of("10\t1"),
                rows("SELECT views, contents FROM engagement.creator_metrics FINAL"
                        + " WHERE grain = 'hour' AND creator_id = 'victim'"));
        assertEquals(
                0, count("SELECT count() FROM engagement.creator_metrics WHERE creator_id = 'forger' AND views > 0"));
        assertEquals(
                List.of("1\t2\t2"),
                rows("SELECT creator_id = '', views, uncatalogued_events FROM engagement.content_metrics FINAL"
                        + " WHERE grain = 'hour' AND content_id = 'u9'"));
        // d1: both views and both plays counted; validated, u7's impossible play is not (its view is): one
        // completion and u8's 20 s of watch time.
        assertEquals(
                List.of("2\t2\t1\t1\t20000"),
                rows(
                        "SELECT views, validated_views, completions, validated_completions,"
                                + " validated_watch_time_ms FROM engagement.content_metrics FINAL WHERE grain = 'hour' AND content_id = 'd1'"));
        assertEquals(
                List.of("invalid_catalog_entry\t1"),
                rows("SELECT reason, detail = 'missing required field \\'creator_id\\''"
                        + " FROM engagement.dead_letters WHERE source_topic = '" + CATALOGUE + "'"));

        // The service decides ownership from the catalogue: the forger's key gets a 404 for v1.
        ServiceConfig serviceConfig = ServiceConfig.from(
                new String[] {
                    "--service.port",
                    "0",
                    "--kafka.bootstrap-servers",
                    SERVERS.kafka().bootstrapServers(),
                    "--kafka.input-topic",
                    EVENTS,
                    "--clickhouse.url",
                    SERVERS.clickhouse().httpUrl()
                },
                Map.of(
                        "ENGAGEMENT_SERVICE_API_KEYS",
                        "v:victim-key-0123456789abcdef:creator:victim,f:forger-key-0123456789abcdef:creator:forger"));
        try (EngagementService service = new EngagementService(
                        serviceConfig,
                        EventPublisher.forConfig(serviceConfig),
                        SERVERS.clickhouse().http())
                .start()) {
            assertEquals(404, get(service.port(), "/v1/content/v1/metrics", "forger-key-0123456789abcdef"));
            assertEquals(200, get(service.port(), "/v1/content/v1/metrics", "victim-key-0123456789abcdef"));
            assertEquals(200, get(service.port(), "/v1/content/f1/metrics", "forger-key-0123456789abcdef"));
        }
    }

    private static int get(int port, String path, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
