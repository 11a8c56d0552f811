package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engagement.pipeline.testing.ClickHouseTestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The schema command on a real ClickHouse server: idempotent, and upgrades an older database. */
class ApplySchemaTest {

    @Test
    void upgradesADatabaseMadeByAnOlderReleaseAndIsSafeToApplyAgain(@TempDir Path olderDdl) throws Exception {
        // An older release: the DDL files before the view-breakdown migration.
        try (Stream<Path> files = Files.list(Path.of("sql/ddl"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().compareTo("080") < 0).toList()) {
                Files.copy(f, olderDdl.resolve(f.getFileName()));
            }
        }
        try (ClickHouseTestServer clickhouse = ClickHouseTestServer.start()) {
            ApplySchema.apply(clickhouse.http(), olderDdl);
            String columns = "SELECT count() FROM system.columns WHERE database = 'engagement' AND table = 'content_metrics'"
                    + " AND name LIKE 'views_%'";
            assertEquals(List.of("0"), clickhouse.rows(columns + " AND name = 'views_organic'"));
            clickhouse.http().execute("INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id,"
                    + " creator_id, version, views) VALUES ('day', '2026-03-02 00:00:00', '2026-03-03 00:00:00', 'old', 'k', 1, 5)");

            ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl"));
            ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl")); // again: nothing to do, no error
            assertEquals(List.of("16"), clickhouse.rows(columns)); // the 16 breakdown columns
            assertEquals(List.of("5\t0"), clickhouse.rows("SELECT views, views_organic FROM engagement.content_metrics"));
        }
    }

    @Test
    void otherDdlErrorsStillFail(@TempDir Path ddl) throws Exception {
        Files.writeString(ddl.resolve("001.sql"), "CREATE DATABASE IF NOT EXISTS engagement;\n"
                + "ALTER TABLE engagement.no_such_table ADD COLUMN x UInt8");
        try (ClickHouseTestServer clickhouse = ClickHouseTestServer.start()) {
            assertThrows(IOException.class, () -> ApplySchema.apply(clickhouse.http(), ddl));
        }
    }
}
