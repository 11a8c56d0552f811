package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which release gets which schema feature, and how a DDL statement is adapted to it. */
class ServerFeaturesTest {

    private static final String CREATE = """
            CREATE TABLE IF NOT EXISTS engagement.engagement_events
            (
                event_id            String,
                event_type          String,
                user_id             Nullable(String),
                country             Nullable(String),
                source_partition    Int32
            )
            ENGINE = ReplacingMergeTree()
            ORDER BY (event_type, event_id)""";

    @Test
    void versionThresholds() {
        assertFalse(ServerFeatures.of(new int[] {18, 16}).tableTtl());
        assertFalse(ServerFeatures.of(new int[] {19, 5}).tableTtl());
        assertTrue(ServerFeatures.of(new int[] {19, 6}).tableTtl());
        assertFalse(ServerFeatures.of(new int[] {19, 17}).lowCardinality());
        assertTrue(ServerFeatures.of(new int[] {20, 1}).lowCardinality());
        assertTrue(ServerFeatures.of(new int[] {26, 7}).queryParameters());
        assertFalse(ServerFeatures.of(new int[] {18, 16}).queryParameters());
    }

    @Test
    void onACurrentReleaseLowCardinalityTextColumnsAreDictionaryEncoded() {
        String adapted = ServerFeatures.of(new int[] {26, 7}).adapt(CREATE);
        assertEquals(
                CREATE.replace("event_type          String,", "event_type          LowCardinality(String),")
                        .replace(
                                "country             Nullable(String),",
                                "country             LowCardinality(Nullable(String)),"),
                adapted);
        assertTrue(adapted.contains("user_id             Nullable(String),"), "ids keep their type");
        assertTrue(adapted.contains("ORDER BY (event_type, event_id)"));
        String alter = "ALTER TABLE engagement.dead_letters\n    ADD COLUMN reason String,\n    ADD COLUMN note String";
        assertEquals(
                "ALTER TABLE engagement.dead_letters\n    ADD COLUMN reason LowCardinality(String),\n    ADD COLUMN note String",
                ServerFeatures.of(new int[] {26, 7}).adapt(alter));
        String view =
                "CREATE MATERIALIZED VIEW IF NOT EXISTS engagement.v TO engagement.t AS SELECT\n    country String FROM x";
        assertEquals(view, ServerFeatures.of(new int[] {26, 7}).adapt(view));
    }

    @Test
    void on18_16EveryStatementRunsAsWritten() {
        assertEquals(CREATE, ServerFeatures.of(new int[] {18, 16}).adapt(CREATE));
    }

    @Test
    void theRetentionSettingIsValidated() {
        assertEquals(90, retentionDays(java.util.Map.of()));
        assertEquals(30, retentionDays(java.util.Map.of("ENGAGEMENT_CLICKHOUSE_RETENTION_DAYS", "30")));
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.engagement.pipeline.settings.ConfigException.class,
                () -> retentionDays(java.util.Map.of("ENGAGEMENT_CLICKHOUSE_RETENTION_DAYS", "0")));
        assertTrue(e.getMessage().contains("clickhouse.retention-days must be from 1 to 3650"), e.getMessage());
        // 100 years would pass DateTime's end (2106) and wrap to a past time: refused, not a silent purge.
        org.junit.jupiter.api.Assertions.assertThrows(
                io.engagement.pipeline.settings.ConfigException.class,
                () -> retentionDays(java.util.Map.of("ENGAGEMENT_CLICKHOUSE_RETENTION_DAYS", "36500")));
        // The variable of the earlier name fails, naming the new one, instead of being ignored.
        RuntimeException renamed = org.junit.jupiter.api.Assertions.assertThrows(
                io.engagement.pipeline.settings.ConfigException.class,
                () -> retentionDays(java.util.Map.of("CLICKHOUSE_RETENTION_DAYS", "30")));
        assertTrue(
                renamed.getMessage()
                        .contains("CLICKHOUSE_RETENTION_DAYS was renamed ENGAGEMENT_CLICKHOUSE_RETENTION_DAYS"),
                renamed.getMessage());
    }

    private static int retentionDays(java.util.Map<String, String> env) {
        return ClickHouseSettings.forTool(java.util.Map.of(), env).retentionDays();
    }
}
