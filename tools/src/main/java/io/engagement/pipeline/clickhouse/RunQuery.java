package io.engagement.pipeline.clickhouse;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one analyst query file of sql/queries/ for a person at a terminal: read-only, credentials in a
 * header, values bound by type, one-line errors.
 *
 * <pre>
 * deploy/query.sh sql/queries/creator_last_7_days.sql --param creator_id=creator-7 --format csv
 * </pre>
 */
public final class RunQuery {

    private static final Map<String, String> FORMATS =
            Map.of("table", "PrettyCompactNoEscapes", "csv", "CSVWithNames", "json", "JSON");

    private RunQuery() {}

    static String usage() {
        return """
                usage: deploy/query.sh <file.sql> [--param name=value]... [--format table|csv|json]
                                       [--url http://127.0.0.1:8123] [--user default] [--database engagement] [--help]
                  --param name=value  a value of the parameter's type (see the file's '-- param' lines, or
                                      <file.sql> --help): creator_id=creator-7, day=2026-03-02,
                                      from='2026-03-02 08:00:00', limit=10. Values are data, never SQL.
                  --format            table (default), csv (with a header row) or json
                  --url               ClickHouse HTTP interface (default: $ENGAGEMENT_CLICKHOUSE_URL, else http://127.0.0.1:8123)
                  --user              ClickHouse user (default: $ENGAGEMENT_CLICKHOUSE_USER, else default)
                  --database          database of the pipeline's tables (default: $ENGAGEMENT_CLICKHOUSE_DATABASE, else engagement)
                The password is read from $ENGAGEMENT_CLICKHOUSE_PASSWORD (never an argument). Queries run with
                readonly=1: a query file cannot change data or settings.""";
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Exit codes: 0 done, 1 the query failed, 2 bad usage. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        String format = "table";
        String file = null;
        boolean help = false;
        ClickHouseSettings.Tool tool;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> help = true;
                    case "--csv" -> format = "csv";
                    case "--format" -> format = valueOf(args, ++i, arg);
                    case "--url" -> options.put(ClickHouseSettings.URL.key(), valueOf(args, ++i, arg));
                    case "--user" -> options.put(ClickHouseSettings.USER.key(), valueOf(args, ++i, arg));
                    case "--database" -> options.put(ClickHouseSettings.DATABASE.key(), valueOf(args, ++i, arg));
                    case "--param" -> {
                        String[] kv = valueOf(args, ++i, arg).split("=", 2);
                        if (kv.length != 2 || kv[0].isBlank()) {
                            throw new IllegalArgumentException("--param takes name=value, got '" + args[i] + "'");
                        }
                        values.put(kv[0], kv[1]);
                    }
                    default -> {
                        if (arg.startsWith("--") || file != null) {
                            throw new IllegalArgumentException("unknown option '" + arg + "'");
                        }
                        file = arg;
                    }
                }
            }
            tool = ClickHouseSettings.forTool(options, env);
            if (!FORMATS.containsKey(format)) {
                throw new IllegalArgumentException("--format must be table, csv or json, not '" + format + "'");
            }
            if (file == null) {
                if (help) {
                    out.println(usage());
                    return 0;
                }
                throw new IllegalArgumentException("no query file given");
            }
            if (!Files.isRegularFile(Path.of(file))) {
                throw new IllegalArgumentException("no query file " + file);
            }
        } catch (IllegalArgumentException | io.engagement.pipeline.settings.ConfigException e) {
            err.println("query.sh: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        try {
            AnalystQuery query = AnalystQuery.load(Path.of(file));
            if (help) {
                out.println(usage());
                out.println("Parameters of " + file + ":");
                query.params()
                        .values()
                        .forEach(p -> out.printf("  %-16s %-9s default: %s%n", p.name(), p.type(), p.defaultSql()));
                return 0;
            }
            ClickHouseHttp clickhouse = tool.client();
            String database = tool.database();
            AnalystQuery.Bound bound =
                    query.bind(values, ServerFeatures.detect(clickhouse).queryParameters());
            Map<String, String> urlParameters = new LinkedHashMap<>(bound.queryParameters());
            urlParameters.put("readonly", "1");
            out.print(clickhouse.execute(
                    Database.qualify(bound.sql(), database) + "\nFORMAT " + FORMATS.get(format), urlParameters));
            return 0;
        } catch (Exception e) {
            err.println("query.sh: " + ClickHouseHttp.oneLine(e));
            return 1;
        }
    }

    private static String valueOf(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
