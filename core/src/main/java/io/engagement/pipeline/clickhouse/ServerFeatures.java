package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the ClickHouse server at hand can do beyond 18.16 (the oldest release the project supports),
 * decided once from {@code SELECT version()} where the schema is applied or a query is run. The same
 * sql/ddl files serve every release; on a newer server {@link ApplySchema} uses:
 * <ul>
 *   <li>table TTL (19.6 and later): the event-level tables expire rows by themselves
 *       ({@link #retentionTtl}); on 18.16 {@code ApplyRetention} drops partitions instead;</li>
 *   <li>{@code LowCardinality} without the experimental flag 18.16 needs: the low-cardinality text
 *       columns of new tables are dictionary-encoded ({@link #adapt});</li>
 *   <li>server-side query parameters: analyst queries bind values as {@code {name:Type}}
 *       ({@link RunQuery}).</li>
 * </ul>
 * The version thresholds are releases known to have the feature for good (TTL came in 19.6;
 * LowCardinality and query parameters were experimental or incomplete in early 19.x, so 20.1).
 */
public record ServerFeatures(int major, int minor) {

    static final int[] FIRST_WITH_TTL = {19, 6};
    static final int[] FIRST_WITH_LOW_CARDINALITY = {20, 1};
    static final int[] FIRST_WITH_QUERY_PARAMETERS = {20, 1};

    /**
     * Text columns with a few distinct values (event types, devices, countries, grains, reasons):
     * dictionary encoding makes them several times smaller and faster to group by.
     */
    static final Set<String> LOW_CARDINALITY_COLUMNS = Set.of(
            "event_type",
            "source",
            "device",
            "platform",
            "country",
            "grain",
            "trend",
            "reason",
            "payload_encoding",
            "source_topic");

    /** An event-level table and the time column its retention counts from. */
    record Retention(String table, String timeColumn) {}

    /** The tables {@code ApplyRetention} also serves. */
    static final List<Retention> RETENTION = List.of(
            new Retention("engagement_events", "event_time"),
            new Retention("late_events", "event_time"),
            new Retention("duplicate_events", "event_time"),
            new Retention("dead_letters", "received_at"));

    private static final Pattern TEXT_COLUMN =
            Pattern.compile("(?m)^(\\s*(?:ADD\\s+COLUMN\\s+)?)(\\w+)(\\s+)(Nullable\\(String\\)|String)(?![\\w(])");

    public static ServerFeatures of(int[] version) {
        return new ServerFeatures(version[0], version.length > 1 ? version[1] : 0);
    }

    public static ServerFeatures detect(ClickHouseHttp clickhouse) throws IOException {
        return of(clickhouse.serverVersion());
    }

    private boolean atLeast(int[] release) {
        return major > release[0] || (major == release[0] && minor >= release[1]);
    }

    public boolean tableTtl() {
        return atLeast(FIRST_WITH_TTL);
    }

    public boolean lowCardinality() {
        return atLeast(FIRST_WITH_LOW_CARDINALITY);
    }

    public boolean queryParameters() {
        return atLeast(FIRST_WITH_QUERY_PARAMETERS);
    }

    /**
     * A DDL statement as this server should run it: on servers with {@code LowCardinality}, the
     * {@link #LOW_CARDINALITY_COLUMNS} of a CREATE TABLE or ADD COLUMN become
     * {@code LowCardinality(String)} / {@code LowCardinality(Nullable(String))}. Other statements,
     * and every statement on 18.16, are unchanged. Existing tables keep their types (CREATE ... IF
     * NOT EXISTS), which the sink does not mind: it inserts text (TabSeparated) either way.
     */
    public String adapt(String statement) {
        String upper = statement.stripLeading().toUpperCase(java.util.Locale.ROOT);
        boolean definesColumns =
                upper.startsWith("CREATE TABLE") || (upper.startsWith("ALTER TABLE") && upper.contains("ADD COLUMN"));
        if (!lowCardinality() || !definesColumns) {
            return statement;
        }
        Matcher m = TEXT_COLUMN.matcher(statement);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = LOW_CARDINALITY_COLUMNS.contains(m.group(2))
                    ? m.group(1) + m.group(2) + m.group(3) + "LowCardinality(" + m.group(4) + ")"
                    : m.group(0);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The TTL clause that expires a table's rows {@code days} after {@code column}, as the server prints it. */
    static String retentionTtl(String column, int days) {
        return "TTL " + column + " + toIntervalDay(" + days + ")";
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
