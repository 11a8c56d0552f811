package io.engagement.pipeline.report;

import io.engagement.pipeline.clickhouse.AnalystQuery;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.clickhouse.ClickHouseSettings;
import io.engagement.pipeline.clickhouse.Database;
import io.engagement.pipeline.settings.KafkaClientProperties;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints what the pipeline produced on a running stack: ClickHouse row counts, the top content of
 * the latest hour, and the number of messages on the dead-letter and feedback topics.
 *
 * <p>Usage: {@code StackReport [http://127.0.0.1:8123] [127.0.0.1:9092]}; the ClickHouse connection and
 * database from the tools' settings ({@code ENGAGEMENT_CLICKHOUSE_*}), Kafka client properties from
 * {@code ENGAGEMENT_KAFKA_PROPERTIES_<NAME>}.
 */
public final class StackReport {

    private StackReport() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        ClickHouseSettings.Tool tool = ClickHouseSettings.forTool(
                args.length > 0 ? Map.of(ClickHouseSettings.URL.key(), args[0]) : Map.of(), env);
        ClickHouseHttp ch = tool.client();
        String database = tool.database();
        String bootstrap = args.length > 1 ? args[1] : "127.0.0.1:9092";
        Map<String, String> kafkaProperties = KafkaClientProperties.forTool(Map.of(), env);

        section("ClickHouse: rows written by the job");
        print(
                ch,
                database,
                "SELECT 'engagement_events' AS table, count() AS rows, uniqExact(event_id) AS distinct_events, "
                        + "min(event_time) AS first_event, max(event_time) AS last_event FROM engagement.engagement_events");
        print(
                ch,
                database,
                "SELECT grain, count() AS windows, uniqExact(content_id) AS contents, sum(views) AS views, "
                        + "sum(validated_views) AS validated_views, max(version) AS max_version FROM engagement.content_metrics FINAL "
                        + "GROUP BY grain ORDER BY grain");
        print(
                ch,
                database,
                "SELECT grain, count() AS creator_windows, uniqExact(creator_id) AS creators, sum(views) AS views, "
                        + "max(version) AS max_version FROM engagement.creator_metrics FINAL GROUP BY grain ORDER BY grain");
        print(
                ch,
                database,
                "SELECT grain, count() AS country_windows, uniqExact(country) AS countries, sum(views) AS views "
                        + "FROM engagement.content_country_metrics FINAL GROUP BY grain ORDER BY grain");
        print(ch, database, "SELECT count() AS late_events FROM engagement.late_events");
        print(
                ch,
                database,
                "SELECT actor_kind, count() AS flagged_actor_minutes, uniqExact(actor_id) AS actors, "
                        + "sum(view_starts) AS view_starts FROM engagement.suspect_actors FINAL GROUP BY actor_kind ORDER BY actor_kind");

        section("Top content of the latest closed hour (empty until the first hour window closes)");
        print(
                ch,
                database,
                "SELECT content_id, creator_id, window_start, views, unique_viewers, round(completion_rate, 1) AS completion_pct, "
                        + "round(engagement_rate, 1) AS engagement_pct, round(engagement_score, 1) AS engagement_score, "
                        + "round(quality_score, 1) AS quality_score FROM engagement.content_metrics FINAL "
                        + "WHERE grain = 'hour' AND window_start = (SELECT max(window_start) FROM engagement.content_metrics WHERE grain = 'hour') "
                        + "ORDER BY views DESC LIMIT 10");

        section("Top content of the latest minutes (grain = minute)");
        print(
                ch,
                database,
                "SELECT content_id, sum(views) AS views, sum(completions) AS completions, sum(likes) AS likes, "
                        + "sum(shares) AS shares FROM engagement.content_metrics FINAL WHERE grain = 'minute' "
                        + "AND window_start >= (SELECT max(window_start) FROM engagement.content_metrics WHERE grain = 'minute') - 300 "
                        + "GROUP BY content_id ORDER BY views DESC LIMIT 5");

        section("Kafka topics (read_committed)");
        Map<String, Long> messages = new java.util.LinkedHashMap<>();
        for (String topic : List.of("engagement-events", "engagement-dlq", "engagement-feedback")) {
            messages.put(topic, committedMessages(bootstrap, kafkaProperties, topic));
            System.out.printf("  %-22s %,d messages%n", topic, messages.get(topic));
        }

        section(
                "Accounting: every message of engagement-events has exactly one outcome (sql/queries/reconciliation.sql)");
        System.out.print(accounting(ch, database, messages.get("engagement-events")));
        print(
                ch,
                database,
                "SELECT reason, count() AS dead_letters FROM engagement.dead_letters FINAL GROUP BY reason ORDER BY dead_letters DESC");
    }

    /**
     * Messages = accepted + duplicates + dead letters + too late, from the outcome tables, with what
     * the numbers mean and why a difference can remain for a moment.
     */
    public static String accounting(ClickHouseHttp ch, String database, long inputMessages) throws IOException {
        long accepted = 0;
        long duplicates = 0;
        long deadLetters = 0;
        long tooLate = 0;
        String sql = AnalystQuery.load(java.nio.file.Path.of("sql/queries/reconciliation.sql"))
                .render(Map.of());
        for (String row : ch.execute(Database.qualify(sql, database) + "\nFORMAT TabSeparated")
                .split("\n")) {
            if (row.isBlank()) {
                continue;
            }
            String[] f = row.split("\t");
            accepted += Long.parseLong(f[2]);
            duplicates += Long.parseLong(f[3]);
            deadLetters += Long.parseLong(f[4]);
            tooLate += Long.parseLong(f[5]);
        }
        long accounted = accepted + duplicates + deadLetters + tooLate;
        StringBuilder out = new StringBuilder();
        out.append(String.format("  messages on engagement-events          %,12d%n", inputMessages));
        out.append(
                String.format("    accepted      (engagement_events)    %,12d   counted in every metric%n", accepted));
        out.append(String.format(
                "  + duplicates    (duplicate_events)     %,12d   client retries of an event id already seen, dropped%n",
                duplicates));
        out.append(String.format(
                "  + dead letters  (dead_letters, DLQ)    %,12d   rejected by validation, with the reason (below)%n",
                deadLetters));
        out.append(String.format(
                "  + too late      (late_events)          %,12d   older than watermark - allowed lateness, kept aside%n",
                tooLate));
        out.append(String.format("  = accounted                            %,12d%n", accounted));
        long missing = inputMessages - accounted;
        if (missing == 0) {
            out.append(
                    "  Every message is accounted for. 'engagement_events' counts accepted events only, so it is smaller\n"
                            + "  than the number of messages by the duplicates, dead letters and late events above.\n");
        } else if (missing > 0) {
            out.append(String.format(
                    "  %,d messages not accounted for yet: still in the job (rows reach ClickHouse within a second,%n"
                            + "  the job may be catching up). Run this report again: deploy/local/stack.sh report%n",
                    missing));
        } else {
            out.append(String.format(
                    "  %,d more outcome rows than messages: rows of an earlier run on the same tables (the topic was%n"
                            + "  recreated or trimmed by retention). Reconcile per partition with sql/queries/reconciliation.sql%n",
                    -missing));
        }
        return out.toString();
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    /** Runs a query that names the default database, in {@code database}. */
    private static void print(ClickHouseHttp ch, String database, String sql) throws IOException {
        System.out.print(ch.execute(Database.qualify(sql, database) + " FORMAT PrettyCompactNoEscapes"));
    }

    /** Messages visible to a read_committed consumer (transaction markers take offsets, so records are read and counted). */
    static long committedMessages(String bootstrap, Map<String, String> kafkaProperties, String topic) {
        Properties p = KafkaClientProperties.toProperties(kafkaProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            // With transactions, offsets include commit markers; count records by reading them.
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                count += consumer.poll(java.time.Duration.ofMillis(500)).count();
            }
            return count;
        }
    }
}
