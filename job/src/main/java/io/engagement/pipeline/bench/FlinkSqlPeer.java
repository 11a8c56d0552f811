package io.engagement.pipeline.bench;

import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.ParameterTool;

/**
 * The Flink SQL peer of the stack benchmark (deploy/bench-stack.sh): the part of the job's work that a
 * few lines of Flink SQL express, written as a Flink SQL user would tune it, to measure the job against.
 *
 * <p>What it does: reads the same topic (JSON, unparseable rows skipped), keeps rows with the fields
 * the aggregates need, drops duplicate event ids (ROW_NUMBER keep-first, state kept for the job's
 * dedup horizon), and computes per content and minute / hour / day tumbling event-time window (30 s
 * out-of-orderness, as the job) impressions, views, completions, likes, comments, shares, saves, watch
 * time and distinct viewers, written to ClickHouse through the same JDBC sink and driver as the job.
 * Planner tuning: mini-batch on (1 s, 5000 rows) and two-phase aggregation (the planner's default).
 *
 * <p>What it does not do, and the job does: dead letters with reasons, too-late routing, lateness
 * updates of closed windows, raw/duplicate/late event tables, week windows, scores, completion
 * buckets, creator and country roll-ups, velocity and trend, sessions, the feedback topic.
 *
 * <p>Submitted to the cluster with: {@code flink run -c io.engagement.pipeline.bench.FlinkSqlPeer job.jar
 * --bootstrap-servers .. --topic .. --group-id .. --clickhouse-url jdbc:clickhouse://..}. The Kafka source is
 * bounded at the offsets newest at start, so every window fires and the job finishes, as the job does
 * with {@code kafka.stopping-offsets: latest}.
 */
public final class FlinkSqlPeer {

    /** The ClickHouse table the peer writes; created by the benchmark driver. */
    public static final String TABLE = "bench_sql.content_windows";

    private FlinkSqlPeer() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        String bootstrap = params.getRequired("bootstrap-servers");
        String topic = params.getRequired("topic");
        String groupId = params.get("group-id", "bench-sql-peer");
        String clickhouseUrl = params.getRequired("clickhouse-url");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("table.exec.mini-batch.enabled", "true");
        tables.getConfig().set("table.exec.mini-batch.allow-latency", "1 s");
        tables.getConfig().set("table.exec.mini-batch.size", "5000");
        // The job keeps event ids for dedup.horizon (6 h); unbounded state would not be a fair peer.
        tables.getConfig().set("table.exec.state.ttl", "6 h");
        tables.getConfig().set("pipeline.name", "flink-sql-peer");
        tables.getConfig().set("table.local-time-zone", "UTC");

        tables.executeSql("CREATE TABLE events ("
                + " event_id STRING, event_type STRING, content_id STRING, user_id STRING,"
                + " event_time BIGINT, watch_time_ms BIGINT,"
                + " ts AS TO_TIMESTAMP_LTZ(event_time, 3),"
                + " proc AS PROCTIME(),"
                + " WATERMARK FOR ts AS ts - INTERVAL '30' SECOND"
                + ") WITH ("
                + " 'connector' = 'kafka', 'topic' = '" + topic + "',"
                + " 'properties.bootstrap.servers' = '" + bootstrap + "',"
                + " 'properties.group.id' = '" + groupId + "',"
                + " 'properties.isolation.level' = 'read_committed',"
                + " 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',"
                + " 'format' = 'json', 'json.ignore-parse-errors' = 'true', 'json.fail-on-missing-field' = 'false')");
        tables.executeSql("CREATE TEMPORARY VIEW accepted AS"
                + " SELECT event_id, event_type, content_id, user_id, watch_time_ms, ts FROM ("
                + "   SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY proc ASC) AS row_num FROM events"
                + "   WHERE event_id IS NOT NULL AND content_id IS NOT NULL AND event_time IS NOT NULL"
                + "     AND event_type IN ('impression', 'view_start', 'view_progress', 'view_complete', 'swipe_away',"
                + "       'like', 'comment', 'share', 'save', 'click', 'follow', 'not_interested', 'report'))"
                + " WHERE row_num = 1");
        Table windows = tables.sqlQuery(perWindow("minute", "1", "MINUTE")
                + " UNION ALL " + perWindow("hour", "1", "HOUR")
                + " UNION ALL " + perWindow("day", "1", "DAY"));

        tables.toDataStream(windows)
                .sinkTo(JdbcSink.<Row>builder()
                        .withQueryStatement(
                                "INSERT INTO " + TABLE + " (grain, window_start, content_id, impressions, views,"
                                        + " completions, likes, comments, shares, saves, watch_time_ms, unique_viewers)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (statement, row) -> {
                                    statement.setString(1, (String) row.getField(0));
                                    statement.setLong(
                                            2,
                                            ((java.time.LocalDateTime) row.getField(1))
                                                    .toEpochSecond(java.time.ZoneOffset.UTC));
                                    statement.setString(3, (String) row.getField(2));
                                    for (int i = 3; i < 12; i++) {
                                        Object value = row.getField(i);
                                        statement.setLong(i + 1, value == null ? 0L : ((Number) value).longValue());
                                    }
                                })
                        .withExecutionOptions(JdbcExecutionOptions.builder()
                                .withBatchSize(5000)
                                .withBatchIntervalMs(1000)
                                .build())
                        .buildAtLeastOnce(new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                                .withUrl(clickhouseUrl)
                                .withDriverName("com.clickhouse.jdbc.Driver")
                                .withUsername("default")
                                .build()))
                .name("ClickHouse " + TABLE);
        env.execute("flink-sql-peer");
    }

    private static String perWindow(String grain, String size, String unit) {
        return "SELECT '" + grain + "' AS grain, window_start, content_id,"
                + " COUNT(*) FILTER (WHERE event_type = 'impression') AS `impressions`,"
                + " COUNT(*) FILTER (WHERE event_type = 'view_start') AS `views`,"
                + " COUNT(*) FILTER (WHERE event_type = 'view_complete') AS `completions`,"
                + " COUNT(*) FILTER (WHERE event_type = 'like') AS `likes`,"
                + " COUNT(*) FILTER (WHERE event_type = 'comment') AS `comments`,"
                + " COUNT(*) FILTER (WHERE event_type = 'share') AS `shares`,"
                + " COUNT(*) FILTER (WHERE event_type = 'save') AS `saves`,"
                + " SUM(COALESCE(watch_time_ms, 0)) AS `watch_time_ms`,"
                + " COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'view_start') AS `unique_viewers`"
                + " FROM TABLE(TUMBLE(TABLE accepted, DESCRIPTOR(ts), INTERVAL '" + size + "' " + unit + "))"
                + " GROUP BY window_start, window_end, content_id";
    }
}
