package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engagement.pipeline.testing.ClickHouseTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema command on a real ClickHouse server: idempotent, and upgrades an older database. */
class ApplySchemaITCase {

    @Test
    void upgradesADatabaseMadeByAnOlderReleaseAndIsSafeToApplyAgain(@TempDir Path olderDdl) throws Exception {
        // An older release: the DDL files before the view-breakdown migration.
        migrationsBefore("080", olderDdl);
        try (ClickHouseTestServer clickhouse = ClickHouseTestServer.start()) {
            ApplySchema.apply(clickhouse.http(), olderDdl);
            String columns =
                    "SELECT count() FROM system.columns WHERE database = 'engagement' AND table = 'content_metrics'"
                            + " AND name LIKE 'views_%'";
            assertEquals(List.of("0"), clickhouse.rows(columns + " AND name = 'views_organic'"));
            clickhouse
                    .http()
                    .execute(
                            "INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id,"
                                    + " creator_id, version, views) VALUES ('day', '2026-03-02 00:00:00', '2026-03-03 00:00:00', 'old', 'k', 1, 5)");
            clickhouse
                    .http()
                    .execute("INSERT INTO engagement.engagement_events (event_id, event_type, content_id, creator_id,"
                            + " user_id, session_id, event_time, event_time_ms, source_topic, source_partition, source_offset)"
                            + " VALUES ('v1', 'view_start', 'old', 'k', 'u1', 's1', '2026-03-02 10:00:00', 0, 't', 0, 1),"
                            + " ('v2', 'view_start', 'old', 'k', 'u2', 's2', '2026-03-02 10:20:00', 0, 't', 0, 2),"
                            + " ('v3', 'view_start', 'old', 'k', 'u1', 's3', '2026-03-02 10:40:00', 0, 't', 0, 3)");

            ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl"));
            ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl")); // again: nothing to do, no error
            assertEquals(List.of("16"), clickhouse.rows(columns)); // the 16 breakdown columns
            assertEquals(
                    List.of("5\t0"), clickhouse.rows("SELECT views, views_organic FROM engagement.content_metrics"));
            // The creator-first copies (250) got the older rows once, though the schema was applied twice,
            // and get every later insert through their views.
            assertEquals(
                    List.of("old\t5"),
                    clickhouse.rows(
                            "SELECT content_id, views FROM engagement.content_metrics_by_creator WHERE creator_id = 'k'"));
            assertEquals(
                    List.of("2"),
                    clickhouse.rows(
                            "SELECT uniqMerge(viewers) FROM engagement.creator_viewers_hourly WHERE creator_id = 'k'"));
            clickhouse
                    .http()
                    .execute(
                            "INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id,"
                                    + " creator_id, version, views) VALUES ('day', '2026-03-02 00:00:00', '2026-03-03 00:00:00', 'old', 'k', 2, 7)");
            clickhouse
                    .http()
                    .execute(
                            "INSERT INTO engagement.engagement_events (event_id, event_type, content_id, creator_id,"
                                    + " user_id, session_id, event_time, event_time_ms, source_topic, source_partition, source_offset)"
                                    + " VALUES ('v4', 'view_start', 'old', 'k', 'u3', 's4', '2026-03-02 11:00:00', 0, 't', 0, 4)");
            assertEquals(
                    List.of("7"),
                    clickhouse.rows(
                            "SELECT views FROM engagement.content_metrics_by_creator FINAL WHERE creator_id = 'k'"));
            assertEquals(
                    List.of("3"),
                    clickhouse.rows(
                            "SELECT uniqMerge(viewers) FROM engagement.creator_viewers_hourly WHERE creator_id = 'k'"));
            // 18.16 gets the files as written: no TTL (it has none; deploy/retention.sh does retention),
            // plain String where a current server gets LowCardinality (SchemaOnCurrentEngineITCase).
            assertEquals(
                    List.of("0"),
                    clickhouse.rows("SELECT count() FROM system.tables WHERE database = 'engagement'"
                            + " AND engine_full LIKE '%TTL%'"));
            assertEquals(
                    List.of("String"),
                    clickhouse.rows("SELECT type FROM system.columns WHERE database = 'engagement'"
                            + " AND table = 'engagement_events' AND name = 'event_type'"));
        }
    }

