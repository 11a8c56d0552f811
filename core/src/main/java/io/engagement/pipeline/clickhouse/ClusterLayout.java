package io.engagement.pipeline.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clustered form of the single-node DDL in sql/ddl, so both layouts come from one source and
 * cannot drift. For a cluster {@code c} (a {@code <remote_servers>} entry of every server):
 * <ul>
 *   <li>{@code CREATE DATABASE d} runs {@code ON CLUSTER c};</li>
 *   <li>a table {@code d.t} with engine {@code XMergeTree(args)} becomes the local table {@code d.t_local}
 *       on every server, engine {@code ReplicatedXMergeTree('/clickhouse/tables/{shard}/d/t_local',
 *       '{replica}', args)} (the servers' {@code <macros>} name shard and replica), and {@code d.t}
 *       becomes a {@code Distributed} table over them, so the job and the analysts' queries use the
 *       same names on both layouts;</li>
 *   <li>rows are sharded by {@code cityHash64} of the first of content_id, session_id, creator_id in
 *       the table's ORDER BY, else of the whole ORDER BY: every version of one replacing key lands on
 *       one shard, which {@code FINAL} needs, and a replayed batch lands on the same shard as the
 *       first copy, where insert deduplication or the replacing engine removes it;</li>
 *   <li>a materialized view reads and writes the local tables of its server;</li>
 *   <li>{@code ALTER TABLE d.t ADD COLUMN} alters the local tables and re-creates the Distributed table
 *       (18.16 runs an {@code ALTER ... ON CLUSTER} on one replica per shard only, which leaves the
 *       other servers' Distributed tables without the column). A Distributed table holds no rows when
 *       inserts into it are synchronous ({@code insert_distributed_sync=1}, docs/clickhouse.md);
 *       an insert in the moment between drop and create fails and the job retries it from its checkpoint.</li>
 *   <li>{@code INSERT INTO d.t SELECT ... FROM d.s} (a backfill) runs once, unchanged, through the
 *       Distributed tables: the rows are read from every shard and sharded like every other insert.</li>
 * </ul>
 * A statement of another form is refused, so a new kind of migration cannot silently skip the cluster.
 */
public final class ClusterLayout {

    static final String LOCAL_SUFFIX = "_local";
    private static final List<String> SHARD_BY = List.of("content_id", "session_id", "creator_id");

    private static final Pattern CREATE_DATABASE =
            Pattern.compile("(?is)^CREATE\\s+DATABASE\\s+IF\\s+NOT\\s+EXISTS\\s+(\\w+)\\s*$");
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?is)^CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+(\\w+)\\.(\\w+)\\s*(\\(.*\\))\\s*ENGINE\\s*=\\s*(\\w*)MergeTree\\s*\\(([^)]*)\\)(.*)$");
    private static final Pattern CREATE_VIEW = Pattern.compile(
            "(?is)^CREATE\\s+MATERIALIZED\\s+VIEW\\s+IF\\s+NOT\\s+EXISTS\\s+(\\w+)\\.(\\w+)\\s+TO\\s+(\\w+)\\.(\\w+)\\s+AS\\s+(SELECT\\s.*)$");
    private static final Pattern ALTER_TABLE =
            Pattern.compile("(?is)^ALTER\\s+TABLE\\s+(\\w+)\\.(\\w+)\\s+(ADD\\s+COLUMN\\s.*)$");
    private static final Pattern INSERT_SELECT =
            Pattern.compile("(?is)^INSERT\\s+INTO\\s+(\\w+)\\.(\\w+)\\s+SELECT\\s.*$");
    private static final Pattern ORDER_BY = Pattern.compile("(?is)ORDER\\s+BY\\s*\\(([^)]*)\\)|ORDER\\s+BY\\s+(\\w+)");
    private static final Pattern FROM_TABLE = Pattern.compile("(?i)\\bFROM\\s+(\\w+)\\.(\\w+)\\b");

    private final String cluster;
    /** "database.table" -> sharding expression, from every CREATE TABLE of the schema. */
    private final java.util.Map<String, String> shardingKeys = new java.util.HashMap<>();

    /**
     * The layout on {@code cluster} of a schema made of {@code schema}'s statements (all of them, also
     * the ones applied before: an ALTER needs its table's sharding key).
     */
    public ClusterLayout(String cluster, List<String> schema) {
        this.cluster = cluster;
        for (String statement : schema) {
            Matcher m = CREATE_TABLE.matcher(statement.strip());
            if (m.matches()) {
                shardingKeys.put(m.group(1) + "." + m.group(2), shardingKey(m.group(2), m.group(6)));
            }
        }
    }

    // Where the maintenance tools (retention, erasure, TTL) act: the table that holds the rows, the
    // clause that runs a change on every server, and the system table of every shard. A null
    // cluster is the single-server layout.

    /** The table holding {@code table}'s rows: the local table on a cluster, the table itself on one server. */
    static String rowsTable(String table, String cluster) {
        return cluster == null ? table : table + LOCAL_SUFFIX;
    }

    /** {@code " ON CLUSTER c"}, or nothing on one server. */
    static String onClusterClause(String cluster) {
        return cluster == null ? "" : " ON CLUSTER " + cluster;
    }

    /** {@code system.<name>} of this server, or of one replica of every shard ({@code cluster(...)}). */
    static String systemTable(String name, String cluster) {
        return cluster == null ? "system." + name : "cluster('" + cluster + "', system, " + name + ")";
    }

    /** True when {@code cluster} can name a {@code <remote_servers>} entry in SQL (letters, digits, _). */
    static boolean isClusterName(String cluster) {
        return cluster.matches("\\w+");
    }

    /** The statements that give the cluster what {@code statement} gives one server. */
    public static List<String> onCluster(String statement, String cluster) {
        return new ClusterLayout(cluster, List.of(statement)).onCluster(statement);
    }

    /** The statements that give the cluster what {@code statement} gives one server. */
    public List<String> onCluster(String statement) {
        String s = statement.strip();
        String on = " ON CLUSTER " + cluster;
        Matcher m;
        if ((m = CREATE_DATABASE.matcher(s)).matches()) {
            return List.of("CREATE DATABASE IF NOT EXISTS " + m.group(1) + on);
        }
        if ((m = CREATE_TABLE.matcher(s)).matches()) {
            String db = m.group(1);
            String table = m.group(2);
            String local = table + LOCAL_SUFFIX;
            String engineArgs = m.group(5).strip();
            String rest = m.group(6);
            String replicated = "Replicated" + m.group(4) + "MergeTree('/clickhouse/tables/{shard}/" + db + "/" + local
                    + "', '{replica}'" + (engineArgs.isEmpty() ? "" : ", " + engineArgs) + ")";
            List<String> out = new ArrayList<>();
            out.add("CREATE TABLE IF NOT EXISTS " + db + "." + local + on + "\n" + m.group(3) + "\nENGINE = "
                    + replicated + rest);
            out.add(distributed(db, table));
            return out;
        }
        if ((m = CREATE_VIEW.matcher(s)).matches()) {
            Matcher from = FROM_TABLE.matcher(m.group(5));
            if (!from.find()) {
                throw new IllegalArgumentException(
                        "materialized view " + m.group(2) + " has no FROM <database>.<table>");
            }
            String select = m.group(5).substring(0, from.start()) + "FROM " + from.group(1) + "." + from.group(2)
                    + LOCAL_SUFFIX + m.group(5).substring(from.end());
            return List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + m.group(1) + "." + m.group(2) + on + " TO "
                    + m.group(3) + "." + m.group(4) + LOCAL_SUFFIX + " AS " + select);
        }
        if ((m = ALTER_TABLE.matcher(s)).matches()) {
            String change = m.group(3);
            if (!shardingKeys.containsKey(m.group(1) + "." + m.group(2))) {
                throw new IllegalArgumentException(
                        "ALTER TABLE " + m.group(1) + "." + m.group(2) + " names no table of the schema");
            }
            return List.of(
                    "ALTER TABLE " + m.group(1) + "." + m.group(2) + LOCAL_SUFFIX + on + " " + change,
                    "DROP TABLE IF EXISTS " + m.group(1) + "." + m.group(2) + on,
                    distributed(m.group(1), m.group(2)));
        }
        if (INSERT_SELECT.matcher(s).matches()) {
            return List.of(s);
        }
        throw new IllegalArgumentException("no cluster form for this statement (ClusterLayout knows CREATE DATABASE,"
                + " CREATE TABLE ... ENGINE = *MergeTree, CREATE MATERIALIZED VIEW ... TO, ALTER TABLE ... ADD COLUMN,"
                + " INSERT INTO ... SELECT): "
                + s.lines().findFirst().orElse(s));
    }

    private String distributed(String db, String table) {
        return "CREATE TABLE IF NOT EXISTS " + db + "." + table + " ON CLUSTER " + cluster + " AS " + db + "." + table
                + LOCAL_SUFFIX
                + "\nENGINE = Distributed(" + cluster + ", " + db + ", " + table + LOCAL_SUFFIX + ", "
                + shardingKeys.get(db + "." + table) + ")";
    }

    /** The Distributed table's sharding expression, from the table's ORDER BY (see the class comment). */
    static String shardingKey(String table, String tableClauses) {
        Matcher order = ORDER_BY.matcher(tableClauses);
        if (!order.find()) {
            throw new IllegalArgumentException("table " + table + " has no ORDER BY to shard by");
        }
        List<String> columns = new ArrayList<>();
        for (String c : (order.group(1) != null ? order.group(1) : order.group(2)).split(",")) {
            columns.add(c.strip());
        }
        for (String preferred : SHARD_BY) {
            if (columns.stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(preferred))) {
                return "cityHash64(" + preferred + ")";
            }
        }
        return "cityHash64(" + String.join(", ", columns) + ")";
    }
}
