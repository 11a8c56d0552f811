package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.testing.ClickHouseTestServer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retention on the real 18.16 server, which has no TTL: whole old months dropped, old dead letters deleted. */
class ApplyRetentionITCase {

    @Test
    void removesWhatIsOlderThanThePeriodAndKeepsTheRest() throws Exception {
        try (ClickHouseTestServer ch = ClickHouseTestServer.startWithSchema()) {
            String events =
                    "INSERT INTO engagement.engagement_events (event_id, event_type, content_id, creator_id, session_id,"
                            + " event_time, event_time_ms) VALUES ";
            ch.http()
                    .execute(
                            events
                                    + "('a', 'like', 'c', 'k', 's', '2025-01-15 10:00:00', 0), ('b', 'like', 'c', 'k', 's', '2026-05-31 23:59:59', 0),"
                                    + " ('c', 'like', 'c', 'k', 's', '2026-06-01 00:00:00', 0), ('d', 'like', 'c', 'k', 's', '2026-06-20 00:00:00', 0)");
            ch.http()
                    .execute("INSERT INTO engagement.duplicate_events (event_id, event_type, content_id, event_time)"
                            + " VALUES ('a', 'like', 'c', '2026-04-01 00:00:00')");
            ch.http()
                    .execute(
                            "INSERT INTO engagement.dead_letters (reason, detail, payload_encoding, received_at) VALUES"
                                    + " ('malformed_json', 'old', 'none', '2026-05-31 23:59:59'), ('malformed_json', 'new', 'none', '2026-06-01 00:00:00')");
            LocalDate cutoff = LocalDate.parse("2026-06-01"); // --days N on 2026-06-01 + N

            Map<String, String> dry = ApplyRetention.apply(ch.http(), "engagement", cutoff, true);
            assertEquals("2 rows in partitions 202501, 202605", dry.get("engagement_events"));
            assertEquals(
                    List.of("4"),
                    ch.rows("SELECT count() FROM engagement.engagement_events"),
                    "a dry run removes nothing");

            Map<String, String> report = ApplyRetention.apply(ch.http(), "engagement", cutoff, false);
            // May ended before the cutoff: dropped whole; June is kept whole (a row lives at most a month longer).
            assertEquals(
                    Map.of(
                            "engagement_events",
                            "2 rows in partitions 202501, 202605",
                            "late_events",
                            "nothing to remove",
                            "duplicate_events",
                            "1 rows in partitions 202604",
                            "dead_letters",
                            "1 rows received before the cutoff"),
                    report);
            assertEquals(
                    List.of("c", "d"), ch.rows("SELECT event_id FROM engagement.engagement_events ORDER BY event_id"));
            assertEquals(List.of("0"), ch.rows("SELECT count() FROM engagement.duplicate_events"));
            assertEquals(List.of("new"), ch.rows("SELECT detail FROM engagement.dead_letters"));
            assertEquals(
                    Map.of(
                            "engagement_events",
                            "nothing to remove",
                            "late_events",
                            "nothing to remove",
                            "duplicate_events",
                            "nothing to remove",
                            "dead_letters",
                            "nothing to remove"),
                    ApplyRetention.apply(ch.http(), "engagement", cutoff, false));
        }
    }
}
