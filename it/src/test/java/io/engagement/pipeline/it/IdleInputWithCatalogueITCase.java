package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.KafkaTestBroker.send;
import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.StartHorizon;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
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
 * A pause in the traffic longer than {@code watermark.idleness}, with a content catalogue: the events'
 * partitions go idle while the catalogue (a side input) is there. The windows must wait for event
 * time, not close: the views before and after the pause count in one open hour, whose row is final
 * only once event time passes its end.
 */
class IdleInputWithCatalogueITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String EVENTS = "idle-events";
    private static final String CATALOGUE = "idle-catalog";
    private static final long MIN = 60_000;
    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.perClass().topic(EVENTS, 1).topic(CATALOGUE, 1).jobTopics();

    private static String view(String id, String user, long time) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"view_start\",\"content_id\":\"c1\",\"creator_id\":\"k1\","
                + "\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user + "\",\"event_time\":" + time + "}";
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aPauseInTheTrafficDoesNotCloseTheOpenWindows(@TempDir Path checkpoints) throws Exception {
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
                    "--watermark.idleness", "3 s",
                    "--window.grains", "minute,hour"
                },
                Map.of());
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            send(producer, CATALOGUE, 0, "c1", "{\"content_id\":\"c1\",\"creator_id\":\"k1\",\"duration_ms\":20000}");
        }
        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        conf.setString("restart-strategy.type", "none");
        JobClient job =
                PipelineScenario.job(conf, 2, config, null, StartHorizon.NONE).executeAsync("idle-input");
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            waitUntil(() -> SERVERS.clickhouse().count("SELECT count() FROM engagement.content_catalog") == 1, 90);
            // Minute 10:00: three views, then the 10:05 view moves event time past 10:00's end.
            for (int i = 0; i < 3; i++) {
                send(producer, EVENTS, 0, "c1", view("a" + i, "u" + i, T0 + i * 1_000));
            }
            send(producer, EVENTS, 0, "c1", view("a3", "u3", T0 + 5 * MIN));
            waitUntil(
                    () -> SERVERS.clickhouse()
                                    .count("SELECT count() FROM engagement.content_metrics FINAL"
                                            + " WHERE grain = 'minute' AND window_start = '2026-03-02 10:00:00'")
                            == 1,
                    90);
            // The pause: well past watermark.idleness (3 s), the events' partition goes idle.
            Thread.sleep(8_000);
            // More views of the same hour, then event time passes the hour's end.
            for (int i = 4; i < 6; i++) {
                send(producer, EVENTS, 0, "c1", view("a" + i, "u" + i, T0 + 20 * MIN + i * 1_000));
            }
            // (Before moving event time on, let the source report the partition active again, within
            // the idleness: records sent while a channel is still marked idle can meet a watermark that
            // another, active channel already carried past their window, Flink's idleness semantics, not
            // what is tested here.)
            Thread.sleep(1_000);
            send(producer, EVENTS, 0, "c1", view("flush", "u9", T0 + 70 * MIN));
            waitUntil(
                    () -> SERVERS.clickhouse()
                                    .count("SELECT count() FROM engagement.content_metrics FINAL"
                                            + " WHERE grain = 'hour' AND window_start = '2026-03-02 10:00:00'"
                                            + " AND provisional = 0 AND views >= 6")
                            == 1,
                    60);
            Thread.sleep(1_000);
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }
        // The hour 10:00 counts the six views before and after the pause in one final row; its first
        // final version came after its end, not at the pause.
        assertEquals(
                List.of("6\t1"),
                SERVERS.clickhouse()
                        .rows("SELECT views, version FROM engagement.content_metrics FINAL"
                                + " WHERE grain = 'hour' AND window_start = '2026-03-02 10:00:00'"));
    }
}
