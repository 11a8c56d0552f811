package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.testing.ChdbTestServer;
import io.engagement.pipeline.testing.ClickHouseEndpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The analyst queries on the current ClickHouse engine (chDB 26.7, ClickHouse 26.7.2.1) behind the
 * test HTTP front: the schema, every migration and every query file are parsed and run by a current
 * release. On this version the query tool binds values as server-side query parameters
 * ({@code {name:Type}}), the path 18.16 cannot take. An engine-level check, not a server check.
 */
class AnalystQueriesOnCurrentEngineITCase extends AnalystQueriesContract {

    @Override
    ClickHouseEndpoint startWithSchema() throws Exception {
        // The fixture's events are from March to May 2026: a 90-day TTL would let a merge remove them;
        // ten years keeps them.
        return ChdbTestServer.startWithSchema(3650);
    }

    @Test
    void theEngineIsACurrentReleaseAndTheQueryToolUsesItsQueryParameters() throws Exception {
        int[] version = clickhouse.http().serverVersion();
        assertTrue(version[0] >= 24, "a current ClickHouse, got " + version[0] + "." + version[1]);
        assertTrue(ServerFeatures.of(version).queryParameters());
    }

    @Test
    void everyMigrationIsRecordedAndApplyingAgainDoesNothing() throws Exception {
        long files;
        try (var listing = java.nio.file.Files.list(Path.of("sql/ddl"))) {
            files = listing.filter(f -> f.toString().endsWith(".sql")).count();
        }
        assertEquals(files, clickhouse.count("SELECT count() FROM engagement.schema_migrations"));
        assertEquals(0, ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl"), "engagement", null, 3650));
    }
}