    @Test
    void theRetentionRowsOfAnOlderReleaseReachTheCreatorCopyWithTheCataloguesOwner(@TempDir Path olderDdl)
            throws Exception {
        // The release before 260: retention rows without an owner.
        migrationsBefore("260", olderDdl);
        try (ClickHouseTestServer clickhouse = ClickHouseTestServer.start()) {
            ApplySchema.apply(clickhouse.http(), olderDdl);
            String retention = "INSERT INTO engagement.content_retention (grain, window_start, window_end, content_id,"
                    + " version, provisional, exits, intro_plays, intro_held) VALUES ";
            clickhouse
                    .http()
                    .execute(retention
                            + "('hour', '2026-03-02 10:00:00', '2026-03-02 11:00:00', 'a', 1, 0, [2, 3], 0, 0),"
                            + " ('hour', '2026-03-02 11:00:00', '2026-03-02 12:00:00', 'a', 1, 0, [4], 0, 0),"
                            + " ('hour', '2026-03-02 10:00:00', '2026-03-02 11:00:00', 'gone', 1, 0, [1], 0, 0),"
                            + " ('hour', '2026-03-02 10:00:00', '2026-03-02 11:00:00', 'unknown', 1, 0, [1], 0, 0)");
            // 'a' belongs to k (its older entry said j); 'gone' was deleted; 'unknown' never catalogued.
            clickhouse
                    .http()
                    .execute("INSERT INTO engagement.content_catalog (content_id, creator_id, deleted, version) VALUES"
                            + " ('a', 'j', 0, 1), ('a', 'k', 0, 2), ('gone', 'k', 0, 3), ('gone', '', 1, 4)");

            ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl"));
            ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl")); // again: backfilled once

            assertEquals(
                    List.of("k\ta\t10:00\t5", "k\ta\t11:00\t4"),
                    clickhouse.rows(
                            "SELECT creator_id, content_id, formatDateTime(window_start, '%H:%M'), arraySum(exits)"
                                    + " FROM engagement.content_retention_by_creator ORDER BY window_start"));
            // A row the job writes from now on names its owner and reaches the copy through the view.
            clickhouse
                    .http()
                    .execute("INSERT INTO engagement.content_retention (grain, window_start, window_end, content_id,"
                            + " creator_id, version, provisional, exits, intro_plays, intro_held) VALUES"
                            + " ('hour', '2026-03-02 10:00:00', '2026-03-02 11:00:00', 'a', 'k', 2, 0, [2, 4], 0, 0)");
            assertEquals(
                    List.of("a\t10:00\t6", "a\t11:00\t4"),
                    clickhouse.rows("SELECT content_id, formatDateTime(window_start, '%H:%M'), arraySum(exits)"
                            + " FROM engagement.content_retention_by_creator FINAL WHERE creator_id = 'k'"
                            + " ORDER BY window_start"));
        }
    }

    /** Copies the migrations whose names sort before {@code first} into {@code dir}: an older release's schema. */
    private static void migrationsBefore(String first, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("sql/ddl"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().compareTo(first) < 0)
                    .toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void otherDdlErrorsStillFail(@TempDir Path ddl) throws Exception {
        Files.writeString(
                ddl.resolve("001.sql"),
                "CREATE DATABASE IF NOT EXISTS engagement;\n"
                        + "ALTER TABLE engagement.no_such_table ADD COLUMN x UInt8");
        try (ClickHouseTestServer clickhouse = ClickHouseTestServer.start()) {
            assertThrows(IOException.class, () -> ApplySchema.apply(clickhouse.http(), ddl));
        }
    }

    @Test
    void appliedMigrationsAreRecordedWithChecksumsAndAnEditedOneIsRefused(@TempDir Path ddl) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("sql/ddl"))) {
            for (Path f : files.toList()) {
                Files.copy(f, ddl.resolve(f.getFileName()));
            }
        }
        long fileCount;
        try (Stream<Path> files = Files.list(ddl)) {
            fileCount = files.filter(f -> f.toString().endsWith(".sql")).count();
        }
        try (ClickHouseTestServer clickhouse = ClickHouseTestServer.start()) {
            int first = ApplySchema.apply(clickhouse.http(), ddl);
            assertEquals(
                    List.of(Long.toString(fileCount)),
                    clickhouse.rows("SELECT count() FROM engagement.schema_migrations"));
            // The checksum of a file is the SHA-256 of its text, as sha256sum computes it.
            String expected = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(ddl.resolve("020_content_metrics.sql"))));
            assertEquals(
                    List.of(expected),
                    clickhouse.rows(
                            "SELECT checksum FROM engagement.schema_migrations WHERE file = '020_content_metrics.sql'"));
            assertEquals(
                    first,
                    Long.parseLong(clickhouse
                            .rows("SELECT sum(statements) FROM engagement.schema_migrations")
                            .get(0)));

            assertEquals(0, ApplySchema.apply(clickhouse.http(), ddl), "nothing left to apply");

            // A new migration is applied alone.
            Files.writeString(
                    ddl.resolve("900_extra.sql"), "ALTER TABLE engagement.dead_letters ADD COLUMN note String");
            assertEquals(1, ApplySchema.apply(clickhouse.http(), ddl));
            assertEquals(
                    List.of("1"),
                    clickhouse.rows("SELECT count() FROM system.columns WHERE database = 'engagement'"
                            + " AND table = 'dead_letters' AND name = 'note'"));

            // An applied migration edited afterwards: refused, naming the file; nothing after it runs.
            Files.writeString(
                    ddl.resolve("900_extra.sql"), "ALTER TABLE engagement.dead_letters ADD COLUMN note2 String");
            Files.writeString(
                    ddl.resolve("950_later.sql"), "ALTER TABLE engagement.dead_letters ADD COLUMN later String");
            IOException e = assertThrows(IOException.class, () -> ApplySchema.apply(clickhouse.http(), ddl));
            org.junit.jupiter.api.Assertions.assertTrue(
                    e.getMessage().startsWith("migration 900_extra.sql was changed after it was applied to engagement"),
                    e.getMessage());
            assertEquals(
                    List.of("0"),
                    clickhouse.rows("SELECT count() FROM system.columns WHERE database = 'engagement'"
                            + " AND table = 'dead_letters' AND name IN ('note2', 'later')"));
        }
    }
}
