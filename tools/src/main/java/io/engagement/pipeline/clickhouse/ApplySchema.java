package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Applies sql/ddl/*.sql in file-name order, one statement per HTTP request (18.16's client silently
 * drops statements in multi-statement input). The files are append-only migrations: CREATE ... IF NOT
 * EXISTS, and ALTER TABLE ... ADD COLUMN whose "already exists" answer is ignored.
 *
 * <p>Each applied file is recorded in {@code <database>.schema_migrations} with the SHA-256 of its
 * text: a recorded file is not applied again, and a recorded file whose text changed is refused (an
 * applied migration is history; a change goes into a new file). A database made before the table
 * existed gets every file applied once more (harmless, see above) and recorded.
 *
 * <p>On a cluster ({@code clickhouse.cluster} names a {@code <remote_servers>} entry) every statement
 * runs in its clustered form ({@link ClusterLayout}: replicated local tables, Distributed tables under
 * the single-node names, {@code ON CLUSTER}), and {@code schema_migrations} is such a pair too, so
 * one run from any server migrates every server and records it once.
 *
 * <p>The server's version is read once ({@link ServerFeatures}): on a release with
 * {@code LowCardinality} new tables get it for their low-cardinality text columns, and on a release
 * with table TTL the event-level tables get {@code TTL <time> + INTERVAL <retention days> DAY}, set
 * again only when the period changed (a TTL change rewrites parts). 18.16 gets the files as written;
 * its retention is {@link ApplyRetention}.
 *
 * <p>Usage: {@code java -cp job.jar io.engagement.pipeline.clickhouse.ApplySchema [http://127.0.0.1:8123] [sql/ddl]};
 * the connection, database, cluster and retention are the tools' settings ({@link ClickHouseSettings#TOOLS}:
 * {@code ENGAGEMENT_CLICKHOUSE_USER}, {@code ENGAGEMENT_CLICKHOUSE_PASSWORD}, {@code ENGAGEMENT_CLICKHOUSE_DATABASE},
 * {@code ENGAGEMENT_CLICKHOUSE_CLUSTER}, {@code ENGAGEMENT_CLICKHOUSE_RETENTION_DAYS}, default 90).
 */
public final class ApplySchema {

