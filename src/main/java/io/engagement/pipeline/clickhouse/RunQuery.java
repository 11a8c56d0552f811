package io.engagement.pipeline.clickhouse;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one analyst query file and prints the result as a table (default) or CSV with a header.
 *
 * <pre>
 * deploy/query.sh sql/queries/creator_last_7_days.sql --param creator_id="'creator-7'" --csv
 * </pre>
 * Options: {@code --param name=value} (a SQL expression), {@code --csv}, {@code --url http://host:8123}.
 */
public final class RunQuery {

    private RunQuery() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: RunQuery <file.sql> [--param name=value]... [--csv] [--url http://127.0.0.1:8123]");
            System.exit(2);
        }
        Map<String, String> params = new LinkedHashMap<>();
        String url = "http://127.0.0.1:8123";
        String format = "PrettyCompactNoEscapes";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--csv" -> format = "CSVWithNames";
                case "--url" -> url = args[++i];
                case "--param" -> {
                    String[] kv = args[++i].split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("--param takes name=value, got " + args[i]);
                    }
                    params.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String sql = AnalystQuery.load(Path.of(args[0])).render(params);
        System.out.print(new ClickHouseHttp(url, "default", "").execute(sql + "\nFORMAT " + format));
    }
}
