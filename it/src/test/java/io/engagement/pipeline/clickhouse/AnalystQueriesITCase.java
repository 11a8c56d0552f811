package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.engagement.pipeline.testing.ClickHouseEndpoint;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The analyst queries on the real ClickHouse server (Debian's clickhouse-server 18.16.1), plus what
 * only a real server checks: readonly and authentication are the server's, and the parts of the
 * query tool that need no server.
 */
class AnalystQueriesITCase extends AnalystQueriesContract {

    @Override
    ClickHouseEndpoint startWithSchema() throws Exception {
        return ClickHouseTestServer.startWithSchema();
    }

    @Test
    void queryToolIsReadOnly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path drop = dir.resolve("drop.sql");
        java.nio.file.Files.writeString(drop, "-- param t String: 'x'\nDROP TABLE engagement.content_velocity");
        Outcome o = query(drop.toString(), "--url", clickhouse.httpUrl());
        assertEquals(1, o.exitCode());
        assertEquals(1, o.err().lines().count(), "one line, no stack trace: " + o.err());
        org.junit.jupiter.api.Assertions.assertTrue(o.err().contains("readonly"), o.err());
        assertEquals(List.of("6"), clickhouse.rows("SELECT count() FROM engagement.content_velocity"));
    }

    @Test
    void queryToolSendsTheUserAndPasswordFromTheEnvironmentInAHeader() {
        Outcome o = query(
                Map.of("ENGAGEMENT_CLICKHOUSE_PASSWORD", "wrong-password"),
                "sql/queries/top_content_today.sql",
                "--url",
                clickhouse.httpUrl(),
                "--user",
                "default");
        assertEquals(1, o.exitCode());
        org.junit.jupiter.api.Assertions.assertTrue(
                o.err().contains("Authentication failed") || o.err().contains("password"), o.err());
        org.junit.jupiter.api.Assertions.assertFalse(o.err().contains("wrong-password"), o.err());
    }

    @Test
    void unknownParametersAreRejected() throws Exception {
        AnalystQuery q = AnalystQuery.load(Path.of("sql/queries/top_content_today.sql"));
        assertEquals(Map.of("day", "today()", "limit", "20"), q.defaults());
        assertThrows(IllegalArgumentException.class, () -> q.render(Map.of("dya", "today()")));
    }

    @Test
    void valuesBindAsServerParametersWhereTheServerHasThem() throws Exception {
        AnalystQuery q = AnalystQuery.load(Path.of("sql/queries/top_content_today.sql"));
        AnalystQuery.Bound withParameters = q.bind(Map.of("day", "2026-03-02", "limit", "5"), true);
        org.junit.jupiter.api.Assertions.assertTrue(
                withParameters.sql().contains("toDate(window_start) = {day:Date}"), withParameters.sql());
        org.junit.jupiter.api.Assertions.assertTrue(withParameters.sql().contains("LIMIT 5"), withParameters.sql());
        assertEquals(Map.of("param_day", "2026-03-02"), withParameters.queryParameters());
        AnalystQuery.Bound literal = q.bind(Map.of("day", "2026-03-02"), false);
        org.junit.jupiter.api.Assertions.assertTrue(
                literal.sql().contains("toDate(window_start) = toDate('2026-03-02')"), literal.sql());
        assertEquals(Map.of(), literal.queryParameters());
        assertEquals("'it\\'s a \\\\ test'", AnalystQuery.literal(AnalystQuery.Type.String, "it's a \\ test"));
        org.junit.jupiter.api.Assertions.assertFalse(
                ServerFeatures.of(new int[] {18, 16}).queryParameters());
        org.junit.jupiter.api.Assertions.assertTrue(
                ServerFeatures.of(new int[] {25, 8}).queryParameters());
    }

    @Test
    void everyQueryFileDeclaresATypeForEachParameter() throws Exception {
        try (var files = java.nio.file.Files.list(Path.of("sql/queries"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                AnalystQuery q = AnalystQuery.load(file); // throws on an untyped or unknown type
                java.util.Set<String> placeholders = new java.util.TreeSet<>();
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("\\{\\{(\\w+)}}").matcher(java.nio.file.Files.readString(file));
                while (m.find()) {
                    placeholders.add(m.group(1));
                }
                assertEquals(placeholders, new java.util.TreeSet<>(q.params().keySet()), file.toString());
            }
        }
    }
}
