package io.engagement.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.aggregate.ContentCounter;
import io.engagement.pipeline.clickhouse.ApplySchema;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The column lists the sinks write (hand-kept in {@link ClickHouseOutputs}, partly derived from
 * {@link ContentCounter}) must be exactly the columns that applying sql/ddl in order produces: a
 * column the DDL has and the sink does not write reads 0 in every row, silently; one the sink writes
 * and the DDL lacks fails every insert. Checked without a server, by reading the DDL (CREATE TABLE
 * column blocks and ALTER TABLE ... ADD COLUMN), as PostHog's clickhouse/test/test_schema.py does.
 */
class ClickHouseSchemaTest {

    private static final Pattern CREATE =
            Pattern.compile("(?is)^CREATE TABLE (?:IF NOT EXISTS )?(\\S+)\\s*\\((.*)\\)\\s*ENGINE\\b.*");
    private static final Pattern ALTER = Pattern.compile("(?is)^ALTER TABLE (\\S+)\\s+(ADD COLUMN.*)");
    private static final Pattern AFTER = Pattern.compile("(?i)^(.*?) AFTER (\\S+)$");
    private static final Pattern ADD_COLUMN = Pattern.compile("(?i)^ADD COLUMN (?:IF NOT EXISTS )?(\\S+)\\s+(.*)");

    /** Table -> columns, in order, after every migration; columns the server fills itself are marked. */
    static Map<String, Map<String, Boolean>> ddlColumns() throws IOException {
        Map<String, Map<String, Boolean>> tables = new LinkedHashMap<>();
        ddlDefinitions().forEach((table, columns) -> {
            Map<String, Boolean> filled = new LinkedHashMap<>();
            columns.forEach((column, definition) -> filled.put(column, serverFilled(definition)));
            tables.put(table, filled);
        });
        return tables;
    }