    private ApplySchema() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 1 ? args[1] : "sql/ddl");
        try {
            ClickHouseSettings.Tool tool = ClickHouseSettings.forTool(
                    args.length > 0 ? Map.of(ClickHouseSettings.URL.key(), args[0]) : Map.of(), System.getenv());
            int applied = apply(tool.client(), dir, tool.database(), tool.cluster(), tool.retentionDays());
            System.out.println("Applied " + applied + " DDL statements from " + dir + " to database " + tool.database()
                    + " at " + tool.url()
                    + (tool.cluster() == null ? "" : " on cluster " + tool.cluster())
                    + (applied == 0 ? " (every migration was already applied)" : ""));
        } catch (IOException | RuntimeException e) {
            System.err.println("ApplySchema: " + ClickHouseHttp.oneLine(e));
            System.exit(1);
        }
    }

    public static int apply(ClickHouseHttp clickhouse, Path ddlDirectory) throws IOException {
        return apply(clickhouse, ddlDirectory, Database.DEFAULT);
    }

    /**
     * Applies the migrations not yet recorded, with their tables in {@code database}
     * ({@link Database#qualify}); returns the number of statements run.
     */
    public static int apply(ClickHouseHttp clickhouse, Path ddlDirectory, String database) throws IOException {
        return apply(clickhouse, ddlDirectory, database, null);
    }

    /**
     * The same on the cluster {@code cluster} ({@link ClusterLayout}), or on the one server
     * {@code clickhouse} talks to when {@code cluster} is {@code null}.
     */
    public static int apply(ClickHouseHttp clickhouse, Path ddlDirectory, String database, String cluster)
            throws IOException {
        return apply(clickhouse, ddlDirectory, database, cluster, ClickHouseSettings.DEFAULT_RETENTION_DAYS);
    }

    /**
     * The same, with the event-level tables expiring after {@code retentionDays} on servers with
     * table TTL; returns the number of statements run (migrations and TTL changes).
     */
    public static int apply(
            ClickHouseHttp clickhouse, Path ddlDirectory, String database, String cluster, int retentionDays)
            throws IOException {
        if (retentionDays < 1 || retentionDays > ClickHouseSettings.MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("the retention must be from 1 to "
                    + ClickHouseSettings.MAX_RETENTION_DAYS + " days, not " + retentionDays);
        }
        if (cluster != null && !ClusterLayout.isClusterName(cluster)) {
            throw new IllegalArgumentException(
                    "clickhouse.cluster must be a cluster name of letters, digits and _: " + cluster);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(ddlDirectory)) {
            files = listing.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no .sql files in " + ddlDirectory.toAbsolutePath());
        }
        ServerFeatures features = ServerFeatures.detect(clickhouse);
        Map<String, String> recorded = recordedMigrations(clickhouse, database, cluster);
        Map<Path, String> texts = new LinkedHashMap<>();
        for (Path file : files) {
            texts.put(file, Files.readString(file, StandardCharsets.UTF_8));
        }
        ClusterLayout layout = null;
        if (cluster != null) {
            List<String> schema = new ArrayList<>();
            for (String text : texts.values()) {
                statements(Database.qualify(text, database)).forEach(st -> schema.add(features.adapt(st)));
            }
            layout = new ClusterLayout(cluster, schema);
        }
        int count = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            String text = texts.get(file);
            String checksum = sha256(text);
            String before = recorded.get(name);
            if (before != null) {
                if (!before.equals(checksum)) {
                    throw new IOException("migration " + name + " was changed after it was applied to " + database
                            + " (recorded sha256 " + before + ", the file now " + checksum
                            + "): an applied migration is not edited; put the change in a new file");
                }
                continue;
            }
            int statements = 0;
            for (String written : statements(Database.qualify(text, database))) {
                String statement = features.adapt(written);
                for (String run : layout == null ? List.of(statement) : layout.onCluster(statement)) {
                    try {
                        clickhouse.execute(run);
                    } catch (IOException e) {
                        if (!isColumnAlreadyAdded(run, e)) {
                            throw e;
                        }
                    }
                }
                statements++;
            }
            // Synchronous through a Distributed table, so the record is readable as soon as this returns.
            clickhouse.execute(
                    "INSERT INTO " + database + ".schema_migrations (file, checksum, statements) VALUES ("
                            + AnalystQuery.literal(AnalystQuery.Type.String, name) + ", '" + checksum + "', "
                            + statements + ")",
                    cluster == null ? Map.of() : Map.of("insert_distributed_sync", "1"));
            count += statements;
        }
        if (features.tableTtl()) {
            count += applyRetentionTtl(clickhouse, database, cluster, retentionDays);
        }
        return count;
    }

    /**
     * Sets {@code TTL <time column> + INTERVAL days DAY} on each table of {@link ServerFeatures#RETENTION}
     * whose TTL is not already that (read from {@code system.tables}); returns the number changed.
     * On a cluster the local tables carry the TTL; replication carries the change to every replica.
     */
    static int applyRetentionTtl(ClickHouseHttp clickhouse, String database, String cluster, int days)
            throws IOException {
        int changed = 0;
        for (ServerFeatures.Retention retention : ServerFeatures.RETENTION) {
            String table = ClusterLayout.rowsTable(retention.table(), cluster);
            String ttl = ServerFeatures.retentionTtl(retention.timeColumn(), days);
            String engine = clickhouse
                    .execute("SELECT engine_full FROM system.tables WHERE database = '" + database + "' AND name = '"
                            + table + "' FORMAT TabSeparatedRaw")
                    .strip();
            if (engine.isEmpty()) {
                throw new IOException(database + "." + table + " does not exist after the migrations");
            }
            if (engine.contains(ttl + " ") || engine.endsWith(ttl)) {
                continue;
            }
            clickhouse.execute("ALTER TABLE " + database + "." + table + ClusterLayout.onClusterClause(cluster)
                    + " MODIFY TTL " + retention.timeColumn() + " + INTERVAL " + days + " DAY");
            changed++;
        }
        return changed;
    }

    /**
     * File name to checksum of the migrations applied to {@code database}; creates the record table
     * (on {@code cluster}, if not {@code null}).
     */
    static Map<String, String> recordedMigrations(ClickHouseHttp clickhouse, String database, String cluster)
            throws IOException {
        List<String> setup = List.of(
                "CREATE DATABASE IF NOT EXISTS " + database,
                "CREATE TABLE IF NOT EXISTS " + database + ".schema_migrations (file String, checksum String,"
                        + " statements UInt32, applied_at DateTime DEFAULT now()) ENGINE = MergeTree() ORDER BY file");
        for (String statement : setup) {
            for (String run : cluster == null ? List.of(statement) : ClusterLayout.onCluster(statement, cluster)) {
                clickhouse.execute(run);
            }
        }
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String row : clickhouse
                .execute("SELECT file, checksum FROM " + database + ".schema_migrations ORDER BY applied_at"
                        + " FORMAT TabSeparated")
                .split("\n")) {
            String[] f = row.split("\t");
            if (f.length == 2) {
                recorded.put(f[0], f[1]);
            }
        }
        return recorded;
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * DDL files are append-only migrations: a later file adds columns with ALTER TABLE ... ADD COLUMN.
     * ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS, so re-applying reports the column as existing
     * (code 15, DUPLICATE_COLUMN), which is what applying twice should do: nothing.
     */
    static boolean isColumnAlreadyAdded(String statement, IOException error) {
        String sql = statement.toUpperCase(java.util.Locale.ROOT);
        String message = String.valueOf(error.getMessage());
        return sql.startsWith("ALTER TABLE")
                && sql.contains("ADD COLUMN")
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
