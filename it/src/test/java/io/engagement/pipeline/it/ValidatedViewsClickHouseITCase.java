package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.StartHorizon;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validated views on the real Kafka broker and ClickHouse 18.16 (migration 170): a view farm's
 * starts stay in {@code views} but not in {@code validated_views}, the farm is in {@code suspect_actors},
 * the humans' views are validated, and {@code device_id} reaches {@code engagement_events}.
 */
class ValidatedViewsClickHouseITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String EVENTS = "validated-views-events";
    private static final long MIN = 60_000;
    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

    @RegisterExtension
    static final RealServers SERVERS = RealServers.perClass().topic(EVENTS, 1).jobTopics();

    /** Every view start is in experiment "ex": the farm and u2 in variant b, u0 and u1 in a. */
    private static String viewStart(String id, String content, String user, String session, String device, long time) {
        String variant = user.equals("u0") || user.equals("u1") ? "a" : "b";
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"view_start\",\"content_id\":\"" + content + "\","
                + "\"creator_id\":\"k1\",\"user_id\":\"" + user + "\",\"session_id\":\"" + session + "\","
                + "\"device_id\":\"" + device + "\",\"event_time\":" + time
                + ",\"experiment\":\"ex\",\"variant\":\"" + variant + "\"}";
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(
                        EVENTS, 0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    private static List<String> rows(String sql) throws Exception {
        return SERVERS.clickhouse().rows(sql);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aViewFarmIsFlaggedInClickHouseAndItsViewsAreNotValidated(@TempDir Path checkpoints) throws Exception {
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--kafka.bootstrap-servers", SERVERS.kafka().bootstrapServers(),
                    "--kafka.input-topic", EVENTS,
                    "--kafka.starting-offsets", "earliest",
                    "--clickhouse.url", SERVERS.clickhouse().jdbcUrl(),
                    "--clickhouse.flush-interval", "200 ms",
                    "--validation.max-event-age", "3650 d",
                    "--watermark.out-of-orderness", "2 s",
                    "--window.grains", "minute,hour",
                    "--views.validation", "on",
                    "--views.max-starts-per-minute", "10"
                },
                Map.of());
        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        conf.setString("restart-strategy.type", "none");
        JobClient job =
                PipelineScenario.job(conf, 2, config, null, StartHorizon.NONE).executeAsync("validated-views");
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            // Minute 10:00: a farm account starts 30 views of c1 and c2 from one phone; three people
            // start one view each of c1.
            for (int i = 0; i < 30; i++) {
                send(
                        producer,
                        "c" + (1 + i % 2),
                        viewStart("farm-" + i, "c" + (1 + i % 2), "farm", "farm-s", "farm-phone", T0 + i * 1_000));
            }
            for (int i = 0; i < 3; i++) {
                send(producer, "c1", viewStart("h" + i, "c1", "u" + i, "s" + i, "phone-" + i, T0 + 5_000 + i * 1_000));
            }
            // Event time moves past the hour's end: every window fires.
            send(producer, "c9", viewStart("flush", "c9", "u9", "s9", "phone-9", T0 + 70 * MIN));
            waitUntil(
                    () -> SERVERS.clickhouse()
                                    .count("SELECT count() FROM engagement.content_metrics FINAL WHERE grain = 'hour'"
                                            + " AND content_id IN ('c1', 'c2')")
                            == 2,
                    120);
            Thread.sleep(1_000);
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }

        // c1: 15 farm starts and 3 human ones, 3 validated; c2: 15 farm starts, none validated.
        assertEquals(
                List.of("c1\t18\t3", "c2\t15\t0"),
                rows("SELECT content_id, views, validated_views"
                        + " FROM engagement.content_metrics FINAL WHERE grain = 'minute' ORDER BY content_id"));
        assertEquals(
                List.of("c1\t18\t3", "c2\t15\t0"),
                rows(
                        "SELECT content_id, views, validated_views"
                                + " FROM engagement.content_metrics FINAL WHERE grain = 'hour' AND content_id IN ('c1', 'c2') ORDER BY content_id"));
        assertEquals(
                List.of("33\t3"),
                rows(
                        "SELECT views, validated_views FROM engagement.creator_metrics FINAL"
                                + " WHERE grain = 'hour' AND creator_id = 'k1' AND toUnixTimestamp(window_start) = 1772445600"));
        // The farm, flagged by each gate for the minute; nobody else.
        assertEquals(
                List.of(
                        "device\tfarm-phone\tview_rate\t30\t0",
                        "session\tfarm-s\tview_rate\t30\t0",
                        "user\tfarm\tview_rate\t30\t0"),
                rows("SELECT actor_kind, actor_id, reason, view_starts, late FROM engagement.suspect_actors FINAL"
                        + " WHERE toUnixTimestamp(window_start) = 1772445600 ORDER BY actor_kind"));
        assertEquals(List.of("3"), rows("SELECT count() FROM engagement.suspect_actors"));
        assertEquals(
                List.of("phone-0"), rows("SELECT device_id FROM engagement.engagement_events WHERE event_id = 'h0'"));
        // The experiment's validated view starts are the gates' verdicts: the three people's (u0, u1 in a,
        // u2 in b), none of the farm's 30; the flush event's minute is never decided (no later event time).
        assertEquals(
                List.of("a\t2", "b\t1"),
                rows("SELECT variant, sum(counted) FROM engagement.experiment_validated_views FINAL"
                        + " WHERE experiment = 'ex' GROUP BY variant ORDER BY variant"));
        assertEquals(
                List.of("0"), rows("SELECT count() FROM engagement.experiment_validated_views WHERE user_id = 'farm'"));
    }
}
