package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late data and idle partitions end to end (real Kafka and ClickHouse, job on a MiniCluster). All
 * events go to partition 0 of a 3-partition topic, so windows can only fire if the two empty
 * partitions are declared idle. Late events are produced only after ClickHouse shows that their
 * window has fired, so they are late for certain, not by timing luck; the same for the late event
 * that moves the start of an already written session.
 */
class LatenessAndIdlenessITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final String TOPIC = "engagement-events";

    @RegisterExtension
    static final RealServers SERVERS = RealServers.perClass().topic(TOPIC, 3).jobTopics();

    private static void view(String id, String user, long time) throws Exception {
        view(id, "L", user, time);
    }

    private static void view(String id, String content, String user, long time) throws Exception {
        SERVERS.kafka()
                .send(
                        TOPIC,
                        0,
                        content,
                        "{\"event_id\":\"" + id + "\",\"event_type\":\"view_start\",\"content_id\":\"" + content + "\","
                                + "\"creator_id\":\"k\",\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user
                                + "\",\"event_time\":" + time + "}");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void lateUpdatesReplaceRowsTooLateEventsAreKeptAndIdlePartitionsDoNotStall(@TempDir Path checkpoints)
            throws Exception {
        // One view per minute 10:00 .. 10:12 (13 views); watermark ends at 10:12 - 30 s = 10:11:30.
        for (int m = 0; m <= 12; m++) {
            view("v" + m, "u" + m, T0 + m * MIN + 5_000);
        }
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--kafka.bootstrap-servers", SERVERS.kafka().bootstrapServers(),
                    "--clickhouse.url", SERVERS.clickhouse().jdbcUrl(),
                    "--clickhouse.flush-interval", "200 ms",
                    "--kafka.starting-offsets", "earliest",
                    "--watermark.idleness", "2 s",
                    "--window.allowed-lateness", "5 min",
                    "--session.gap", "2 min",
                    "--validation.max-event-age", "3650 d"
                },
                Map.of());
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "300 ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        JobClient job = PipelineScenario.job(conf, 1, config, null).executeAsync("lateness-test");
        try {
            // Minute 10:09 fires only if the empty partitions 1 and 2 are treated as idle.
            waitForRows(
                    "SELECT count() FROM engagement.content_metrics WHERE grain = 'minute' AND window_start = toDateTime('2026-03-02 10:09:00')",
                    1);

            // Session s-u9 (one view at 10:09:05, 2 min gap) closes at 10:11:05, before the watermark.
            waitForRows("SELECT count() FROM engagement.session_metrics WHERE session_id = 's-u9'", 1);

            view("late-ok", "u100", T0 + 9 * MIN + 10_000); // 10:09:10: 2 min behind, within 5 min lateness
            view("too-late", "u101", T0 + MIN + 10_000); // 10:01:10: 10+ min behind the watermark
            // u9 viewed content M at 10:08:00, within the lateness: session s-u9 now starts at 10:08.
            view("late-session", "M", "u9", T0 + 8 * MIN);
            waitForRows("SELECT count() FROM engagement.session_metrics WHERE session_id = 's-u9'", 3);
            waitForRows(
                    "SELECT count() FROM engagement.content_metrics WHERE grain = 'minute' AND window_start = toDateTime('2026-03-02 10:09:00')",
                    2);
            waitForRows("SELECT count() FROM engagement.late_events", 1);
            // Close every window: one event far later on the only active partition.
            view("flush", "u0", T0 + 9 * 24 * 60 * MIN);
            // Every row asserted below is flushed before the job is cancelled (grains fire in any order).
            waitForRows("SELECT count() FROM engagement.content_metrics FINAL WHERE grain = 'week'", 1);
            waitForRows("SELECT count() FROM engagement.content_metrics FINAL WHERE grain = 'day'", 1);
            waitForRows("SELECT count() FROM engagement.content_metrics FINAL WHERE grain = 'hour'", 1);
            waitForRows("SELECT count() FROM engagement.content_country_metrics FINAL WHERE grain = 'hour'", 1);
            waitForRows(
                    "SELECT count() FROM engagement.content_metrics FINAL WHERE grain = 'minute'", 13 + 1); // L and M
            waitForRows("SELECT count() FROM engagement.engagement_events WHERE event_id = 'late-ok'", 1);
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }

        // The late update is a second row (version 2) that FINAL returns instead of the first.
        assertEquals(
                List.of("1\t1", "2\t2"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT version, views FROM engagement.content_metrics"
                                        + " WHERE grain = 'minute' AND content_id = 'L' AND window_start = toDateTime('2026-03-02 10:09:00') ORDER BY version"));
        assertEquals(
                List.of("2\t2\t2"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT version, views, unique_viewers FROM engagement.content_metrics FINAL"
                                        + " WHERE grain = 'minute' AND content_id = 'L' AND window_start = toDateTime('2026-03-02 10:09:00')"));
        // The too-late event is in no window: minute 10:01 keeps its single view; hour 10:00 has the
        // 13 on-time views plus the allowed-late one, from 14 distinct users.
        assertEquals(
                List.of("1"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT views FROM engagement.content_metrics FINAL"
                                        + " WHERE grain = 'minute' AND content_id = 'L' AND window_start = toDateTime('2026-03-02 10:01:00')"));
        assertEquals(
                List.of("14\t14"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT views, unique_viewers FROM engagement.content_metrics FINAL"
                                        + " WHERE grain = 'hour' AND content_id = 'L' AND window_start = toDateTime('2026-03-02 10:00:00')"));
        // The country breakdown (built from minute deltas like the hour row) agrees: 14, not 15.
        assertEquals(
                List.of("unknown\t14\t14"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT country, views, unique_viewers"
                                        + " FROM engagement.content_country_metrics FINAL WHERE grain = 'hour' AND content_id = 'L'"));
        // ... and it is kept, with the reason, in late_events rather than engagement_events.
        assertEquals(
                List.of("too-late\t2026-03-02 10:01:10\tolder than watermark minus allowed lateness"),
                SERVERS.clickhouse().rows("SELECT event_id, event_time, reason FROM engagement.late_events"));
        assertEquals(
                List.of("0"),
                SERVERS.clickhouse()
                        .rows("SELECT count() FROM engagement.engagement_events WHERE event_id = 'too-late'"));
        assertEquals(
                List.of("1"),
                SERVERS.clickhouse()
                        .rows("SELECT count() FROM engagement.engagement_events WHERE event_id = 'late-ok'"));
        // Session s-u9 was written starting 10:09:05 (1 view, version 1). The late view moved its start:
        // the 10:09:05 row is retracted (superseded, version 2) and the session starts at 10:08 with 2 views.
        assertEquals(
                List.of("2026-03-02 10:09:05\t1\t1\t0"),
                SERVERS.clickhouse()
                        .rows("SELECT session_start, views, version, superseded"
                                + " FROM engagement.session_metrics WHERE session_id = 's-u9' AND version = 1"));
        assertEquals(
                List.of(
                        "2026-03-02 10:08:00\t2026-03-02 10:09:05\t2\t2\t0",
                        "2026-03-02 10:09:05\t2026-03-02 10:09:05\t0\t2\t1"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT session_start, session_end, views, version, superseded FROM engagement.session_metrics FINAL"
                                        + " WHERE session_id = 's-u9' ORDER BY session_start"));
        assertEquals(
                List.of("1"),
                SERVERS.clickhouse()
                        .rows("SELECT count() FROM engagement.session_metrics FINAL"
                                + " WHERE session_id = 's-u9' AND superseded = 0"));
    }

    private static void waitForRows(String countSql, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (SERVERS.clickhouse().count(countSql) < expected) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + expected + " from: " + countSql);
            }
            Thread.sleep(300);
        }
    }
}
