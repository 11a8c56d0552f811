package io.engagement.pipeline.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ClickHouse database the pipeline's tables live in ({@code clickhouse.database}). The files of
 * sql/ddl and sql/queries name the default, {@code engagement}, so that they run as they are in
 * clickhouse-client; for another database the tools and the job rewrite that one qualifier, and only
 * it: {@code engagement.<table>} where it stands as a database name, and the database's own
 * {@code CREATE DATABASE}.
 */
public final class Database {

    public static final String DEFAULT = "engagement";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern QUALIFIER = Pattern.compile("(?<![\\w.`'\"])" + DEFAULT + "\\.(?=[A-Za-z_])");
    private static final Pattern CREATE_DATABASE =
            Pattern.compile("(?i)(CREATE\\s+DATABASE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?)" + DEFAULT + "\\b");

    private Database() {}

    /** Null when {@code name} can be a database name here, else why not. */
    public static String problem(String name) {
        return NAME.matcher(name).matches()
                ? null
                : "must be a ClickHouse database name: letters, digits and '_', not starting with a digit (was '" + name
                        + "')";
    }

    /** {@code sql} with its tables in {@code database} instead of {@link #DEFAULT}. */
    public static String qualify(String sql, String database) {
        if (database.equals(DEFAULT)) {
            return sql;
        }
        String problem = problem(database);
        if (problem != null) {
            throw new IllegalArgumentException("database " + problem);
        }
        String renamed = CREATE_DATABASE.matcher(sql).replaceAll("$1" + Matcher.quoteReplacement(database));
        return QUALIFIER.matcher(renamed).replaceAll(Matcher.quoteReplacement(database + "."));
    }
}
