package io.engagement.pipeline.clickhouse;

import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.settings.Setting;
import io.engagement.pipeline.settings.SettingSources;
import io.engagement.pipeline.settings.SettingType;
import io.engagement.pipeline.settings.SettingValues;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The ClickHouse connection, one name and one meaning for the job, the service and the tools. The
 * password is a secret (environment or file only).
 */
public final class ClickHouseSettings {

    /** The seeds' retention of raw events (seed 004). */
    public static final int DEFAULT_RETENTION_DAYS = 90;

    /**
     * The longest retention: ten years. A TTL far beyond that passes DateTime's end (2106) and wraps
     * to a past time, which would expire every row at once.
     */
    public static final int MAX_RETENTION_DAYS = 3650;

    private static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s/?#]+/?");

    /** The HTTP base URL, without a trailing slash, whatever form the text had. */
    public static final Setting<String> URL = Setting.of(
                    "clickhouse.url",
                    "http://127.0.0.1:8123",
                    SettingType.text(
                                    "`http://host:port` or `https://host:port` (the HTTP interface); a JDBC URL "
                                            + "`jdbc:clickhouse://host:port[/db][?...]` is read as its HTTP address "
                                            + "(`https://` for `jdbc:clickhouse:https://` or `ssl=true`)",
                                    ClickHouseSettings::urlProblem)
                            .map(ClickHouseSettings::httpUrl),
                    "ClickHouse's HTTP interface (the HTTPS port with `https://`); the tables are in"
                            + " `clickhouse.database` ([clickhouse.md](clickhouse.md))")
            .accepting("`http(s)://host:port`, or a JDBC URL `jdbc:clickhouse:[https:]//host:port[?ssl=true]`");

    public static final Setting<String> CA_FILE = Setting.of(
            "clickhouse.ca-file",
            "",
            SettingType.optional(
                    "empty, or a readable PEM file with at least one certificate (checked at start-up)", file -> {
                        String problem = ClickHouseTls.problem(file);
                        return problem == null ? null : "cannot be used: " + problem;
                    }),
            "PEM file of the CA certificates trusted for an https ClickHouse URL (for the job: read on the client"
                    + " and on every TaskManager, the same path on each: a mounted Secret); empty: the JVM's trust"
                    + " store. Host names are verified: the server's certificate must name the URL's host"
                    + " ([clickhouse.md](clickhouse.md#https))");

    public static final Setting<String> DATABASE = Setting.of(
            "clickhouse.database",
            Database.DEFAULT,
            SettingType.text("letters, digits, `_`; not starting with a digit", Database::problem),
            "database of the pipeline's tables. The DDL and query files name `engagement`; the job, the"
                    + " service and the tools rewrite that qualifier (`clickhouse/Database.java`), so several"
                    + " deployments share one server with a database each");

    public static final Setting<String> USER =
            Setting.of("clickhouse.user", "default", SettingType.text(), "ClickHouse user");

    public static final Setting<String> PASSWORD = Setting.of(
                    "clickhouse.password", "", SettingType.anyText(), "ClickHouse password")
            .secret();

    /** The connection settings every program shares. */
    public static final List<Setting<?>> CONNECTION = List.of(URL, CA_FILE, DATABASE, USER, PASSWORD);

    public static final Setting<String> CLUSTER = Setting.of(
            "clickhouse.cluster",
            "",
            SettingType.optional(
                    "empty, or a `<remote_servers>` cluster name (letters, digits, `_`)",
                    name -> name.matches("\\w+")
                            ? null
                            : "must be a cluster name of letters, digits and _ (was '" + name + "')"),
            "the tools only (schema, retention, erasure): a cluster of the server's `<remote_servers>`; every"
                    + " statement runs in its clustered form ([clickhouse.md](clickhouse.md#a-clickhouse-cluster))");

    public static final Setting<Integer> RETENTION_DAYS = Setting.of(
            "clickhouse.retention-days",
            String.valueOf(DEFAULT_RETENTION_DAYS),
            SettingType.integer(1, MAX_RETENTION_DAYS),
            "the tools only: days the event-level tables keep their rows (ApplySchema's table TTL on servers"
                    + " with TTL, ApplyRetention's partition drops on 18.16; seed 004)");

    /** The settings of the ClickHouse tools: the connection, the cluster and the retention. */
    public static final List<Setting<?>> TOOLS =
            List.of(URL, CA_FILE, DATABASE, USER, PASSWORD, CLUSTER, RETENTION_DAYS);

    /**
     * The variables the tools read before the settings had one name everywhere, refused with the new
     * name so that a forgotten variable fails instead of being ignored.
     */
    private static final SettingSources TOOL_SOURCES = SettingSources.of(TOOLS)
            .renamingVariables(Map.of(
                    "CLICKHOUSE_USER", USER.key(),
                    "CLICKHOUSE_PASSWORD", PASSWORD.key(),
                    "CLICKHOUSE_DATABASE", DATABASE.key(),
                    "CLICKHOUSE_CA_FILE", CA_FILE.key(),
                    "CLICKHOUSE_CLUSTER", CLUSTER.key(),
                    "CLICKHOUSE_RETENTION_DAYS", RETENTION_DAYS.key(),
                    "CLICKHOUSE_URL", URL.key()));

    private ClickHouseSettings() {}

    /** The HTTP base URL (no trailing slash) of a {@code clickhouse.url} text: an http(s) URL or a JDBC URL. */
    public static String httpUrl(String url) {
        String http = url.startsWith("jdbc:") ? ClickHouseHttp.httpUrlFromJdbc(url) : url;
        return http.endsWith("/") ? http.substring(0, http.length() - 1) : http;
    }

    private static String urlProblem(String url) {
        boolean jdbc = url.startsWith("jdbc:clickhouse://")
                || url.startsWith("jdbc:clickhouse:http://")
                || url.startsWith("jdbc:clickhouse:https://");
        if (!jdbc && !HTTP_URL.matcher(url).matches()) {
            return "must be http(s)://host:port or a jdbc:clickhouse:// URL (was '" + url + "')";
        }
        return null;
    }

    /** A tool's ClickHouse connection, database, cluster (null: one server) and retention, read once. */
    public record Tool(
            String url,
            String user,
            String password,
            String caFile,
            String database,
            String cluster,
            int retentionDays) {

        public ClickHouseHttp client() {
            return new ClickHouseHttp(url, user, password, caFile);
        }
    }

    /**
     * A tool's settings: {@link #TOOLS} from the environment ({@code ENGAGEMENT_CLICKHOUSE_URL} ...), then
     * the tool's own options (given here by setting key, e.g.
     * {@code clickhouse.url} for a tool's {@code --url}).
     *
     * @throws ConfigException naming every bad setting, or a variable of the earlier names
     */
    public static Tool forTool(Map<String, String> options, Map<String, String> env) {
        String[] args = options.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue()))
                .toArray(String[]::new);
        SettingValues v = TOOL_SOURCES.read(args, env);
        Integer days = v.get(RETENTION_DAYS);
        Tool tool = new Tool(
                v.get(URL),
                v.get(USER),
                v.get(PASSWORD),
                v.get(CA_FILE),
                v.get(DATABASE),
                v.get(CLUSTER),
                days == null ? 0 : days);
        v.throwIfInvalid("invalid settings");
        return tool;
    }
}
