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
 * <pre>
 * deploy/retention.sh [--days 90] [--url http://127.0.0.1:8123] [--database engagement] [--dry-run]
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
        String url = "http://127.0.0.1:8123";
        String database = Database.fromEnvironment(env);
        int days = 90;
        boolean dryRun = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> url = args[++i];
                    case "--database" -> database = args[++i];
                    case "--days" -> days = Integer.parseInt(args[++i]);
                    case "--dry-run" -> dryRun = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (days < 1) {
                throw new IllegalArgumentException("--days must be at least 1");
            }
            if (Database.problem(database) != null) {
                throw new IllegalArgumentException("--database " + Database.problem(database));
            }
        } catch (RuntimeException e) {
            err.println("retention: " + e.getMessage()
                    + "\nusage: deploy/retention.sh [--days 90] [--url URL] [--database DB] [--dry-run]");
            return 2;
        }
        ClickHouseHttp clickhouse = ClickHouseHttp.forTool(url, null, env);
        LocalDate cutoff = LocalDate.now(ZoneOffset.UTC).minusDays(days);
        try {
            Map<String, String> report = apply(clickhouse, database, cutoff, dryRun);
            out.printf("%s older than %s (%d days) in database %s:%n", dryRun ? "Would remove" : "Removed", cutoff, days, database);
            report.forEach((table, what) -> out.printf("  %-18s %s%n", table, what));
            return 0;
        } catch (IOException e) {
            err.println("retention: " + ClickHouseHttp.oneLine(e));
            return 1;
        }
    }

    /** Removes (or with {@code dryRun} lists) what is older than {@code cutoff} (a UTC date); a line per table. */
    public static Map<String, String> apply(ClickHouseHttp clickhouse, String database, LocalDate cutoff, boolean dryRun)
            throws IOException {
        Map<String, String> report = new LinkedHashMap<>();
        for (String table : MONTHLY_TABLES) {
            List<String> dropped = new ArrayList<>();
            long rows = 0;
            String partitions = clickhouse.execute("SELECT partition, sum(rows) FROM system.parts WHERE active AND database = '"
                    + database + "' AND table = '" + table + "' GROUP BY partition ORDER BY partition FORMAT TabSeparated");
            for (String line : partitions.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                String partition = f[0];
                if (!partition.matches("\\d{6}")) {
                    throw new IOException(database + "." + table + " has partition '" + partition + "', not a month (toYYYYMM)");
                }
                YearMonth month = YearMonth.of(Integer.parseInt(partition.substring(0, 4)), Integer.parseInt(partition.substring(4)));
                if (month.atEndOfMonth().isBefore(cutoff)) {
                    if (!dryRun) {
                        clickhouse.execute("ALTER TABLE " + database + "." + table + " DROP PARTITION " + partition);
                    }
                    dropped.add(partition);
                    rows += Long.parseLong(f[1]);
                }
            }
            report.put(table, dropped.isEmpty() ? "nothing to remove"
                    : String.format("%,d rows in partitions %s", rows, String.join(", ", dropped)));
        }
        String where = "received_at < toDateTime('" + cutoff + " 00:00:00')";
        long old = Long.parseLong(clickhouse.execute("SELECT count() FROM " + database + ".dead_letters WHERE " + where).trim());
        if (old > 0 && !dryRun) {
            clickhouse.execute("ALTER TABLE " + database + ".dead_letters DELETE WHERE " + where);
            clickhouse.awaitMutations(database, "dead_letters");
        }
        report.put("dead_letters", old == 0 ? "nothing to remove" : String.format("%,d rows received before the cutoff", old));
        return report;
    }
}
