package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention of the event-level tables (seed 004: raw events 90 days). ClickHouse 18.16 has no table
 * TTL, so this command, run daily (cron, a Kubernetes CronJob), removes what is older than the period:
 * the monthly partitions of {@code engagement_events}, {@code late_events} and
 * {@code duplicate_events} whose whole month ended before the cutoff (ALTER TABLE ... DROP PARTITION:
 * instant, no rewrite), and the rows of {@code dead_letters} received before it (a DELETE mutation;
 * the table is not partitioned by time). A month is dropped once its last day is past the cutoff, so a
 * row lives at least the period and at most a month longer.
 *
 * <p>On servers with table TTL (19.6 and later) {@link ApplySchema} declares the same retention as
 * TTL and this command is optional. On a cluster ({@code --cluster} or {@code ENGAGEMENT_CLICKHOUSE_CLUSTER}, the
 * layout of {@link ClusterLayout}) it reads the parts of every shard ({@code cluster(...)}) and drops
 * and deletes on the local tables {@code ON CLUSTER}.
 *
 * <pre>
 * deploy/retention.sh [--days 90] [--url http://127.0.0.1:8123] [--database engagement] [--cluster c] [--dry-run]
 * </pre>
 */
public final class ApplyRetention {

    /** Tables partitioned by {@code toYYYYMM(event_time)} (sql/ddl). */
    static final List<String> MONTHLY_TABLES = List.of("engagement_events", "late_events", "duplicate_events");

    private ApplyRetention() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        boolean dryRun = false;
        ClickHouseSettings.Tool tool;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> options.put(ClickHouseSettings.URL.key(), args[++i]);
                    case "--database" -> options.put(ClickHouseSettings.DATABASE.key(), args[++i]);
                    case "--days" -> options.put(ClickHouseSettings.RETENTION_DAYS.key(), args[++i]);
                    case "--dry-run" -> dryRun = true;
                    case "--cluster" -> options.put(ClickHouseSettings.CLUSTER.key(), args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            tool = ClickHouseSettings.forTool(options, env);
        } catch (RuntimeException e) {
            err.println("retention: " + e.getMessage()
                    + "\nusage: deploy/retention.sh [--days 90] [--url URL] [--database DB] [--cluster C] [--dry-run]");
            return 2;
        }
        ClickHouseHttp clickhouse = tool.client();
        String database = tool.database();
        String cluster = tool.cluster() == null ? "" : tool.cluster();
        int days = tool.retentionDays();
        LocalDate cutoff = LocalDate.now(ZoneOffset.UTC).minusDays(days);
        try {
            Map<String, String> report =
                    apply(clickhouse, database, cutoff, dryRun, cluster.isEmpty() ? null : cluster);
            out.printf(
                    "%s older than %s (%d days) in database %s%s:%n",
                    dryRun ? "Would remove" : "Removed",
                    cutoff,
                    days,
                    database,
                    cluster.isEmpty() ? "" : " on cluster " + cluster);
            report.forEach((table, what) -> out.printf("  %-18s %s%n", table, what));
            return 0;
        } catch (IOException e) {
            err.println("retention: " + ClickHouseHttp.oneLine(e));
            return 1;
        }
    }

    /** Removes (or with {@code dryRun} lists) what is older than {@code cutoff} (a UTC date); a line per table. */
    public static Map<String, String> apply(
            ClickHouseHttp clickhouse, String database, LocalDate cutoff, boolean dryRun) throws IOException {
        return apply(clickhouse, database, cutoff, dryRun, null);
    }

    /** The same on every shard of {@code cluster}, or on the one server when {@code cluster} is {@code null}. */
    public static Map<String, String> apply(
            ClickHouseHttp clickhouse, String database, LocalDate cutoff, boolean dryRun, String cluster)
            throws IOException {
        Map<String, String> report = new LinkedHashMap<>();
        String parts = ClusterLayout.systemTable("parts", cluster);
        String on = ClusterLayout.onClusterClause(cluster);
        for (String name : MONTHLY_TABLES) {
            String table = ClusterLayout.rowsTable(name, cluster);
            List<String> dropped = new ArrayList<>();
            long rows = 0;
            String partitions = clickhouse.execute("SELECT partition, sum(rows) FROM " + parts
                    + " WHERE active AND database = '" + database + "' AND table = '" + table
                    + "' GROUP BY partition ORDER BY partition FORMAT TabSeparated");
            for (String line : partitions.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                String partition = f[0];
                if (!partition.matches("\\d{6}")) {
                    throw new IOException(
                            database + "." + table + " has partition '" + partition + "', not a month (toYYYYMM)");
                }
                YearMonth month = YearMonth.of(
                        Integer.parseInt(partition.substring(0, 4)), Integer.parseInt(partition.substring(4)));
                if (month.atEndOfMonth().isBefore(cutoff)) {
                    if (!dryRun) {
                        clickhouse.execute(
                                "ALTER TABLE " + database + "." + table + on + " DROP PARTITION " + partition);
                    }
                    dropped.add(partition);
                    rows += Long.parseLong(f[1]);
                }
            }
            report.put(
                    name,
                    dropped.isEmpty()
                            ? "nothing to remove"
                            : String.format("%,d rows in partitions %s", rows, String.join(", ", dropped)));
        }
        String where = "received_at < toDateTime('" + cutoff + " 00:00:00')";
        long old = Long.parseLong(clickhouse
                .execute("SELECT count() FROM " + database + ".dead_letters WHERE " + where)
                .trim());
        if (old > 0 && !dryRun) {
            String table = ClusterLayout.rowsTable("dead_letters", cluster);
            clickhouse.execute("ALTER TABLE " + database + "." + table + on + " DELETE WHERE " + where);
            clickhouse.awaitMutations(database, table, cluster);
        }
        report.put(
                "dead_letters",
                old == 0 ? "nothing to remove" : String.format("%,d rows received before the cutoff", old));
        return report;
    }
}