    /** Table -> column -> its definition (type and clauses, whitespace collapsed), in order, after every migration. */
    static Map<String, Map<String, String>> ddlDefinitions() throws IOException {
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("sql/ddl"))) {
            files = list.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        for (Path file : files) {
            for (String statement : ApplySchema.statements(Files.readString(file, StandardCharsets.UTF_8))) {
                Matcher create = CREATE.matcher(statement);
                Matcher alter = ALTER.matcher(statement);
                if (create.matches()) {
                    Map<String, String> columns = new LinkedHashMap<>();
                    for (String definition : topLevelSplit(create.group(2))) {
                        String[] parts = definition.trim().split("\\s+", 2);
                        columns.put(parts[0], parts[1].trim().replaceAll("\\s+", " "));
                    }
                    tables.put(create.group(1), columns);
                } else if (alter.matches()) {
                    Map<String, String> columns = tables.get(alter.group(1));
                    assertTrue(columns != null, file + ": ALTER of a table no earlier file creates: " + alter.group(1));
                    for (String clause : topLevelSplit(alter.group(2))) {
                        Matcher add = ADD_COLUMN.matcher(clause.trim());
                        assertTrue(add.matches(), file + ": not an ADD COLUMN clause: " + clause.trim());
                        String definition = add.group(2).trim().replaceAll("\\s+", " ");
                        Matcher after = AFTER.matcher(definition);
                        if (after.matches()) {
                            // ADD COLUMN c T AFTER b: c goes right after b, as the server places it.
                            assertTrue(
                                    columns.containsKey(after.group(2)), file + ": AFTER an unknown column: " + clause);
                            Map<String, String> placed = new LinkedHashMap<>();
                            columns.forEach((name, type) -> {
                                placed.put(name, type);
                                if (name.equals(after.group(2))) {
                                    placed.put(add.group(1), after.group(1));
                                }
                            });
                            columns.clear();
                            columns.putAll(placed);
                        } else {
                            columns.put(add.group(1), definition);
                        }
                    }
                }
            }
        }
        return tables;
    }

    /**
     * The creator-first copies (sql/ddl/250) are filled by views that insert {@code SELECT *}: a
     * column the source gains and its copy lacks would fail every insert into the source, so the two
     * must have the same columns, in the same order, of the same types.
     */
    @Test
    void theCreatorFirstCopiesHaveExactlyTheColumnsOfTheirSources() throws IOException {
        Map<String, Map<String, String>> ddl = ddlDefinitions();
        for (String source : List.of(
                "engagement.content_metrics", "engagement.content_country_metrics", "engagement.content_retention")) {
            assertEquals(
                    new ArrayList<>(ddl.get(source).entrySet()),
                    new ArrayList<>(ddl.get(source + "_by_creator").entrySet()),
                    source + "_by_creator");
        }
    }

    /** DEFAULT / MATERIALIZED / ALIAS columns are filled by the server, not written by a sink. */
    private static boolean serverFilled(String typeAndRest) {
        String upper = " " + typeAndRest.toUpperCase(Locale.ROOT) + " ";
        return upper.contains(" DEFAULT ") || upper.contains(" MATERIALIZED ") || upper.contains(" ALIAS ");
    }

    /** Splits on commas outside parentheses: {@code AggregateFunction(uniq, String)} stays whole. */
    private static List<String> topLevelSplit(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts.stream().filter(p -> !p.isBlank()).toList();
    }

    /** Every ClickHouseTable constant of ClickHouseOutputs: the tables the job writes. */
    private static List<ClickHouseTable<?>> sinkTables() throws IllegalAccessException {
        List<ClickHouseTable<?>> tables = new ArrayList<>();
        for (Field field : ClickHouseOutputs.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ClickHouseTable.class) {
                tables.add((ClickHouseTable<?>) field.get(null));
            }
        }
        return tables;
    }

    @Test
    void everySinkWritesExactlyTheColumnsTheDdlCreates() throws Exception {
        Map<String, Map<String, Boolean>> ddl = ddlColumns();
        List<ClickHouseTable<?>> sinks = sinkTables();
        assertEquals(14, sinks.size(), "tables written by the job");
        List<String> problems = new ArrayList<>();
        for (ClickHouseTable<?> sink : sinks) {
            Map<String, Boolean> columns = ddl.get(sink.table());
            if (columns == null) {
                problems.add(sink.table() + ": no CREATE TABLE in sql/ddl");
                continue;
            }
            TreeSet<String> expected = new TreeSet<>();
            columns.forEach((name, filledByServer) -> {
                if (!filledByServer) {
                    expected.add(name);
                }
            });
            TreeSet<String> written = new TreeSet<>(sink.columns());
            assertEquals(sink.columns().size(), written.size(), sink.table() + " writes a column twice");
            TreeSet<String> missing = new TreeSet<>(expected);
            missing.removeAll(written);
            TreeSet<String> unknown = new TreeSet<>(written);
            unknown.removeAll(expected);
            if (!missing.isEmpty()) {
                problems.add(sink.table() + ": DDL columns the sink never writes (they would read 0): " + missing);
            }
            if (!unknown.isEmpty()) {
                problems.add(sink.table() + ": sink columns the DDL does not create (inserts would fail): " + unknown);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theDdlReaderSeesMigrationsAndServerFilledColumns() throws Exception {
        Map<String, Map<String, Boolean>> ddl = ddlColumns();
        // 080 adds the view breakdowns to content_metrics; 130 adds superseded to session_metrics.
        assertTrue(ddl.get("engagement.content_metrics").containsKey("views_other_platform"));
        assertTrue(ddl.get("engagement.session_metrics").containsKey("superseded"));
        // content_viewers_hourly is filled by a materialized view, not by a sink: its columns are read too.
        assertEquals(
                List.of("content_id", "creator_id", "hour", "viewers"),
                List.copyOf(ddl.get("engagement.content_viewers_hourly").keySet()));
    }

    @Test
    void everyCounterColumnIsWrittenToContentMetrics() {
        List<String> columns = ClickHouseOutputs.CONTENT_METRICS.columns();
        for (ContentCounter counter : ContentCounter.values()) {
            assertEquals(counter.isColumn(), columns.contains(counter.column()), counter + " in content_metrics");
        }
    }
}
