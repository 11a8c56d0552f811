package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.settings.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void onlyTheDatabaseQualifierIsRewritten() {
        String sql = "CREATE DATABASE IF NOT EXISTS engagement;\n"
                + "CREATE MATERIALIZED VIEW IF NOT EXISTS engagement.mv TO engagement.content_viewers_hourly AS\n"
                + "SELECT engagement_rate, 'engagement.not_a_table' AS s, io.engagement.x FROM engagement.engagement_events FINAL";
        assertEquals(
                "CREATE DATABASE IF NOT EXISTS tenant_b;\n"
                        + "CREATE MATERIALIZED VIEW IF NOT EXISTS tenant_b.mv TO tenant_b.content_viewers_hourly AS\n"
                        + "SELECT engagement_rate, 'engagement.not_a_table' AS s, io.engagement.x FROM tenant_b.engagement_events FINAL",
                Database.qualify(sql, "tenant_b"));
        assertEquals(sql, Database.qualify(sql, "engagement"));
    }

    @Test
    void aBadNameIsRefusedBySetting() {
        assertNull(Database.problem("engagement_eu"));
        assertThrows(IllegalArgumentException.class, () -> Database.qualify("SELECT 1", "x; DROP TABLE y"));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(new String[] {"--clickhouse.database", "eu-west"}, Map.of()));
        assertTrue(e.getMessage().contains("clickhouse.database must be a ClickHouse database name"), e.getMessage());
        assertEquals("engagement", JobConfig.defaults().clickhouseDatabase);
    }
}
