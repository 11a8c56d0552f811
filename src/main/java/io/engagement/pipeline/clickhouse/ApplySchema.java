package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies sql/ddl/*.sql in file-name order, one statement per HTTP request (18.16's client silently
 * drops statements in multi-statement input). The files are append-only migrations: CREATE ... IF NOT
 * EXISTS, and ALTER TABLE ... ADD COLUMN whose "already exists" answer is ignored, so applying twice, or
 * to a database made by an older release, brings it to the current schema.
 *
 * <p>Usage: {@code java -cp job.jar io.engagement.pipeline.clickhouse.ApplySchema [http://127.0.0.1:8123] [sql/ddl]}
 */
public final class ApplySchema {

    private ApplySchema() {}

    public static void main(String[] args) throws IOException {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8123";
        Path dir = Path.of(args.length > 1 ? args[1] : "sql/ddl");
        String database = System.getenv().getOrDefault("CLICKHOUSE_DATABASE", Database.DEFAULT);
        int applied = apply(new ClickHouseHttp(url, System.getenv().getOrDefault("CLICKHOUSE_USER", "default"),
                System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "")), dir, database);
        System.out.println("Applied " + applied + " DDL statements from " + dir + " to database " + database + " at " + url);
    }

    public static int apply(ClickHouseHttp clickhouse, Path ddlDirectory) throws IOException {
        return apply(clickhouse, ddlDirectory, Database.DEFAULT);
    }

    /** Applies the DDL with its tables in {@code database} ({@link Database#qualify}). */
    public static int apply(ClickHouseHttp clickhouse, Path ddlDirectory, String database) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(ddlDirectory)) {
            files = listing.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no .sql files in " + ddlDirectory.toAbsolutePath());
        }
        int count = 0;
        for (Path file : files) {
            for (String statement : statements(Database.qualify(Files.readString(file, StandardCharsets.UTF_8), database))) {
                try {
                    clickhouse.execute(statement);
                } catch (IOException e) {
                    if (!isColumnAlreadyAdded(statement, e)) {
                        throw e;
                    }
                }
                count++;
            }
        }
        return count;
    }

    /**
     * DDL files are append-only migrations: a later file adds columns with ALTER TABLE ... ADD COLUMN.
     * ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS, so re-applying reports the column as existing
     * (code 15, DUPLICATE_COLUMN), which is what applying twice should do: nothing.
     */
    static boolean isColumnAlreadyAdded(String statement, IOException error) {
        String sql = statement.toUpperCase(java.util.Locale.ROOT);
        String message = String.valueOf(error.getMessage());
        return sql.startsWith("ALTER TABLE") && sql.contains("ADD COLUMN")
                && (message.contains("Code: 15,") || message.contains("already exists"));
    }

    /** Splits a file into statements on ';' at line ends, dropping '--' comment lines. */
    public static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                add(statements, current);
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder current) {
        String s = current.toString().trim();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        if (!s.isEmpty()) {
            statements.add(s);
        }
        current.setLength(0);
    }
}
