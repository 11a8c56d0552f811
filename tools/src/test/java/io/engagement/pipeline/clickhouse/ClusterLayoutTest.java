package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The clustered form of the DDL, as text; ClickHouseClusterITCase runs it on a real cluster. */
class ClusterLayoutTest {

    @Test
    void aReplacingTableBecomesAReplicatedLocalTableAndADistributedTableUnderItsName() {
        List<String> out = ClusterLayout.onCluster("""
                CREATE TABLE IF NOT EXISTS shop.orders
                (
                    content_id String,
                    at DateTime,
                    version UInt64
                )
                ENGINE = ReplacingMergeTree(version)
                PARTITION BY toYYYYMM(at)
                ORDER BY (at, content_id)""", "c1");
        assertEquals(
                List.of(
                        """
                CREATE TABLE IF NOT EXISTS shop.orders_local ON CLUSTER c1
                (
                    content_id String,
                    at DateTime,
                    version UInt64
                )
                ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/shop/orders_local', '{replica}', version)
                PARTITION BY toYYYYMM(at)
                ORDER BY (at, content_id)""",
                        "CREATE TABLE IF NOT EXISTS shop.orders ON CLUSTER c1 AS shop.orders_local\n"
                                + "ENGINE = Distributed(c1, shop, orders_local, cityHash64(content_id))"),
                out);
    }

    @Test
    void viewsAlterationsAndTheDatabaseHaveTheirClusterForms() {
        assertEquals(
                List.of("CREATE DATABASE IF NOT EXISTS shop ON CLUSTER c1"),
                ClusterLayout.onCluster("CREATE DATABASE IF NOT EXISTS shop", "c1"));
        ClusterLayout layout = new ClusterLayout(
                "c1",
                List.of(
                        "CREATE TABLE IF NOT EXISTS shop.orders (session_id String) ENGINE = MergeTree() ORDER BY session_id",
                        "ALTER TABLE shop.orders ADD COLUMN note String"));
        assertEquals(
                List.of(
                        "ALTER TABLE shop.orders_local ON CLUSTER c1 ADD COLUMN note String",
                        "DROP TABLE IF EXISTS shop.orders ON CLUSTER c1",
                        "CREATE TABLE IF NOT EXISTS shop.orders ON CLUSTER c1 AS shop.orders_local\n"
                                + "ENGINE = Distributed(c1, shop, orders_local, cityHash64(session_id))"),
                layout.onCluster("ALTER TABLE shop.orders ADD COLUMN note String"));
        assertThrows(
                IllegalArgumentException.class,
                () -> layout.onCluster("ALTER TABLE shop.other ADD COLUMN note String"));
        assertEquals(
                List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS shop.v ON CLUSTER c1 TO shop.totals_local AS"
                        + " SELECT content_id, count() AS n FROM shop.orders_local GROUP BY content_id"),
                ClusterLayout.onCluster(
                        "CREATE MATERIALIZED VIEW IF NOT EXISTS shop.v TO shop.totals AS"
                                + " SELECT content_id, count() AS n FROM shop.orders GROUP BY content_id",
                        "c1"));
        // A backfill runs once, through the Distributed tables, which shard its rows like any insert.
        assertEquals(
                List.of("INSERT INTO shop.by_customer SELECT * FROM shop.orders"),
                ClusterLayout.onCluster("INSERT INTO shop.by_customer SELECT * FROM shop.orders", "c1"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClusterLayout.onCluster("INSERT INTO shop.orders VALUES ('x')", "c1"));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.onCluster("DROP TABLE shop.orders", "c1"));
    }

    @Test
    void shardingKeepsEveryReplacingKeyOnOneShard() {
        assertEquals("cityHash64(session_id)", ClusterLayout.shardingKey("s", "ORDER BY (session_id, session_start)"));
        assertEquals(
                "cityHash64(creator_id)", ClusterLayout.shardingKey("c", "ORDER BY (grain, creator_id, window_start)"));
        assertEquals(
                "cityHash64(source_topic, source_partition, source_offset)",
                ClusterLayout.shardingKey("d", "ORDER BY (source_topic, source_partition, source_offset)"));
        assertEquals("cityHash64(file)", ClusterLayout.shardingKey("m", "ORDER BY file"));
    }

    /** Every statement of the project's DDL has a cluster form, and every table's shard key is in its ORDER BY. */
    @Test
    void everyMigrationOfTheProjectHasAClusterForm() throws Exception {
        List<String> schema = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("sql/ddl"))) {
            for (Path file : files.sorted().toList()) {
                schema.addAll(ApplySchema.statements(Files.readString(file)));
            }
        }
        ClusterLayout layout = new ClusterLayout("c1", schema);
        List<String> clustered = new ArrayList<>();
        int tables = 0;
        for (String statement : schema) {
            if (statement.startsWith("CREATE TABLE")) {
                tables++;
            }
            List<String> forCluster = layout.onCluster(statement);
            // An ALTER re-creates its Distributed table: count each table's first one.
            clustered.addAll(statement.startsWith("ALTER") ? forCluster.subList(0, 1) : forCluster);
        }
        Pattern distributed =
                Pattern.compile("CREATE TABLE IF NOT EXISTS engagement\\.(\\w+) ON CLUSTER c1 AS engagement\\.(\\w+)\\n"
                        + "ENGINE = Distributed\\(c1, engagement, (\\w+), cityHash64\\(([^)]*)\\)\\)");
        int pairs = 0;
        for (String s : clustered) {
            // A backfill runs once through the Distributed tables, not on every server.
            assertTrue(s.contains(" ON CLUSTER c1") || s.startsWith("INSERT INTO "), s);
            Matcher m = distributed.matcher(s);
            if (m.matches()) {
                pairs++;
                assertEquals(m.group(1) + "_local", m.group(2));
                assertEquals(m.group(2), m.group(3));
            }
        }
        assertEquals(tables, pairs, "one Distributed table per table of the single-node schema");
        assertTrue(tables >= 10);
    }
}
