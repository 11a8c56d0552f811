package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.clickhouse.ApplyRetention;
import io.engagement.pipeline.clickhouse.ApplySchema;
import io.engagement.pipeline.clickhouse.EraseUser;
import io.engagement.pipeline.testing.ClickHouseTestCluster;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clustered schema (ApplySchema with a cluster: {@code ClusterLayout}) on a real two-server
 * ClickHouse 18.16 cluster with ZooKeeper, the production job writing through the Distributed
 * tables: its outputs, read with FINAL, equal the reference on a replicated cluster whose second
 * replica is killed mid-run (it catches up), and on a sharded cluster (both shards hold rows); a
 * replayed block is dropped by insert deduplication and copies of rows collapse under FINAL.
 */
class ClickHouseClusterITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String DB = "engagement";
    private static final List<String> TABLES = List.of(
            "engagement_events",
            "content_metrics",
            "creator_metrics",
            "content_country_metrics",
            "session_metrics",
            "content_velocity",
            "dead_letters",
            "duplicate_events",
            "late_events",
            "content_viewers_hourly");

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aReplicaKilledMidRunCatchesUpAndTheResultsEqualTheReference(@TempDir Path checkpoints) throws Exception {
        KafkaTestBroker kafka = KafkaTestBroker.start();
        try (ClickHouseTestCluster cluster =
                ClickHouseTestCluster.start(ClickHouseTestCluster.Topology.ONE_SHARD_TWO_REPLICAS)) {
            ClickHouseTestServer first = cluster.node(0);
            ClickHouseTestServer second = cluster.node(1);
            assertTrue(ApplySchema.apply(first.http(), Path.of("sql/ddl"), DB, ClickHouseTestCluster.NAME) > 0);
            // ON CLUSTER made every table on the other server too, and a second run applies nothing.
            for (ClickHouseTestServer node : List.of(first, second)) {
                assertEquals(
                        List.of("Distributed", "ReplicatedReplacingMergeTree"),
                        node.rows(
                                "SELECT engine FROM system.tables WHERE database = 'engagement' AND name IN ('content_metrics', 'content_metrics_local') ORDER BY engine"));
            }
            assertEquals(0, ApplySchema.apply(second.http(), Path.of("sql/ddl"), DB, ClickHouseTestCluster.NAME));

            // No job restart in this run, so no batch is replayed and no copy of a row needs merging
            // before the physical count is checked. (OPTIMIZE ... FINAL on the replicated table after the
            // replica's restart once hung past the 60 s HTTP timeout on 18.16, as SYSTEM SYNC REPLICA
            // did; not diagnosed. The sharded test below merges and checks copies.)
            PipelineScenario scenario = new PipelineScenario(kafka, first).optimizingRawEventsWith(() -> {});
            scenario.createTopics();
            // The second replica dies (SIGKILL) once the job has written rows, and comes back 10 s later.
            AtomicReference<Throwable> killerFailed = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong rowsAtKill = new java.util.concurrent.atomic.AtomicLong(-1);
            Thread killer = new Thread(
                    () -> {
                        try {
                            PipelineScenario.waitUntil(
                                    () -> first.count("SELECT count() FROM engagement.engagement_events_local") > 0,
                                    120);
                            second.kill();
                            rowsAtKill.set(allRows(first));
                            // 10 s: past the killed process's ZooKeeper session (4 s, ClickHouseTestCluster).
                            Thread.sleep(10_000);
                            try {
                                second.startAgain();
                            } catch (IllegalStateException refused) {
                                // Killed mid-insert, the replica may hold parts ZooKeeper never recorded; 18.16 then
                                // refuses to start: "The local set of parts of table
                                // engagement.content_viewers_hourly_local doesn't look like the set of parts in
                                // ZooKeeper: 2.00 rows of 2.00 total rows in filesystem are suspicious" (exit 70; seen
                                // in CI and in a local run). The operator's recovery is force_restore_data
                                // (docs/clickhouse.md); any other start-up failure fails the test.
                                if (!String.valueOf(refused.getMessage()).contains("look like the set of parts")) {
                                    throw refused;
                                }
                                System.err.println(
                                        "kill-replica: the replica refused its parts, restarting with force_restore_data: "
                                                + refused.getMessage());
                                second.startAgainRestoringReplicas();
                            }
                        } catch (Throwable e) {
                            killerFailed.set(e);
                        }
                    },
                    "kill-replica");
            killer.start();
            scenario.runAndAssertMatchesReference(scenario.jobConfig(), checkpoints, 21);
            killer.join(60_000);
            assertEquals(null, killerFailed.get(), "the replica was killed and restarted");
            // Counted over every table: the raw events of the pre-loaded topic may all be in before the
            // kill (a CI run wrote all 8 700 in the first batches), the windows fire later.
            long rowsAtEnd = allRows(first);
            assertTrue(
                    rowsAtKill.get() >= 0 && rowsAtKill.get() < rowsAtEnd,
                    "rows were written while the replica was down: " + rowsAtKill.get() + " at the kill, " + rowsAtEnd
                            + " in the end");

            // The restarted replica fetches what it missed. (18.16's SYSTEM SYNC REPLICA hung here with an
            // empty replication queue, so the test waits for equal contents instead.)
            for (String table : TABLES) {
                String sql =
                        "SELECT count(), cityHash64(groupArray(toString(tuple(*)))) FROM (SELECT * FROM engagement."
                                + table + "_local ORDER BY tuple(*))";
                PipelineScenario.waitUntil(() -> first.rows(sql).equals(second.rows(sql)), 60);
            }
            assertTrue(second.count("SELECT count() FROM engagement.content_metrics_local") > 0);
        } finally {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void twoShardsGiveTheReferenceAndAReplayedBlockIsDropped(@TempDir Path checkpoints) throws Exception {
        KafkaTestBroker kafka = KafkaTestBroker.start();
        try (ClickHouseTestCluster cluster = ClickHouseTestCluster.start(ClickHouseTestCluster.Topology.TWO_SHARDS)) {
            ClickHouseTestServer first = cluster.node(0);
            ClickHouseTestServer second = cluster.node(1);
            ApplySchema.apply(first.http(), Path.of("sql/ddl"), DB, ClickHouseTestCluster.NAME);
            PipelineScenario scenario = new PipelineScenario(kafka, first).optimizingRawEventsWith(() -> {
                optimizeFinal(first, "engagement.engagement_events_local");
                optimizeFinal(second, "engagement.engagement_events_local");
            });
            scenario.createTopics();
            scenario.runAndAssertMatchesReference(scenario.jobConfig(), checkpoints, 22);

            // Rows are spread by content over both shards, and all of one content's rows are on one shard.
            long onFirst = first.count("SELECT count() FROM engagement.engagement_events_local");
            long onSecond = second.count("SELECT count() FROM engagement.engagement_events_local");
            assertTrue(onFirst > 0 && onSecond > 0, "both shards hold events: " + onFirst + ", " + onSecond);
            assertEquals(
                    0,
                    first.count("SELECT count() FROM engagement.engagement_events_local WHERE content_id IN"
                            + " (SELECT content_id FROM remote('127.0.0.1:" + second.tcpPort()
                            + "', engagement.engagement_events_local))"));
            long total = onFirst + onSecond;

            // A replayed batch: the same block of rows inserted again through the Distributed table.
            String block = first.http()
                    .execute(
                            "SELECT * FROM engagement.engagement_events ORDER BY event_id LIMIT 200 FORMAT TabSeparated");
            String insert = "INSERT INTO engagement.engagement_events FORMAT TabSeparated\n" + block;
            first.http().execute(insert);
            long afterFirstReplay = count(first, second, "engagement_events_local");
            assertEquals(total + 200, afterFirstReplay, "a block the job never sent is inserted: its rows are copies");
            assertEquals(
                    total,
                    first.count("SELECT count() FROM engagement.engagement_events FINAL"),
                    "copies of a row collapse under FINAL (ReplacingMergeTree)");
            first.http().execute(insert);
            assertEquals(
                    afterFirstReplay,
                    count(first, second, "engagement_events_local"),
                    "the same block again is dropped by the shards' insert deduplication");
        } finally {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void retentionAndErasureReachEveryShard() throws Exception {
        try (ClickHouseTestCluster cluster = ClickHouseTestCluster.start(ClickHouseTestCluster.Topology.TWO_SHARDS)) {
            ClickHouseTestServer first = cluster.node(0);
            ClickHouseTestServer second = cluster.node(1);
            String db = "ops";
            ApplySchema.apply(first.http(), Path.of("sql/ddl"), db, ClickHouseTestCluster.NAME);
            // Through the Distributed tables: 12 contents (spread over both shards by content id), each
            // with a May event of u1, and June events of u1, u2 and an anonymous viewer.
            StringBuilder events = new StringBuilder();
            for (int c = 1; c <= 12; c++) {
                String content = "'c" + c + "'";
                events.append(events.length() == 0 ? "" : ",")
                        .append("('m")
                        .append(c)
                        .append("', 'like', ")
                        .append(content)
                        .append(", 'k', 'u1', 's1', '2026-05-10 10:00:00', 0, 't', 0, ")
                        .append(c)
                        .append("),")
                        .append("('a")
                        .append(c)
                        .append("', 'like', ")
                        .append(content)
                        .append(", 'k', 'u1', 's1', '2026-06-10 10:00:00', 0, 't', 0, ")
                        .append(100 + c)
                        .append("),")
                        .append("('b")
                        .append(c)
                        .append("', 'like', ")
                        .append(content)
                        .append(", 'k', 'u2', 's2', '2026-06-10 10:00:00', 0, 't', 0, ")
                        .append(200 + c)
                        .append("),")
                        .append("('n")
                        .append(c)
                        .append("', 'like', ")
                        .append(content)
                        .append(", 'k', NULL, 's3', '2026-06-10 10:00:00', 0, 't', 0, ")
                        .append(300 + c)
                        .append(")");
            }
            java.util.Map<String, String> sync = java.util.Map.of("insert_distributed_sync", "1");
            first.http()
                    .execute(
                            "INSERT INTO ops.engagement_events (event_id, event_type, content_id, creator_id, user_id, session_id,"
                                    + " event_time, event_time_ms, source_topic, source_partition, source_offset) VALUES "
                                    + events,
                            sync);
            first.http()
                    .execute(
                            "INSERT INTO ops.session_metrics (session_id, user_id, session_start, session_end, duration_ms, version)"
                                    + " VALUES ('s1', 'u1', '2026-06-10 10:00:00', '2026-06-10 10:05:00', 300000, 1),"
                                    + " ('s2', 'u2', '2026-06-10 10:00:00', '2026-06-10 10:05:00', 300000, 1)",
                            sync);
            first.http()
                    .execute(
                            "INSERT INTO ops.dead_letters (reason, detail, payload, payload_encoding, source_topic, source_partition,"
                                    + " source_offset, received_at) VALUES ('unknown_event_type', 'x', '{\"user_id\": \"u1\", \"event_type\": \"zap\"}', 'utf8', 't', 0, 1, now()),"
                                    + " ('malformed_json', 'x', '{', 'utf8', 't', 0, 2, '2026-01-01 00:00:00'),"
                                    + " ('malformed_json', 'x', '{\"user_id\": \"u2\"', 'utf8', 't', 1, 3, now())",
                            sync);
            String u1 = "SELECT count() FROM ops.engagement_events_local WHERE user_id = 'u1'";
            assertTrue(first.count(u1) > 0 && second.count(u1) > 0, "u1's events are on both shards");

            // Retention, cutoff June 1: May goes from both shards (12 rows), June stays; the old dead letter goes.
            var retention = ApplyRetention.apply(
                    first.http(), db, java.time.LocalDate.of(2026, 6, 1), false, ClickHouseTestCluster.NAME);
            assertEquals("12 rows in partitions 202605", retention.get("engagement_events"));
            assertEquals("1 rows received before the cutoff", retention.get("dead_letters"));
            for (ClickHouseTestServer node : List.of(first, second)) {
                assertEquals(
                        0,
                        node.count(
                                "SELECT count() FROM ops.engagement_events_local WHERE toYYYYMM(event_time) = 202605"));
            }
            assertEquals(36, first.count("SELECT count() FROM ops.engagement_events"));
            assertEquals(2, first.count("SELECT count() FROM ops.dead_letters"));

            // Erasure of u1: its 12 June events, its session and its dead letter, from every shard;
            // u2's and the anonymous rows stay.
            var erased = EraseUser.erase(first.http(), db, "u1", false, ClickHouseTestCluster.NAME);
            assertEquals(
                    List.of(12L, 0L),
                    java.util.Arrays.stream(erased.get("engagement_events"))
                            .boxed()
                            .toList());
            assertEquals(
                    List.of(1L, 0L),
                    java.util.Arrays.stream(erased.get("session_metrics"))
                            .boxed()
                            .toList());
            assertEquals(
                    List.of(1L, 0L),
                    java.util.Arrays.stream(erased.get("dead_letters")).boxed().toList());
            for (ClickHouseTestServer node : List.of(first, second)) {
                assertEquals(0, node.count(u1));
                assertEquals(0, node.count("SELECT count() FROM ops.session_metrics_local WHERE user_id = 'u1'"));
            }
            assertEquals(
                    List.of("u2\t12", "\\N\t12"),
                    first.rows("SELECT user_id, count() FROM ops.engagement_events"
                            + " GROUP BY user_id ORDER BY user_id")); // NULL sorts last
            assertEquals(1, first.count("SELECT count() FROM ops.dead_letters"));
        }
    }

    /**
     * {@code OPTIMIZE TABLE ... FINAL} on a replicated table. 18.x answers "Unknown log entry type: 0"
     * when it finds nothing to merge (ClickHouse issue #3611, fixed in 19.x; seen here in a CI run
     * of the sharded test): that shard is merged already. The scenario's physical row count after
     * the merge still fails if a copy was left.
     */
    private static void optimizeFinal(ClickHouseTestServer node, String table) throws Exception {
        try {
            node.http().execute("OPTIMIZE TABLE " + table + " FINAL");
        } catch (java.io.IOException e) {
            if (!String.valueOf(e.getMessage()).contains("Unknown log entry type: 0")) {
                throw e;
            }
        }
    }

    /** Rows of every local table of the schema on one server. */
    private static long allRows(ClickHouseTestServer node) throws Exception {
        long rows = 0;
        for (String table : TABLES) {
            rows += node.count("SELECT count() FROM engagement." + table + "_local");
        }
        return rows;
    }

    private static long count(ClickHouseTestServer first, ClickHouseTestServer second, String table) throws Exception {
        return first.count("SELECT count() FROM engagement." + table)
                + second.count("SELECT count() FROM engagement." + table);
    }
}
