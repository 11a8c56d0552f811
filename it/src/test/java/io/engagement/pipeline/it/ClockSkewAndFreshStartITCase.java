package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.StartHorizon;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.dedup.DeduplicateAndRouteLate;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ways real clients and real operators break event time, on the real Kafka broker and ClickHouse:
 * a phone whose clock runs almost {@code validation.max-future-skew} fast, and a job resubmitted
 * without its state onto a database that already holds finished windows.
 */
class ClockSkewAndFreshStartITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String SKEW_TOPIC = "skew-events";
    private static final String FRESH_TOPIC = "fresh-events";
    private static final long MIN = 60_000;

    /** Fresh servers per test: the start horizon reads what ClickHouse holds. */
    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.perTest().topic(SKEW_TOPIC, 1).topic(FRESH_TOPIC, 1).jobTopics();

    private static String event(String id, String type, String content, String user, long time) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"content_id\":\"" + content + "\","
                + "\"creator_id\":\"creator-" + content + "\",\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user
                + "\","
                + "\"event_time\":" + time + "}";
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String content, String json)
            throws Exception {
        producer.send(new ProducerRecord<>(
                        topic, 0, content.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    private static JobConfig config(String topic, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers",
                SERVERS.kafka().bootstrapServers(),
                "--kafka.input-topic",
                topic,
                "--kafka.group-id",
                "group-" + topic,
                "--kafka.transactional-id-prefix",
                "tx-" + topic,
                "--clickhouse.url",
                SERVERS.clickhouse().jdbcUrl(),
                "--clickhouse.flush-interval",
                "200 ms",
                "--validation.max-event-age",
                "3650 d"));
        args.addAll(List.of(extra));
        return JobConfig.fromSources(args.toArray(new String[0]), Map.of());
    }

    private static JobClient start(JobConfig config, long startHorizonMs, Path checkpoints, String name)
            throws Exception {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "300 ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        return PipelineScenario.job(conf, 1, config, null, startHorizonMs).executeAsync(name);
    }

    private static long count(String sql) throws Exception {
        return SERVERS.clickhouse().count(sql);
    }

    /**
     * Live traffic on one partition, one event dated 4 min 55 s ahead among it. Before the watermark
     * was capped at ingest time, that event moved the partition's watermark to about now + 4.9 min and
     * every honest event after it went to late_events.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void oneFastDeviceClockDoesNotMakeHonestTrafficLate(@TempDir Path checkpoints, @TempDir Path savepoints)
            throws Exception {
        JobConfig config = config(
                SKEW_TOPIC,
                "--kafka.starting-offsets",
                "earliest",
                "--watermark.out-of-orderness",
                "2 s",
                "--window.allowed-lateness",
                "1 s",
                "--window.grains",
                "minute");
        long skewMs = config.validationRules.maxFutureSkew().toMillis();
        JobClient job = start(config, StartHorizon.NONE, checkpoints, "clock-skew");
        int honest = 0;
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            // The job is reading once the first honest event is in ClickHouse.
            send(
                    producer,
                    SKEW_TOPIC,
                    "honest",
                    event("h" + honest++, "view_start", "honest", "u0", System.currentTimeMillis()));
            waitUntil(
                    () -> count("SELECT count() FROM engagement.engagement_events WHERE content_id = 'honest'") == 1,
                    90);
            for (int i = 0; i < 100; i++) {
                if (i == 5) {
                    send(
                            producer,
                            SKEW_TOPIC,
                            "fast-clock",
                            event(
                                    "fast",
                                    "view_start",
                                    "fast-clock",
                                    "phone",
                                    System.currentTimeMillis() + skewMs - 5_000));
                }
                send(
                        producer,
                        SKEW_TOPIC,
                        "honest",
                        event("h" + honest, "view_start", "honest", "u" + honest, System.currentTimeMillis()));
                honest++;
                Thread.sleep(100); // several watermark intervals (200 ms) pass during the traffic
            }
        }
        long expected = honest;
        waitUntil(
                () -> count("SELECT count() FROM engagement.engagement_events WHERE content_id = 'honest'")
                                + count("SELECT count() FROM engagement.late_events WHERE content_id = 'honest'")
                        == expected,
                90);
        assertEquals(
                0,
                count("SELECT count() FROM engagement.late_events WHERE content_id = 'honest'"),
                "honest events made late");

        // Draining fires every window, the fast event's (about 5 min ahead) too.
        job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        assertEquals(
                expected,
                count("SELECT sum(views) FROM engagement.content_metrics FINAL"
                        + " WHERE grain = 'minute' AND content_id = 'honest'"),
                "honest views in their minute windows");
        // Each minute window fired once, on time: none was fired early by the fast clock and then updated.
        assertEquals(1, count("SELECT max(version) FROM engagement.content_metrics WHERE content_id = 'honest'"));
        assertEquals(
                List.of("1"),
                SERVERS.clickhouse()
                        .rows("SELECT views FROM engagement.content_metrics FINAL"
                                + " WHERE grain = 'minute' AND content_id = 'fast-clock'"));
    }

    /**
     * A job cancelled without a savepoint and submitted again: the second run has no watermark and no
     * window state. A late like for an hour the first run finished must not replace that hour's row.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aJobStartedWithoutStateDoesNotOverwriteFinishedWindows(@TempDir Path checkpoints) throws Exception {
        long t0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        long flushTime = t0 + 120 * MIN + 5_000; // 12:00:05, closes the 10:00 hour
        JobConfig config = config(FRESH_TOPIC, "--kafka.starting-offsets", "earliest");
        assertEquals(StartHorizon.NONE, StartHorizon.resolve(config), "nothing written yet");
        JobClient first = start(config, StartHorizon.resolve(config), checkpoints.resolve("first"), "first-run");
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            for (int i = 0; i < 3; i++) {
                send(producer, FRESH_TOPIC, "F", event("view-" + i, "view_start", "F", "u" + i, t0 + i * MIN));
            }
            send(producer, FRESH_TOPIC, "F", event("like-0", "like", "F", "u0", t0 + 3 * MIN));
            send(producer, FRESH_TOPIC, "F", event("like-1", "like", "F", "u1", t0 + 4 * MIN));
            send(producer, FRESH_TOPIC, "G", event("flush", "impression", "G", "u9", flushTime));
            waitUntil(
                    () -> count(
                                            "SELECT count() FROM engagement.content_metrics FINAL WHERE grain = 'hour' AND content_id = 'F'")
                                    == 1
                            && count(
                                            "SELECT count() FROM engagement.creator_metrics FINAL WHERE grain = 'hour' AND creator_id = 'creator-F'")
                                    == 1,
                    90);
            Thread.sleep(2_000); // checkpoints every 300 ms commit the offsets read so far
            PipelineScenario.cancelAndAwait(first);
        }
        String finishedHour = "SELECT version, views, likes FROM engagement.content_metrics FINAL"
                + " WHERE grain = 'hour' AND content_id = 'F'";
        String finishedCreatorHour = "SELECT views, likes FROM engagement.creator_metrics FINAL"
                + " WHERE grain = 'hour' AND creator_id = 'creator-F'";
        assertEquals(List.of("1\t3\t2"), SERVERS.clickhouse().rows(finishedHour));
        assertEquals(List.of("3\t2"), SERVERS.clickhouse().rows(finishedCreatorHour));

        // The newest window written is the hour 10:00-11:00 (minute windows after 10:04 had no events;
        // the flush event's own minute is still open), so the horizon is 11:00.
        long horizon = StartHorizon.resolve(config);
        assertEquals(t0 + 60 * MIN, horizon);
        assertEquals(
                horizon, StartHorizon.newestClosedWindowEnd(SERVERS.clickhouse().http(), "engagement"));

        // A late like is waiting when the job is submitted again without its state: it is the first
        // message the second run reads (the first run committed its offsets), before any watermark.
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            send(producer, FRESH_TOPIC, "F", event("late-like", "like", "F", "u5", t0 + 10 * MIN));
        }
        JobClient second = start(config, StartHorizon.resolve(config), checkpoints.resolve("second"), "second-run");
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            // Traffic at 13:00 and 14:01 then moves event time past every window the like could open.
            send(producer, FRESH_TOPIC, "probe", event("probe-13", "impression", "probe", "u8", t0 + 180 * MIN));
            send(producer, FRESH_TOPIC, "probe", event("probe-14", "impression", "probe", "u8", t0 + 241 * MIN));
            waitUntil(
                    () -> count(
                                    "SELECT count() FROM engagement.content_metrics WHERE grain = 'hour' AND content_id = 'probe'")
                            >= 1,
                    90);
            Thread.sleep(1_000);
        } finally {
            PipelineScenario.cancelAndAwait(second);
        }
        assertEquals(
                List.of(DeduplicateAndRouteLate.BEFORE_START_HORIZON_REASON),
                SERVERS.clickhouse().rows("SELECT reason FROM engagement.late_events WHERE event_id = 'late-like'"));
        assertEquals(0, count("SELECT count() FROM engagement.engagement_events WHERE event_id = 'late-like'"));
        assertEquals(List.of("1\t3\t2"), SERVERS.clickhouse().rows(finishedHour), "the finished hour row is unchanged");
        assertEquals(
                List.of("3\t2"),
                SERVERS.clickhouse().rows(finishedCreatorHour),
                "the finished creator row is unchanged");
        assertEquals(
                0,
                count("SELECT count() FROM engagement.content_metrics WHERE content_id = 'F'"
                        + " AND grain = 'minute' AND window_start = toDateTime('2026-03-02 10:10:00')"),
                "no phantom minute row");
    }
}
