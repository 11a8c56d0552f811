package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.testing.ClickHouseTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Erasure of one user on a real ClickHouse server: every table holding user ids, and nothing else. */
class EraseUserITCase {

    private static void fixture(ClickHouseTestServer ch) throws Exception {
        ch.http()
                .execute(
                        "INSERT INTO engagement.engagement_events (event_id, event_type, content_id, creator_id, user_id,"
                                + " session_id, event_time, event_time_ms) VALUES ('e1', 'view_start', 'c', 'k', 'u1', 's1', 1772438400, 1772438400000),"
                                + " ('e2', 'like', 'c', 'k', 'u1', 's1', 1772438401, 1772438401000),"
                                + " ('e3', 'view_start', 'c', 'k', 'u10', 's2', 1772438402, 1772438402000),"
                                + " ('e4', 'view_start', 'c', 'k', NULL, 's3', 1772438403, 1772438403000)");
        ch.http()
                .execute(
                        "INSERT INTO engagement.late_events (event_id, event_type, content_id, creator_id, user_id, session_id,"
                                + " event_time, event_time_ms, watermark_ms, reason) VALUES ('e5', 'like', 'c', 'k', 'u1', 's1', 1772438400, 1772438400000, 0, 'x')");
        ch.http()
                .execute(
                        "INSERT INTO engagement.session_metrics (session_id, user_id, session_start, session_end, version) VALUES"
                                + " ('s1', 'u1', 1772438400, 1772438500, 1), ('s2', 'u10', 1772438400, 1772438500, 1)");
        ch.http()
                .execute("INSERT INTO engagement.dead_letters (reason, detail, payload, payload_encoding) VALUES"
                        + " ('unknown_event_type', 'd', '{\"event_id\":\"e6\",\"user_id\": \"u1\",\"event_type\":\"dance\"}', 'utf8'),"
                        + " ('unknown_event_type', 'd', '{\"event_id\":\"e7\",\"user_id\":\"u10\",\"event_type\":\"dance\"}', 'utf8'),"
                        + " ('malformed_json', 'd', '{\"user_id\":\"u1\"', 'utf8')");
    }

    private static String run(ClickHouseTestServer ch, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = ch.httpUrl();
        int code = EraseUser.run(all, Map.of(), new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    @Test
    void removesEveryRowOfTheUserAndReportsThem() throws Exception {
        try (ClickHouseTestServer ch = ClickHouseTestServer.startWithSchema()) {
            fixture(ch);
            // Hand count for u1: 2 raw events, 1 late event, 1 session, 2 dead letters (one of them malformed JSON).
            String dry = run(ch, "u1", "--dry-run");
            assertTrue(
                    dry.contains("engagement_events           2 rows")
                            && dry.contains("dead_letters                2 rows")
                            && dry.contains("total                       6 rows"),
                    dry);
            assertEquals(
                    List.of("4"),
                    ch.rows("SELECT count() FROM engagement.engagement_events"),
                    "a dry run deletes nothing");

            String report = run(ch, "u1");
            assertTrue(report.contains("engagement_events           2 rows removed (0 left)"), report);
            assertTrue(report.contains("late_events                 1 rows removed (0 left)"), report);
            assertTrue(report.contains("session_metrics             1 rows removed (0 left)"), report);
            assertTrue(report.contains("dead_letters                2 rows removed (0 left)"), report);

            // Everyone else is untouched, including the user whose id starts with the same characters.
            assertEquals(
                    List.of("e3", "e4"),
                    ch.rows("SELECT event_id FROM engagement.engagement_events ORDER BY event_id"));
            assertEquals(List.of("0"), ch.rows("SELECT count() FROM engagement.late_events"));
            assertEquals(List.of("s2"), ch.rows("SELECT session_id FROM engagement.session_metrics"));
            assertEquals(
                    List.of("1"), ch.rows("SELECT count() FROM engagement.dead_letters WHERE payload LIKE '%u10%'"));
            assertEquals(List.of("1"), ch.rows("SELECT count() FROM engagement.dead_letters"));

            String again = run(ch, "u1");
            assertTrue(again.contains("total                       0 rows"), again);
        }
    }

    @Test
    void idsAreMatchedLiterallyNotAsSqlOrPatterns() {
        assertEquals("ifNull(user_id, '') = 'a\\'b'", EraseUser.condition(EraseUser.TARGETS.get(0), "a'b"));
        assertEquals("u\\.1\\*", EraseUser.regexQuote("u.1*"));
        assertEquals("a\\\"b", EraseUser.jsonEscape("a\"b"));
    }

    @Test
    void anUnreachableServerIsOneLineNotAStackTrace() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = EraseUser.run(
                new String[] {"u1", "--url", "http://127.0.0.1:1"},
                Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true));
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("erase-user: cannot connect to ClickHouse"), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }
}
