package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Erasure of one user (GDPR article 17): deletes the user's rows from every table that holds a user
 * id, waits until ClickHouse has carried the deletes out, and reports the rows removed per table.
 *
 * <pre>
 * ENGAGEMENT_CLICKHOUSE_PASSWORD=... deploy/erase-user.sh user-42 [--url http://127.0.0.1:8123] [--database engagement] [--dry-run]
 * </pre>
 *
 * <p>Deletes are ClickHouse mutations ({@code ALTER TABLE ... DELETE WHERE}, 18.12 and later), which
 * rewrite the parts holding matching rows; the tool polls {@code system.mutations} until they are done.
 * The aggregates (content, creator, country, velocity rows) hold counts, and the unique-viewer states
 * hold 64-bit hashes, not ids: they keep the user's contribution to a count but no id. What remains
 * elsewhere (Kafka topics until their retention, Flink state) is in docs/clickhouse.md#erasing-a-user.
 *
 * <p>With {@code --kafka host:port} the tool also writes an erasure request for the user to the job's
 * erasures topic ({@code --erasures-topic}, default {@code engagement-erasures}): the job drops the
 * user's per-user signal state and writes a tombstone to the user-signals topic (docs/topics.md).
 *
 * <p>On a cluster ({@code --cluster} or {@code ENGAGEMENT_CLICKHOUSE_CLUSTER}, the layout of {@link ClusterLayout})
 * rows are counted through the Distributed tables and deleted from the local tables {@code ON CLUSTER};
 * the tool waits for the mutations of every shard.
 */
public final class EraseUser {

    /** A table holding user ids and the condition that selects one user's rows ({id} is the quoted id). */
    record Target(String table, String condition) {}

    static final List<Target> TARGETS = List.of(
            // ifNull: ClickHouse 18.16's DELETE mutation removes rows whose condition is NULL, so a plain
            // user_id = 'x' would also delete every anonymous (NULL user_id) row (EraseUserITCase).
            new Target("engagement_events", "ifNull(user_id, '') = {id}"),
            new Target("late_events", "ifNull(user_id, '') = {id}"),
            new Target("session_metrics", "ifNull(user_id, '') = {id}"),
            // The rejected message as received: the id can only be found in its text.
            new Target("dead_letters", "match(ifNull(payload, ''), {pattern})"));

    private EraseUser() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String usage = "\nusage: deploy/erase-user.sh <user_id> [--url URL] [--database DB] [--cluster C] [--dry-run]"
                + " [--kafka HOST:PORT [--erasures-topic TOPIC]]";
        String kafka = null;
        String erasuresTopic = DEFAULT_ERASURES_TOPIC;
        Map<String, String> options = new LinkedHashMap<>();
        boolean dryRun = false;
        String userId = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> options.put(ClickHouseSettings.URL.key(), args[++i]);
                case "--database" -> options.put(ClickHouseSettings.DATABASE.key(), args[++i]);
                case "--dry-run" -> dryRun = true;
                case "--cluster" -> options.put(ClickHouseSettings.CLUSTER.key(), args[++i]);
                case "--kafka" -> kafka = args[++i];
                case "--erasures-topic" -> erasuresTopic = args[++i];
                default -> {
                    if (args[i].startsWith("--") || userId != null) {
                        err.println("erase-user: unknown argument '" + args[i] + "'" + usage);
                        return 2;
                    }
                    userId = args[i];
                }
            }
        }
        if (userId == null || userId.isBlank()) {
            err.println("erase-user: no user id given" + usage);
            return 2;
        }
        ClickHouseSettings.Tool tool;
        try {
            tool = ClickHouseSettings.forTool(options, env);
        } catch (RuntimeException e) {
            err.println("erase-user: " + e.getMessage() + usage);
            return 2;
        }
        String database = tool.database();
        String cluster = tool.cluster() == null ? "" : tool.cluster();
        ClickHouseHttp clickhouse = tool.client();
        try {
            Map<String, long[]> report =
                    erase(clickhouse, database, userId, dryRun, cluster.isEmpty() ? null : cluster);
            out.printf(
                    "%s user %s in database %s%s:%n",
                    dryRun ? "Rows that erasing would remove for" : "Erased",
                    userId,
                    database,
                    cluster.isEmpty() ? "" : " on cluster " + cluster);
            long total = 0;
            for (Map.Entry<String, long[]> row : report.entrySet()) {
                out.printf(
                        "  %-20s %,8d rows %s%n",
                        row.getKey(), row.getValue()[0], dryRun ? "" : "removed (" + row.getValue()[1] + " left)");
                total += row.getValue()[0];
            }
            out.printf("  %-20s %,8d rows%n", "total", total);
            if (kafka != null && !dryRun) {
                out.println("  " + requestErasure(kafka, erasuresTopic, userId));
            } else if (kafka != null) {
                out.println("  would write an erasure request to " + erasuresTopic + " on " + kafka);
            }
            return 0;
        } catch (IOException e) {
            err.println("erase-user: " + ClickHouseHttp.oneLine(e));
            return 1;
        } catch (KafkaRequestFailed e) {
            err.println("erase-user: " + e.getMessage());
            return 1;
        }
    }

    static final String DEFAULT_ERASURES_TOPIC = "engagement-erasures";

    /** The erasure request could not be written: one line saying why. */
    static final class KafkaRequestFailed extends RuntimeException {
        KafkaRequestFailed(String message) {
            super(message);
        }
    }

    /**
     * Writes {@code {"user_id": ...}} keyed by the user to the erasures topic and waits for the broker's
     * acknowledgement (all replicas), so a reported request is one the job will read.
     */
    static String requestErasure(String bootstrap, String topic, String userId) {
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(org.apache.kafka.clients.producer.ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        String value =
                "{\"user_id\":\"" + jsonEscape(userId) + "\",\"requested_at\":\"" + java.time.Instant.now() + "\"}";
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                p,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var sent = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            topic,
                            userId.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            value.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .get(45, java.util.concurrent.TimeUnit.SECONDS);
            return "erasure request written to " + topic + " (partition " + sent.partition() + ", offset "
                    + sent.offset() + "): the job drops the user's signal state and writes a tombstone";
        } catch (java.util.concurrent.ExecutionException e) {
            throw new KafkaRequestFailed("cannot write the erasure request to " + topic + " on " + bootstrap + ": "
                    + e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new KafkaRequestFailed(
                    "cannot write the erasure request to " + topic + " on " + bootstrap + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaRequestFailed("interrupted while writing the erasure request");
        }
    }

    /**
     * Per table: rows of the user found before, and rows left after (0 unless a write raced the
     * delete). With {@code dryRun} nothing is deleted.
     */
    public static Map<String, long[]> erase(ClickHouseHttp clickhouse, String database, String userId, boolean dryRun)
            throws IOException {
        return erase(clickhouse, database, userId, dryRun, null);
    }

    /** The same on every shard of {@code cluster}, or on the one server when {@code cluster} is {@code null}. */
    public static Map<String, long[]> erase(
            ClickHouseHttp clickhouse, String database, String userId, boolean dryRun, String cluster)
            throws IOException {
        String on = ClusterLayout.onClusterClause(cluster);
        Map<String, long[]> report = new LinkedHashMap<>();
        List<Target> mutated = new ArrayList<>();
        for (Target target : TARGETS) {
            String where = condition(target, userId);
            long before = count(clickhouse, database, target.table(), where);
            report.put(target.table(), new long[] {before, before});
            if (!dryRun && before > 0) {
                clickhouse.execute("ALTER TABLE " + database + "." + ClusterLayout.rowsTable(target.table(), cluster)
                        + on + " DELETE WHERE " + where);
                mutated.add(target);
            }
        }
        // All deletes are issued first so that ClickHouse runs them side by side.
        for (Target target : mutated) {
            clickhouse.awaitMutations(database, ClusterLayout.rowsTable(target.table(), cluster), cluster);
            report.get(target.table())[1] = count(clickhouse, database, target.table(), condition(target, userId));
        }
        return report;
    }

    static String condition(Target target, String userId) {
        return target.condition()
                .replace("{id}", AnalystQuery.literal(AnalystQuery.Type.String, userId))
                .replace(
                        "{pattern}",
                        AnalystQuery.literal(
                                AnalystQuery.Type.String,
                                "\"user_id\"\\s*:\\s*\"" + regexQuote(jsonEscape(userId)) + "\""));
    }

    private static long count(ClickHouseHttp clickhouse, String database, String table, String where)
            throws IOException {
        return Long.parseLong(clickhouse
                .execute("SELECT count() FROM " + database + "." + table + " WHERE " + where)
                .trim());
    }

    /** The id as it appears inside a JSON string (clients escape quotes and backslashes). */
    static String jsonEscape(String id) {
        return id.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** RE2 syntax: ASCII punctuation escaped (RE2 takes any of it escaped as itself), the rest literal. */
    static String regexQuote(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 128 && !Character.isLetterOrDigit(c) && c > ' ' && c != 127) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
