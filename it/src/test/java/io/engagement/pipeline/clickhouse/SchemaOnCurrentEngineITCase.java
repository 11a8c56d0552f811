package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.sink.ClickHouseHttpSink;
import io.engagement.pipeline.sink.ClickHouseOutputs;
import io.engagement.pipeline.testing.ChdbTestServer;
import io.engagement.pipeline.testing.Events;
import io.engagement.pipeline.testing.TestWriterContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the schema becomes on a current ClickHouse (chDB 26.7, engine 26.7.2.1): the same sql/ddl
 * files, with table TTL for retention and LowCardinality text columns, decided from the version at
 * apply time ({@link ServerFeatures}); rows the job's sink writes land in them; expired rows go.
 */
class SchemaOnCurrentEngineITCase {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static ChdbTestServer chdb;

    @BeforeAll
    static void start() throws Exception {
        chdb = ChdbTestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chdb != null) {
            chdb.close();
        }
    }

    private static String daysAgo(int days) {
        return LocalDateTime.now(ZoneOffset.UTC).minusDays(days).format(SECONDS);
    }

    private static String engine(String database, String table) throws Exception {
        return chdb.rows("SELECT engine_full FROM system.tables WHERE database = '" + database + "' AND name = '"
                        + table + "'")
                .get(0);
    }

    @Test
    void lowCardinalityColumnsOnNewTables() throws Exception {
        ApplySchema.apply(chdb.http(), Path.of("sql/ddl"), "lc");
        assertEquals(
                List.of(
                        "country\tLowCardinality(Nullable(String))",
                        "event_id\tString",
                        "event_type\tLowCardinality(String)",
                        "user_id\tNullable(String)"),
                chdb.rows("SELECT name, type FROM system.columns WHERE database = 'lc' AND table = 'engagement_events'"
                        + " AND name IN ('event_id', 'event_type', 'user_id', 'country') ORDER BY name"));
        assertEquals(
                List.of("grain\tLowCardinality(String)"),
                chdb.rows("SELECT name, type FROM system.columns"
                        + " WHERE database = 'lc' AND table = 'content_metrics' AND name = 'grain'"));

        // The job's sink writes RowBinary (after comparing the columns with DESCRIBE when it starts);
        // a LowCardinality column takes it as a String column does.
        long now = Instant.now().toEpochMilli();
        EngagementEvent event = Events.event("e-1", EventType.VIEW_START, "c-1", "u-1", now);
        event.country = "DE";
        event.device = null;
        event.sourceTopic = "engagement-events";
        SinkWriter<EngagementEvent> writer = new ClickHouseHttpSink<>(
                        ClickHouseOutputs.EVENTS.inDatabase("lc"),
                        chdb.httpUrl(),
                        "default",
                        "",
                        new ClickHouseHttpSink.Batching(1000, 1 << 20, Duration.ofHours(1), 0),
                        ClickHouseHttpSink.NEVER_ON_WATERMARK)
                .createWriter(new TestWriterContext());
        writer.write(event, null);
        writer.flush(true); // the end of input: sends and waits
        writer.close();
        assertEquals(
                List.of("e-1\tview_start\tu-1\tDE"),
                chdb.rows("SELECT event_id, event_type, user_id, country FROM lc.engagement_events"));
    }

    @Test
    void everyTableTheJobWritesHasTheColumnsItsWriterEncodes() throws Exception {
        assertEquals(List.of(), chdb.jobTableMismatches("cols"));
    }

    @Test
    void eventLevelTablesExpireAfterTheRetentionPeriodByTtl() throws Exception {
        ApplySchema.apply(chdb.http(), Path.of("sql/ddl"), "ttl");
        for (ServerFeatures.Retention retention : ServerFeatures.RETENTION) {
            assertTrue(
                    engine("ttl", retention.table()).contains("TTL " + retention.timeColumn() + " + toIntervalDay(90)"),
                    engine("ttl", retention.table()));
        }
        assertEquals(
                0, ApplySchema.apply(chdb.http(), Path.of("sql/ddl"), "ttl"), "the TTL is set once, not on every run");

        String columns = "event_id, event_type, content_id, creator_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset";
        // 200 days old: past 90 days; 60 days old: inside 90 days, outside 30; 1 day old: inside both.
        chdb.http()
                .execute("INSERT INTO ttl.engagement_events (" + columns + ") VALUES "
                        + "('old', 'like', 'c', 'k', 's', '" + daysAgo(200) + "', 0, 't', 0, 1),"
                        + "('sixty', 'like', 'c', 'k', 's', '" + daysAgo(60) + "', 0, 't', 0, 2),"
                        + "('new', 'like', 'c', 'k', 's', '" + daysAgo(1) + "', 0, 't', 0, 3)");
        chdb.http()
                .execute(
                        "INSERT INTO ttl.dead_letters (reason, detail, payload_encoding, source_topic, source_partition,"
                                + " source_offset, received_at) VALUES ('malformed_json', 'x', 'utf8', 't', 0, 1, '"
                                + daysAgo(120) + "'),"
                                + " ('malformed_json', 'x', 'utf8', 't', 0, 2, '" + daysAgo(2) + "')");
        chdb.http().execute("OPTIMIZE TABLE ttl.engagement_events FINAL");
        chdb.http().execute("OPTIMIZE TABLE ttl.dead_letters FINAL");
        assertEquals(
                List.of("new", "sixty"), chdb.rows("SELECT event_id FROM ttl.engagement_events ORDER BY event_id"));
        assertEquals(List.of("2"), chdb.rows("SELECT source_offset FROM ttl.dead_letters"));

        // A shorter period (ENGAGEMENT_CLICKHOUSE_RETENTION_DAYS=30): the four TTLs change, and the 60-day-old row
        // goes.
        assertEquals(4, ApplySchema.apply(chdb.http(), Path.of("sql/ddl"), "ttl", null, 30));
        assertTrue(
                engine("ttl", "engagement_events").contains("TTL event_time + toIntervalDay(30)"),
                engine("ttl", "engagement_events"));
        assertEquals(0, ApplySchema.apply(chdb.http(), Path.of("sql/ddl"), "ttl", null, 30));
        chdb.http().awaitMutations("ttl", "engagement_events");
        chdb.http().execute("OPTIMIZE TABLE ttl.engagement_events FINAL");
        assertEquals(List.of("new"), chdb.rows("SELECT event_id FROM ttl.engagement_events"));
    }

    @Test
    void retentionCommandStillWorksWhereTtlDoesTheWork() throws Exception {
        // deploy/retention.sh stays usable on a current server (a partition of whole expired months).
        ApplySchema.apply(chdb.http(), Path.of("sql/ddl"), "cmd", null, 3650);
        String columns = "event_id, event_type, content_id, creator_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset";
        chdb.http()
                .execute("INSERT INTO cmd.engagement_events (" + columns + ") VALUES "
                        + "('may', 'like', 'c', 'k', 's', '2026-05-10 10:00:00', 0, 't', 0, 1),"
                        + "('june', 'like', 'c', 'k', 's', '2026-06-10 10:00:00', 0, 't', 0, 2)");
        var report = ApplyRetention.apply(chdb.http(), "cmd", java.time.LocalDate.of(2026, 6, 1), false);
        assertEquals("1 rows in partitions 202605", report.get("engagement_events"));
        assertEquals(List.of("june"), chdb.rows("SELECT event_id FROM cmd.engagement_events"));
    }
}
