package io.engagement.pipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engagement.pipeline.clickhouse.ApplySchema;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.loadgen.EventGenerator;
import io.engagement.pipeline.loadgen.TrafficSchedule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The stack benchmark's driver: each phase of deploy/bench-stack.sh is one sub-command against the real
 * local stack (Kafka broker, ClickHouse server, Flink standalone cluster). Figures go to stdout and to
 * a results file, from which {@code report} prints the comparison. It prints; it asserts nothing,
 * except that a run it reports on is complete (the reconciliation count equals the messages).
 *
 * <pre>
 * preload       --messages N            seeded realistic traffic into a fresh topic (Zipf, sessions, retries, disorder, bad messages)
 * limit         --threads K             plain KafkaConsumer + Jackson parse of every message: the ceiling
 * job           --parallelism P --label L   the job, every output on, bounded at the preloaded offsets
 * sql           --parallelism P         the Flink SQL peer (bench.FlinkSqlPeer)
 * kafka-engine                          ClickHouse's Kafka engine + minute and hour materialized views
 * latency       --rate R --seconds S [--warm-up-seconds W]   live traffic: window close -> row in ClickHouse / on the feedback topic
 * median        --of L1,L2,L3 --as L    the job run with the median rate of runs L1.. becomes run L (every figure of that run)
 * report                                the summary of every phase's figures
 * </pre>
 * Common options: --results FILE --kafka HOST:PORT --clickhouse http://HOST:PORT --flink http://HOST:PORT
 * --jar JOB_JAR --topic T --tm-pid PID.
 */
public final class StackBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The job's watermark.out-of-orderness default: a window closes this long after event time passed its end. */
    private static final long OUT_OF_ORDERNESS_MS = 30_000;

    private final Map<String, String> options;
    private final Path resultsFile;
    private final Properties results = new Properties();
    private final String kafka;
    private final String flink;
    private final ClickHouseHttp clickhouse;
    private final String topic;

    private StackBenchmark(Map<String, String> options) throws IOException {
        this.options = options;
        this.resultsFile = Path.of(option("results", "target/stack-bench/results.properties"));
        if (Files.exists(resultsFile)) {
            try (InputStream in = Files.newInputStream(resultsFile)) {
                results.load(in);
            }
        }
        this.kafka = option("kafka", "127.0.0.1:9092");
        this.flink = option("flink", "http://127.0.0.1:8081");
        this.clickhouse = new ClickHouseHttp(option("clickhouse", "http://127.0.0.1:8123"), "default", "");
        this.topic = option("topic", "bench-events");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException(
                    "usage: StackBenchmark preload|limit|job|sql|kafka-engine|latency|report [--option value ...]");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        StackBenchmark bench = new StackBenchmark(options);
        switch (args[0]) {
            case "preload" -> bench.preload();
            case "limit" -> bench.limit();
            case "job" -> bench.job();
            case "sql" -> bench.sqlPeer();
            case "kafka-engine" -> bench.kafkaEngine();
            case "latency" -> bench.latency();
            case "median" -> bench.median();
            case "report" -> bench.report();
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
        bench.save();
        System.exit(0); // Kafka clients' and the HTTP client's threads must not keep the JVM alive
    }

    // ---------------------------------------------------------------------------------------------
    // preload

    /**
     * Seven hours of traffic ending an hour ago, produced as fast as the broker takes it. The schedule
     * runs on a virtual clock at the rate that fits the message count into those hours, so event times,
     * send order, retries and disorder are those of live traffic, only compressed in wall time.
     */
    private void preload() throws Exception {
        long messages = Long.parseLong(option("messages", "3000000"));
        int partitions = Integer.parseInt(option("partitions", "4"));
        long seed = Long.parseLong(option("seed", "42"));
        EventGenerator generator = new EventGenerator(new EventGenerator.Settings(
                Integer.parseInt(option("contents", "20000")),
                Integer.parseInt(option("creators", "2000")),
                Integer.parseInt(option("users", "200000")),
                1.1,
                0.05,
                0.01,
                0.02,
                0.005,
                seed));
        recreateTopic(topic, partitions);
        long end = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        long start = end - Duration.ofHours(7).toMillis();
        double rate = messages / ((end - start) / 1000.0);
        TrafficSchedule schedule = new TrafficSchedule(generator, rate, start, TrafficSchedule.DEFAULT_WARM_UP_MS);
        long sent = 0;
        long wallStart = System.nanoTime();
        Progress progress = new Progress("preload", messages);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (long t = start; sent < messages; t += 100) {
                for (EventGenerator.Message m : schedule.due(t)) {
                    if (sent >= messages) {
                        break;
                    }
                    producer.send(new ProducerRecord<>(
                            topic,
                            null,
                            t,
                            m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8),
                            m.value().getBytes(StandardCharsets.UTF_8)));
                    sent++;
                }
                progress.at(sent);
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - wallStart) / 1e9;
        System.out.printf(
                "preloaded %,d messages into %s (%d partitions, seed %d) in %.1f s (%,.0f msg/s); event time %s .. %s%n",
                sent,
                topic,
                partitions,
                seed,
                seconds,
                sent / seconds,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(end));
        results.setProperty("messages", Long.toString(sent));
        results.setProperty("topic", topic);
    }

    // ---------------------------------------------------------------------------------------------
    // limit

    /** Consume the whole topic and parse every message into a Jackson tree, nothing else. */
    private void limit() throws Exception {
        int threads = Integer.parseInt(option("threads", "1"));
        long messages = messages();
        List<TopicPartition> partitions = partitions(topic);
        AtomicLong parsed = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long[] firstAndLast = {Long.MAX_VALUE, 0};
        for (int w = 0; w < threads; w++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int p = w; p < partitions.size(); p += threads) {
                mine.add(partitions.get(p));
            }
            Thread worker = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-limit-" + System.nanoTime(), false)) {
                    consumer.assign(mine);
                    consumer.seekToBeginning(mine);
                    Map<TopicPartition, Long> endOffsets = consumer.endOffsets(mine);
                    long remaining = endOffsets.values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
                    long count = 0;
                    long first = 0;
                    while (count < remaining) {
                        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                        if (first == 0 && !records.isEmpty()) {
                            first = System.nanoTime();
                        }
                        for (ConsumerRecord<byte[], byte[]> r : records) {
                            try {
                                JSON.readTree(r.value());
                            } catch (IOException malformed) {
                                // counted like a parsed one: the job reads it too (and dead-letters it)
                            }
                            count++;
                        }
                    }
                    parsed.addAndGet(count);
                    synchronized (firstAndLast) {
                        firstAndLast[0] = Math.min(firstAndLast[0], first);
                        firstAndLast[1] = Math.max(firstAndLast[1], System.nanoTime());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (firstAndLast[1] - firstAndLast[0]) / 1e9;
        double rate = parsed.get() / seconds;
        System.out.printf(
                "limit, %d thread(s): %,d of %,d messages consumed and parsed in %.1f s: %,.0f events/s%n",
                threads, parsed.get(), messages, seconds, rate);
        results.setProperty("limit." + threads, Double.toString(rate));
    }

    // ---------------------------------------------------------------------------------------------
    // job

    /** The job with every output on, on the preloaded topic, bounded at its end offsets. */
    private void job() throws Exception {
        int parallelism = Integer.parseInt(option("parallelism", "2"));
        String label = option("label", "p" + parallelism);
        long messages = messages();
        resetEngagementDatabase();
        recreateTopic("bench-dlq", 4);
        recreateTopic("bench-feedback", 4);
        recreateTopic("bench-alerts", 2);
        recreateTopic("bench-user-signals", 4);
        recreateTopic("bench-erasures", 1);
        String prefix = "bench-" + label + "-" + System.currentTimeMillis();
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers",
                kafka,
                "--kafka.input-topic",
                topic,
                "--kafka.starting-offsets",
                "earliest",
                "--kafka.stopping-offsets",
                "latest",
                "--kafka.group-id",
                prefix,
                "--kafka.transactional-id-prefix",
                prefix,
                "--kafka.dlq-topic",
                "bench-dlq",
                "--kafka.feedback-topic",
                "bench-feedback",
                "--kafka.alerts-topic",
                "bench-alerts",
                "--kafka.user-signals-topic",
                "bench-user-signals",
                "--kafka.erasures-topic",
                "bench-erasures",
                "--lateness.start-horizon",
                "none",
                "--clickhouse.url",
                jdbcUrl(),
                "--job.name",
                "bench-" + label));
        args.addAll(jobSettingsUnderTest());
        resetTmPeakMemory();
        String jobId = submit("io.engagement.pipeline.EngagementJob", args, parallelism);
        System.out.printf("job %s (%s, parallelism %d) submitted%n", jobId, label, parallelism);
        StackCpu cpu = StackCpu.start();
        long insertsAtStart = clickhouseInserts();
        RunSamples run = follow(jobId, messages, true);
        String coresUsed = cpu.coresSinceStart();
        String taskManagerCores = cpu.taskManagerSinceStart();
        String cpuPerMessage = cpu.microsPerMessageSinceStart(messages);
        double insertsPerSecond = (clickhouseInserts() - insertsAtStart) / run.seconds();
        long reconciled = reconciliationCount();
        double rate = messages / run.seconds();
        double rateToRows = run.reconciledAtMs > 0 ? messages / ((run.reconciledAtMs - run.firstRecordMs) / 1000.0) : 0;
        System.out.printf(
                "job %s: %,d messages, first record to job finished (every window fired, every row flushed): %.1f s: %,.0f events/s%n",
                label, messages, run.seconds(), rate);
        System.out.printf(
                "job %s: first record to reconciliation count = messages in ClickHouse: %s%n",
                label,
                run.reconciledAtMs > 0
                        ? String.format(
                                "%.1f s: %,.0f events/s", (run.reconciledAtMs - run.firstRecordMs) / 1000.0, rateToRows)
                        : "not reached");
        System.out.printf(
                "job %s: reconciliation in ClickHouse: accepted + duplicates + dead letters + too late = %,d (messages %,d)%s%n",
                label, reconciled, messages, reconciled == messages ? "" : "  <-- INCOMPLETE RUN, figures not valid");
        System.out.printf(
                "job %s: cores used over the run: %s; ClickHouse inserts %.1f/s%n", label, coresUsed, insertsPerSecond);
        System.out.printf("job %s: TaskManager cores by kind: %s%n", label, taskManagerCores);
        System.out.printf("job %s: CPU per message (µs): %s%n", label, cpuPerMessage);
        results.setProperty("job." + label + ".cores", coresUsed);
        results.setProperty("job." + label + ".cpu-us-per-message", cpuPerMessage);
        results.setProperty("job." + label + ".tm-cores", taskManagerCores);
        results.setProperty("job." + label + ".clickhouse-inserts-per-s", String.format("%.1f", insertsPerSecond));
        run.printVertices();
        checkpointsAndState(jobId, label, run);
        long peakRss = tmPeakRssKb();
        if (peakRss > 0) {
            System.out.printf("job %s: TaskManager peak RSS %,d MB%n", label, peakRss / 1024);
            results.setProperty("job." + label + ".tm-peak-rss-mb", Long.toString(peakRss / 1024));
        }
        results.setProperty("job." + label, Double.toString(reconciled == messages ? rate : 0));
        results.setProperty("job." + label + ".to-rows", Double.toString(rateToRows));
        results.setProperty("job." + label + ".bottleneck", run.bottleneck());
    }

    private void resetEngagementDatabase() throws IOException {
        clickhouse.execute("DROP DATABASE IF EXISTS engagement");
        ApplySchema.apply(clickhouse, Path.of("sql/ddl"));
    }

    /** INSERT statements the ClickHouse server has run since it started (its own counter). */
    private long clickhouseInserts() throws IOException {
        String value = clickhouse
                .execute("SELECT sum(value) FROM system.events WHERE event = 'InsertQuery'")
                .trim();
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    /** Rows that account for every message (docs/guarantees.md, "reconciliation"). */
    private long reconciliationCount() throws IOException {
        return Long.parseLong(clickhouse
                .execute("SELECT (SELECT count() FROM engagement.engagement_events)"
                        + " + (SELECT count() FROM engagement.duplicate_events) + (SELECT count() FROM engagement.dead_letters)"
                        + " + (SELECT count() FROM engagement.late_events WHERE reason NOT LIKE 'window closed%')")
                .trim());
    }

    /** Flink's own checkpoint statistics, and state size per million contents / event ids from the last checkpoint. */
    private void checkpointsAndState(String jobId, String label, RunSamples run) throws Exception {
        JsonNode checkpoints = rest("GET", "/jobs/" + jobId + "/checkpoints", null);
        JsonNode summary = checkpoints.path("summary");
        long completed = checkpoints.path("counts").path("completed").asLong();
        long failed = checkpoints.path("counts").path("failed").asLong();
        System.out.printf(
                "job %s: checkpoints %d completed, %d failed; end-to-end duration avg %d ms, p99 %s ms, max %d ms;"
                        + " full state size avg %,d KB, max %,d KB; incremental upload max %,d KB%n",
                label,
                completed,
                failed,
                summary.path("end_to_end_duration").path("avg").asLong(),
                summary.path("end_to_end_duration").path("p99").asText("?"),
                summary.path("end_to_end_duration").path("max").asLong(),
                summary.path("state_size").path("avg").asLong() / 1024,
                summary.path("state_size").path("max").asLong() / 1024,
                summary.path("checkpointed_size").path("max").asLong() / 1024);
        results.setProperty(
                "job." + label + ".checkpoint-avg-ms",
                summary.path("end_to_end_duration").path("avg").asText());
        results.setProperty(
                "job." + label + ".checkpoint-max-ms",
                summary.path("end_to_end_duration").path("max").asText());
        results.setProperty(
                "job." + label + ".checkpoint-max-kb",
                Long.toString(summary.path("state_size").path("max").asLong() / 1024));
        // The largest completed checkpoint: taken late in the run, when the dedup horizon and the
        // windows hold the most. Its per-operator sizes over what those operators hold then.
        JsonNode largest = null;
        List<String> sizes = new ArrayList<>();
        for (JsonNode c : checkpoints.path("history")) {
            if ("COMPLETED".equals(c.path("status").asText())) {
                sizes.add(0, Long.toString(c.path("state_size").asLong() / 1024));
                if (largest == null
                        || c.path("state_size").asLong()
                                > largest.path("state_size").asLong()) {
                    largest = c;
                }
            }
        }
        System.out.printf(
                "job %s: full state size of each completed checkpoint in order (KB, last %d): %s%n",
                label, sizes.size(), sizes);
        if (largest == null) {
            return;
        }
        JsonNode details = rest(
                "GET",
                "/jobs/" + jobId + "/checkpoints/details/" + largest.path("id").asLong(),
                null);
        Map<String, String> names = vertexNames(jobId);
        long dedupBytes = 0;
        long contentBytes = 0;
        TreeMap<Long, String> perVertex = new TreeMap<>(Collections.reverseOrder());
        for (Map.Entry<String, JsonNode> task : iterable(details.path("tasks"))) {
            String name = names.getOrDefault(task.getKey(), task.getKey());
            long bytes = task.getValue().path("state_size").asLong();
            perVertex.put(bytes * 1000 + perVertex.size(), name + ": " + bytes / 1024 + " KB");
            if (name.startsWith("Drop duplicates")) {
                dedupBytes += bytes;
            } else if (name.startsWith("Content metrics per")) {
                contentBytes += bytes;
            }
        }
        long ids = Long.parseLong(clickhouse
                .execute("SELECT uniqExact(event_id) FROM engagement.engagement_events")
                .trim());
        long contents = Long.parseLong(clickhouse
                .execute("SELECT uniqExact(content_id) FROM engagement.engagement_events")
                .trim());
        double fraction = Math.min(
                1.0,
                (largest.path("trigger_timestamp").asLong() - run.firstRecordMs)
                        / (double) Math.max(1, run.lastRecordMs - run.firstRecordMs));
        System.out.printf(
                "job %s: checkpoint %d (%.0f %% into the run), largest state per operator: %s%n",
                label, largest.path("id").asLong(), 100 * fraction, String.join("; ", perVertex.values()));
        // Ids in the dedup horizon at that checkpoint ~ the share of the run's distinct ids read by then
        // (the 6 h horizon covers the whole 7 h run but its first hour). Contents: all live by then (Zipf).
        double idsThen = ids * fraction;
        System.out.printf(
                "job %s: state per million event ids in the dedup horizon: %,.0f MB (%,d KB for ~%,.0f ids);"
                        + " content windows per million live contents: %,.0f MB (%,d KB for %,d contents)%n",
                label,
                dedupBytes / idsThen,
                dedupBytes / 1024,
                idsThen,
                contentBytes / (double) contents,
                contentBytes / 1024,
                contents);
        results.setProperty("job." + label + ".dedup-mb-per-million-ids", String.format("%.0f", dedupBytes / idsThen));
        results.setProperty(
                "job." + label + ".content-mb-per-million-contents",
                String.format("%.0f", contentBytes / (double) contents));
    }

    // ---------------------------------------------------------------------------------------------
    // Flink SQL peer

    private void sqlPeer() throws Exception {
        int parallelism = Integer.parseInt(option("parallelism", "2"));
        long messages = messages();
        clickhouse.execute("CREATE DATABASE IF NOT EXISTS bench_sql");
        clickhouse.execute("DROP TABLE IF EXISTS " + FlinkSqlPeer.TABLE);
        clickhouse.execute(
                "CREATE TABLE " + FlinkSqlPeer.TABLE + " (grain String, window_start DateTime, content_id String,"
                        + " impressions UInt64, views UInt64, completions UInt64, likes UInt64, comments UInt64, shares UInt64,"
                        + " saves UInt64, watch_time_ms Int64, unique_viewers UInt64) ENGINE = MergeTree ORDER BY (grain, content_id, window_start)");
        String jobId = submit(
                FlinkSqlPeer.class.getName(),
                List.of(
                        "--bootstrap-servers",
                        kafka,
                        "--topic",
                        topic,
                        "--group-id",
                        "bench-sql-" + System.currentTimeMillis(),
                        "--clickhouse-url",
                        jdbcUrl()),
                parallelism);
        StackCpu cpu = StackCpu.start();
        RunSamples run = follow(jobId, messages, false);
        String coresUsed = cpu.coresSinceStart();
        String taskManagerCores = cpu.taskManagerSinceStart();
        String cpuPerMessage = cpu.microsPerMessageSinceStart(messages);
        double rate = messages / run.seconds();
        String rows = clickhouse
                .execute("SELECT grain, count(), sum(views) FROM " + FlinkSqlPeer.TABLE
                        + " GROUP BY grain ORDER BY grain FORMAT TSV")
                .trim();
        System.out.printf(
                "Flink SQL peer, parallelism %d: %,d messages, first record to job finished: %.1f s: %,.0f events/s%n",
                parallelism, messages, run.seconds(), rate);
        System.out.printf(
                "Flink SQL peer: rows written (grain, windows, views): %s%n",
                rows.replace('\n', ';').replace('\t', ' '));
        System.out.printf("Flink SQL peer: cores used over the run: %s%n", coresUsed);
        System.out.printf("Flink SQL peer: TaskManager cores by kind: %s%n", taskManagerCores);
        System.out.printf("Flink SQL peer: CPU per message (µs): %s%n", cpuPerMessage);
        results.setProperty("sql.p" + parallelism + ".cpu-us-per-message", cpuPerMessage);
        results.setProperty("sql.p" + parallelism + ".cores", coresUsed);
        results.setProperty("sql.p" + parallelism + ".tm-cores", taskManagerCores);
        run.printVertices();
        results.setProperty("sql.p" + parallelism, Double.toString(rate));
        results.setProperty("sql.p" + parallelism + ".bottleneck", run.bottleneck());
    }

    // ---------------------------------------------------------------------------------------------
    // ClickHouse Kafka engine

    /**
     * ClickHouse reading the same topic itself: a Kafka engine table (JSONEachRow) and two materialized
     * views counting per content and minute / hour. No validation beyond parsing, no dedup, no event-time
     * windows (rows group by the event time they carry, whenever they arrive), no late handling.
     */
    private void kafkaEngine() throws Exception {
        long messages = messages();
        // ClickHouse 18.16's Kafka engine has no kafka_skip_broken_messages and rejects unknown JSON
        // fields: one malformed message stops it. It reads a copy of the topic with the messages that
        // are JSON objects, cut to the six fields it uses (a smaller, cleaner input than the job gets).
        String engineTopic = topic + "-for-clickhouse";
        long parseable = copyParseable(engineTopic);
        System.out.printf(
                "copied %,d of %,d messages (JSON objects, 6 fields) to %s for the Kafka engine%n",
                parseable, messages, engineTopic);
        clickhouse.execute("DROP DATABASE IF EXISTS bench_kafka");
        clickhouse.execute("CREATE DATABASE bench_kafka");
        for (String grain : List.of("minute", "hour")) {
            clickhouse.execute(
                    "CREATE TABLE bench_kafka.content_" + grain + " (window_start DateTime, content_id String,"
                            + " events UInt64, impressions UInt64, views UInt64, completions UInt64, likes UInt64, shares UInt64,"
                            + " watch_time_ms Int64, viewers AggregateFunction(uniq, String))"
                            + " ENGINE = AggregatingMergeTree ORDER BY (content_id, window_start)");
        }
        clickhouse.execute("CREATE TABLE bench_kafka.queue (event_id String, event_type String, content_id String,"
                + " user_id String, event_time UInt64, watch_time_ms Int64)"
                + " ENGINE = Kafka SETTINGS kafka_broker_list = '" + kafka + "', kafka_topic_list = '" + engineTopic
                + "',"
                + " kafka_group_name = 'bench-clickhouse-" + System.currentTimeMillis()
                + "', kafka_format = 'JSONEachRow',"
                + " kafka_num_consumers = " + option("consumers", "2") + "");
        long start = System.currentTimeMillis();
        for (String grain : List.of("minute", "hour")) {
            String bucket = grain.equals("minute") ? "toStartOfMinute" : "toStartOfHour";
            clickhouse.execute("CREATE MATERIALIZED VIEW bench_kafka.mv_" + grain + " TO bench_kafka.content_" + grain
                    + " AS SELECT "
                    + bucket + "(toDateTime(intDiv(event_time, 1000))) AS window_start, content_id, count() AS events,"
                    + " countIf(event_type = 'impression') AS impressions, countIf(event_type = 'view_start') AS views,"
                    + " countIf(event_type = 'view_complete') AS completions, countIf(event_type = 'like') AS likes,"
                    + " countIf(event_type = 'share') AS shares, sum(watch_time_ms) AS watch_time_ms, uniqState(user_id) AS viewers"
                    + " FROM bench_kafka.queue GROUP BY window_start, content_id");
        }
        // No end-of-input signal: done when every copied row is counted, or the count stopped growing for 15 s.
        long last = -1;
        long firstRowsAt = 0;
        long lastChangeAt = start;
        while ((firstRowsAt == 0
                        ? System.currentTimeMillis() - start < 120_000
                        : System.currentTimeMillis() - lastChangeAt < 15_000)
                && System.currentTimeMillis() - start < 1_800_000) {
            Thread.sleep(250);
            long now = System.currentTimeMillis();
            String answer = clickhouse
                    .execute("SELECT sum(events) FROM bench_kafka.content_minute")
                    .trim();
            long count = answer.isEmpty() ? 0 : Long.parseLong(answer); // 18.16: no row for an empty table
            if (count > 0 && firstRowsAt == 0) {
                firstRowsAt = now;
            }
            if (count != last) {
                last = count;
                lastChangeAt = now;
            }
            if (count >= parseable) {
                break;
            }
        }
        clickhouse.execute("DROP TABLE bench_kafka.mv_minute");
        clickhouse.execute("DROP TABLE bench_kafka.mv_hour");
        clickhouse.execute("DROP TABLE bench_kafka.queue");
        // From the views' creation (the engine starts consuming then; includes its ~3 s consumer-group
        // join, which the job's source does not have) to the last count.
        double seconds = (lastChangeAt - start) / 1000.0;
        double rate = last / Math.max(0.001, seconds);
        System.out.printf(
                "ClickHouse Kafka engine + 2 MVs: %,d of %,d copied rows counted, views created to last rows: %.1f s: %,.0f events/s%n",
                last, parseable, seconds, rate);
        results.setProperty("kafka-engine", Double.toString(last >= parseable ? rate : 0));
    }

    private long copyParseable(String target) throws Exception {
        recreateTopic(target, partitions(topic).size());
        long copied = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-copy-" + System.nanoTime(), false);
                KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = partitions(topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long remaining = consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            while (remaining > 0) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    remaining--;
                    JsonNode event;
                    try {
                        event = JSON.readTree(r.value());
                    } catch (IOException malformed) {
                        continue;
                    }
                    if (event == null || !event.isObject()) {
                        continue;
                    }
                    ObjectNode cut = JSON.createObjectNode();
                    for (String field :
                            List.of("event_id", "event_type", "content_id", "user_id", "event_time", "watch_time_ms")) {
                        if (event.hasNonNull(field)) {
                            cut.set(field, event.get(field));
                        }
                    }
                    producer.send(new ProducerRecord<>(
                            target, r.partition(), r.timestamp(), r.key(), JSON.writeValueAsBytes(cut)));
                    copied++;
                }
            }
            producer.flush();
        }
        return copied;
    }

    // ---------------------------------------------------------------------------------------------
    // latency

    /**
     * Live traffic at a fixed rate (event time = now) into a fresh topic read by a fresh job. A minute
     * window can close when the watermark (newest event time - out-of-orderness, the smallest over the
     * partitions) passes its end: the moment the last partition was sent its first event at or past
     * window_end + 30 s, by that event's produce time (so clients' send delays, which hold back the
     * watermark, do not count). The latency of a row is when it is first seen (ClickHouse polled every
     * 100 ms, the feedback topic read read_committed) minus that moment.
     */
    private void latency() throws Exception {
        double rate = Double.parseDouble(option("rate", "2000"));
        int seconds = Integer.parseInt(option("seconds", "150"));
        // Windows that can close in the first warm-up seconds of the traffic are reported apart: the fresh
        // job starts on a backlog (the schedule's sessions already under way) with cold JIT.
        long warmUpMs = Long.parseLong(option("warm-up-seconds", "60")) * 1000;
        int parallelism = Integer.parseInt(option("parallelism", "2"));
        String liveTopic = topic + "-live";
        recreateTopic(liveTopic, 4);
        resetEngagementDatabase();
        String prefix = "bench-live-" + System.currentTimeMillis();
        String feedback = "bench-feedback-live";
        recreateTopic(feedback, 4);
        recreateTopic("bench-dlq", 4);
        recreateTopic("bench-alerts", 2);
        recreateTopic("bench-user-signals", 4);
        recreateTopic("bench-erasures", 1);
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers",
                kafka,
                "--kafka.input-topic",
                liveTopic,
                "--kafka.starting-offsets",
                "earliest",
                "--kafka.group-id",
                prefix,
                "--kafka.transactional-id-prefix",
                prefix,
                "--kafka.dlq-topic",
                "bench-dlq",
                "--kafka.feedback-topic",
                feedback,
                "--kafka.alerts-topic",
                "bench-alerts",
                "--kafka.user-signals-topic",
                "bench-user-signals",
                "--kafka.erasures-topic",
                "bench-erasures",
                "--lateness.start-horizon",
                "none",
                "--clickhouse.url",
                jdbcUrl(),
                "--job.name",
                "bench-latency"));
        args.addAll(jobSettingsUnderTest());
        // Every message the job reads moves its watermark, the probes' too: all are recorded.
        WindowCloseTimes closeTimes = new WindowCloseTimes(4, OUT_OF_ORDERNESS_MS);
        SurgeProbes surges = new SurgeProbes(liveTopic, "bench-alerts", seconds, closeTimes);
        String jobId = submit("io.engagement.pipeline.EngagementJob", args, parallelism);
        waitRunning(jobId);
        long interval = checkpointIntervalMs(jobId);
        AtomicBoolean stop = new AtomicBoolean();
        Map<Long, List<Long>> clickhouseSeen = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Long, List<Long>> feedbackSeen = new java.util.concurrent.ConcurrentHashMap<>();
        Thread poller = new Thread(() -> pollContentMetrics(stop, clickhouseSeen));
        Thread reader = new Thread(() -> readFeedback(feedback, stop, feedbackSeen));
        poller.start();
        reader.start();
        FreshnessProbes probes = new FreshnessProbes(liveTopic, prefix, closeTimes);
        EventGenerator generator =
                new EventGenerator(new EventGenerator.Settings(20000, 2000, 200000, 1.1, 0.05, 0.01, 0.02, 0.005, 7));
        long scheduleStart = System.currentTimeMillis();
        TrafficSchedule schedule =
                new TrafficSchedule(generator, rate, scheduleStart, TrafficSchedule.DEFAULT_WARM_UP_MS);
        long sent = 0;
        long start = System.currentTimeMillis();
        Progress progress = new Progress("latency traffic", (long) (rate * seconds));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            while (System.currentTimeMillis() - start < seconds * 1000L) {
                for (EventGenerator.Message m : schedule.due(System.currentTimeMillis() - (start - scheduleStart))) {
                    long eventTime = eventTimeOf(m.value());
                    long producedAt = System.currentTimeMillis();
                    producer.send(
                            new ProducerRecord<>(
                                    liveTopic,
                                    m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8),
                                    m.value().getBytes(StandardCharsets.UTF_8)),
                            (metadata, error) -> {
                                if (error == null) {
                                    closeTimes.produced(metadata.partition(), eventTime, producedAt);
                                }
                            });
                    sent++;
                }
                probes.maybeSend(producer);
                surges.maybeSend(producer);
                progress.at(sent);
                Thread.sleep(5);
            }
        }
        // Windows ending up to 30 s before the last event time have closed; give their rows time to land.
        Thread.sleep(interval + 5_000);
        probes.awaitSeen(Duration.ofSeconds(90));
        surges.awaitAlerts(Duration.ofSeconds(30));
        stop.set(true);
        poller.join();
        reader.join();
        probes.close();
        // A message on the feedback topic commits with the checkpoint after it, so that topic's p99 is
        // about the interval plus a checkpoint's duration: the durations are this phase's own figure,
        // and 30 of them (300 s at 10 s) say more than the p99 of six closings.
        JsonNode checkpointSummary = rest("GET", "/jobs/" + jobId + "/checkpoints", null);
        rest("PATCH", "/jobs/" + jobId + "?mode=cancel", null);
        printCheckpointDurations(checkpointSummary);
        System.out.printf(
                "latency at %,.0f messages/s for %d s (%,d sent), parallelism %d, checkpoint interval %d ms;"
                        + " from the produce time of the event that let each minute window close"
                        + " (windows that could close in the first %d s apart):%n",
                rate, seconds, sent, parallelism, interval, warmUpMs / 1000);
        long steadyFrom = start + warmUpMs;
        printLatency(
                "window can close -> row visible in ClickHouse content_metrics",
                closeTimes.latencies(clickhouseSeen, steadyFrom),
                "latency.clickhouse");
        printLatency(
                "  the same, every window (the warm-up's too)",
                closeTimes.latencies(clickhouseSeen, Long.MIN_VALUE),
                "latency.clickhouse.all");
        printClosings(closeTimes.byWindowEnd(clickhouseSeen, Long.MIN_VALUE));
        printLatency(
                "window can close -> message on the feedback topic (read_committed)",
                closeTimes.latencies(feedbackSeen, steadyFrom),
                "latency.feedback");
        printLatency(
                "  the same, every window (the warm-up's too)",
                closeTimes.latencies(feedbackSeen, Long.MIN_VALUE),
                "latency.feedback.all");
        printClosings(closeTimes.byWindowEnd(feedbackSeen, Long.MIN_VALUE));
        printLatency(
                "event acknowledged by Kafka -> counted by GET /v1/content/{id}/metrics",
                probes.latencies(),
                "latency.freshness");
        printLatency(
                "planted surge (first event acknowledged) -> its spike alert on the alerts topic",
                surges.latencies(),
                "latency.alert");
        System.out.printf(
                "  planted surges %d, spike alerts for them %d, other alerts %d %s%n",
                surges.planted(),
                surges.latencies().size(),
                surges.otherAlerts().size(),
                surges.otherAlerts());
        results.setProperty("latency.alert.planted", Integer.toString(surges.planted()));
        results.setProperty(
                "latency.alert.other", Integer.toString(surges.otherAlerts().size()));
        surges.close();
        if (probes.unseen() > 0) {
            System.out.printf(
                    "  %,d of %,d freshness probes not counted within 90 s of the traffic's end%n",
                    probes.unseen(), probes.sent());
        }
        results.setProperty("latency.freshness.unseen", Long.toString(probes.unseen()));
        results.setProperty("latency.rate", Double.toString(rate));
        results.setProperty("latency.checkpoint-interval-ms", Long.toString(interval));
    }

    /** The latency job's completed checkpoints, trigger to completion (Flink's summary over the whole run). */
    private void printCheckpointDurations(JsonNode checkpoints) {
        JsonNode duration = checkpoints.path("summary").path("end_to_end_duration");
        System.out.printf(
                "latency phase: checkpoints %d completed, %d failed; end-to-end duration p50 %s, p90 %s, p99 %s, max %s ms%n",
                checkpoints.path("counts").path("completed").asLong(),
                checkpoints.path("counts").path("failed").asLong(),
                duration.path("p50").asText("?"),
                duration.path("p90").asText("?"),
                duration.path("p99").asText("?"),
                duration.path("max").asText("?"));
        results.setProperty("latency.checkpoint-p50-ms", duration.path("p50").asText("?"));
        results.setProperty("latency.checkpoint-p90-ms", duration.path("p90").asText("?"));
    }

    /**
     * Alert latency (issue "Live", point 5): {@link #CONTENTS} contents of their own get 45 minutes of
     * history before the job starts (10 views a minute, event times in the past, so each is warm), then
     * 10 views a minute live, and each one planted surge of 100 views at once, spread over the first
     * part of the live traffic (late enough in it that the surge's minute closes while traffic still
     * moves the watermark). A surge's latency is the first read_committed sight of its spike alert on the
     * alerts topic minus Kafka's acknowledgement of the surge's first event. Any other alert is counted
     * (a false alert: steady contents must raise none).
     */
    private final class SurgeProbes implements AutoCloseable {
        private final WindowCloseTimes closeTimes;
        static final int CONTENTS = 12;
        private static final int HISTORY_MINUTES = 45;
        private static final int VIEWS_PER_MINUTE = 10;
        private static final int SURGE_VIEWS = 100;
        private final String topic;
        private final long[] surgeAtMs = new long[CONTENTS];
        private final boolean[] surged = new boolean[CONTENTS];
        private final Map<String, Long> surgeAcked = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> spikeSeen = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<String> other = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread reader;
        private long nextSteadyAtMs;
        private long seq;

        SurgeProbes(String topic, String alertsTopic, int seconds, WindowCloseTimes closeTimes) throws Exception {
            this.closeTimes = closeTimes;
            this.topic = topic;
            long now = System.currentTimeMillis();
            long firstMinute = (now / 60_000 - HISTORY_MINUTES) * 60_000;
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (long minute = firstMinute; minute < now - 60_000; minute += 60_000) {
                    for (int c = 0; c < CONTENTS; c++) {
                        for (int v = 0; v < VIEWS_PER_MINUTE; v++) {
                            send(producer, c, minute + v * 5_000L + c * 100L, null);
                        }
                    }
                }
                producer.flush();
            }
            // Surges between 10 s into the traffic and 100 s before its end: each minute closes (its end
            // plus the 30 s out-of-orderness) while live events still move the watermark.
            long span = Math.max(CONTENTS, (seconds - 110) * 1000L);
            for (int c = 0; c < CONTENTS; c++) {
                surgeAtMs[c] = 10_000 + c * span / CONTENTS; // offsets, made absolute at the first send
            }
            reader = new Thread(() -> read(alertsTopic), "bench-alert-reader");
            reader.start();
        }

        private String content(int c) {
            return "bench-surge-" + c;
        }

        private void send(KafkaProducer<byte[], byte[]> producer, int c, long eventTime, Runnable acked) {
            String id = "surge-" + c + "-" + (seq++);
            String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"view_start\",\"content_id\":\"" + content(c)
                    + "\",\"creator_id\":\"bench-surge-creator\",\"user_id\":\"su" + seq
                    + "\",\"session_id\":\"ss" + seq + "\",\"event_time\":" + eventTime + "}";
            long producedAt = System.currentTimeMillis();
            producer.send(
                    new ProducerRecord<>(
                            topic, content(c).getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)),
                    (metadata, error) -> {
                        if (error == null) {
                            closeTimes.produced(metadata.partition(), eventTime, producedAt);
                            if (acked != null) {
                                acked.run();
                            }
                        }
                    });
        }

        private long liveStartMs;

        /** Called in the traffic loop: the steady views, and each surge when its time comes. */
        void maybeSend(KafkaProducer<byte[], byte[]> producer) {
            long now = System.currentTimeMillis();
            if (liveStartMs == 0) {
                liveStartMs = now;
                nextSteadyAtMs = now;
            }
            if (now >= nextSteadyAtMs) { // one view per content every 6 s: 10 a minute
                for (int c = 0; c < CONTENTS; c++) {
                    send(producer, c, now, null);
                }
                nextSteadyAtMs += 6_000;
            }
            for (int c = 0; c < CONTENTS; c++) {
                if (!surged[c] && now - liveStartMs >= surgeAtMs[c]) {
                    surged[c] = true;
                    String key = content(c);
                    for (int v = 0; v < SURGE_VIEWS; v++) {
                        send(producer, c, now, v == 0 ? () -> surgeAcked.put(key, System.currentTimeMillis()) : null);
                    }
                }
            }
        }

        private void read(String alertsTopic) {
            try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-alert-reader-" + System.nanoTime(), true)) {
                consumer.subscribe(List.of(alertsTopic));
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        JsonNode alert = JSON.readTree(r.value());
                        String content = alert.path("content_id").asText();
                        if ("spike".equals(alert.path("kind").asText()) && content.startsWith("bench-surge-")) {
                            if (spikeSeen.putIfAbsent(content, now) != null) {
                                other.add("second spike " + content);
                            }
                        } else {
                            other.add(alert.path("kind").asText() + " " + content);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void awaitAlerts(Duration atMost) throws InterruptedException {
            long deadline = System.currentTimeMillis() + atMost.toMillis();
            while (System.currentTimeMillis() < deadline && spikeSeen.size() < surgeAcked.size()) {
                Thread.sleep(200);
            }
        }

        int planted() {
            return surgeAcked.size();
        }

        List<Long> latencies() {
            List<Long> latencies = new ArrayList<>();
            surgeAcked.forEach((content, acked) -> {
                Long seen = spikeSeen.get(content);
                if (seen != null) {
                    latencies.add(seen - acked);
                }
            });
            return latencies;
        }

        List<String> otherAlerts() {
            return List.copyOf(other);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            reader.join();
        }
    }

    /**
     * Freshness as a creator sees it (issue "Live"): during the live traffic, every 2 s one view of a
     * content of its own (event time = now); the HTTP service, started here on the same ClickHouse, is
     * asked every second for that content's metrics of the day (GET /v1/content/{id}/metrics, the hour
     * windows, so the open hour's provisional row) until it counts the view. The latency of a probe is
     * the first answer counting it minus Kafka's acknowledgement of the event.
     */
    private final class FreshnessProbes implements AutoCloseable {
        private final WindowCloseTimes closeTimes;
        private static final long EVERY_MS = 2_000;
        private static final String KEY = "bench-freshness-admin-key-0123456789";
        private final String topic;
        private final String prefix;
        private final io.engagement.pipeline.service.EngagementService service;
        private final HttpClient http = HttpClient.newHttpClient();
        private final Map<String, Long> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> counted = new java.util.concurrent.ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread poller;
        private long nextAtMs = System.currentTimeMillis();
        private int sent;

        FreshnessProbes(String topic, String prefix, WindowCloseTimes closeTimes) throws Exception {
            this.closeTimes = closeTimes;
            this.topic = topic;
            this.prefix = prefix;
            io.engagement.pipeline.service.ServiceConfig config = io.engagement.pipeline.service.ServiceConfig.from(
                    new String[] {
                        "--service.port",
                        "0",
                        "--kafka.bootstrap-servers",
                        kafka,
                        "--kafka.input-topic",
                        topic,
                        "--clickhouse.url",
                        option("clickhouse", "http://127.0.0.1:8123"),
                        "--service.rate-limit.analytics-per-minute",
                        "1000000"
                    },
                    Map.of("ENGAGEMENT_SERVICE_API_KEYS", "bench:" + KEY + ":admin"));
            service = new io.engagement.pipeline.service.EngagementService(
                            config, io.engagement.pipeline.service.EventPublisher.forConfig(config), clickhouse)
                    .start();
            poller = new Thread(this::poll, "freshness-poller");
            poller.start();
        }

        void maybeSend(KafkaProducer<byte[], byte[]> producer) {
            long now = System.currentTimeMillis();
            if (now < nextAtMs) {
                return;
            }
            nextAtMs = now + EVERY_MS;
            String id = prefix + "-probe-" + sent++;
            String json = "{\"event_id\":\"" + id + "\",\"event_type\":\"view_start\",\"content_id\":\"" + id
                    + "\",\"creator_id\":\"bench-probe\",\"user_id\":\"" + id + "\",\"session_id\":\"" + id
                    + "\",\"event_time\":" + now + "}";
            producer.send(
                    new ProducerRecord<>(
                            topic, id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)),
                    (metadata, error) -> {
                        if (error == null) {
                            closeTimes.produced(metadata.partition(), now, now);
                            acknowledged.put(id, System.currentTimeMillis());
                        }
                    });
        }

        private void poll() {
            String base = "http://127.0.0.1:" + service.port() + "/v1/content/";
            while (!stop.get()) {
                for (String id : acknowledged.keySet()) {
                    if (counted.containsKey(id)) {
                        continue;
                    }
                    try {
                        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
                        HttpResponse<String> response = http.send(
                                HttpRequest.newBuilder(URI.create(base + id + "/metrics?from=" + today.minusDays(1)
                                                + "&to=" + today.plusDays(2)))
                                        .header("Authorization", "Bearer " + KEY)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        JsonNode views = response.statusCode() == 200
                                ? JSON.readTree(response.body()).findValue("total_views")
                                : null;
                        if (views != null && views.asLong() >= 1) {
                            counted.put(id, System.currentTimeMillis());
                        }
                    } catch (Exception e) {
                        System.err.println("freshness probe " + id + ": " + e.getMessage());
                    }
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void awaitSeen(Duration timeout) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (unseen() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
        }

        long sent() {
            return sent;
        }

        long unseen() {
            return sent - counted.size();
        }

        List<Long> latencies() {
            List<Long> latencies = new ArrayList<>();
            for (Map.Entry<String, Long> seen : counted.entrySet()) {
                latencies.add(seen.getValue() - acknowledged.get(seen.getKey()));
            }
            return latencies;
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            poller.join();
            service.close();
        }
    }

    /** BENCH_JOB_ARGS="--views.validation on": job settings for an A/B of a setting on the stack (every job run). */
    private static List<String> jobSettingsUnderTest() {
        String extra = System.getenv().getOrDefault("BENCH_JOB_ARGS", "").trim();
        if (extra.isEmpty()) {
            return List.of();
        }
        System.out.println("job settings added: " + extra);
        return List.of(extra.split("\\s+"));
    }

    /** The event time of a generated message, or Long.MIN_VALUE for one without (malformed on purpose). */
    private static long eventTimeOf(String json) {
        int at = json.indexOf("\"event_time\":");
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int from = at + "\"event_time\":".length();
        int to = from;
        while (to < json.length() && (Character.isDigit(json.charAt(to)) || json.charAt(to) == '-')) {
            to++;
        }
        try {
            return Long.parseLong(json.substring(from, to));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * When each minute window could close: per partition, the produce time of the first event at or
     * past window_end + out-of-orderness (the partition's watermark passes the end then); the window
     * closes when the last partition has had one.
     */
    static final class WindowCloseTimes {
        private static final long MINUTE_MS = 60_000;
        private final long outOfOrdernessMs;
        private final long[] newestEventTime;
        private final List<Map<Long, Long>> closeTimeByPartition = new ArrayList<>();

        WindowCloseTimes(int partitions, long outOfOrdernessMs) {
            this.outOfOrdernessMs = outOfOrdernessMs;
            this.newestEventTime = new long[partitions];
            java.util.Arrays.fill(newestEventTime, Long.MIN_VALUE);
            for (int p = 0; p < partitions; p++) {
                closeTimeByPartition.add(new java.util.HashMap<>());
            }
        }

        /** Called in produce order per partition (Kafka's callbacks are). */
        synchronized void produced(int partition, long eventTime, long producedAt) {
            if (eventTime == Long.MIN_VALUE || eventTime <= newestEventTime[partition]) {
                return;
            }
            long previous = newestEventTime[partition];
            newestEventTime[partition] = eventTime;
            // Window ends E this event lets pass: previous - ooo < E <= eventTime - ooo (the first 10 min only after a
            // start).
            long last = Math.floorDiv(eventTime - outOfOrdernessMs, MINUTE_MS) * MINUTE_MS;
            long first = previous == Long.MIN_VALUE
                    ? last
                    : Math.floorDiv(previous - outOfOrdernessMs, MINUTE_MS) * MINUTE_MS + MINUTE_MS;
            for (long end = first; end <= last; end += MINUTE_MS) {
                closeTimeByPartition.get(partition).putIfAbsent(end, producedAt);
            }
        }

        /** Each seen row's latency: first seen minus its window's close time (windows every partition closed). */
        synchronized List<Long> latencies(Map<Long, List<Long>> seenByWindowEnd, long closedFrom) {
            List<Long> latencies = new ArrayList<>();
            byWindowEnd(seenByWindowEnd, closedFrom).values().forEach(latencies::addAll);
            return latencies;
        }

        /**
         * The same by window end, in order: every content's minute closes on the same watermark, so a
         * run of a few minutes has only a few closings, and the first ones fall in the job's warm-up.
         */
        synchronized java.util.SortedMap<Long, List<Long>> byWindowEnd(
                Map<Long, List<Long>> seenByWindowEnd, long closedFrom) {
            java.util.SortedMap<Long, List<Long>> byEnd = new java.util.TreeMap<>();
            for (Map.Entry<Long, List<Long>> window : seenByWindowEnd.entrySet()) {
                long closedAt = Long.MIN_VALUE;
                for (Map<Long, Long> partition : closeTimeByPartition) {
                    Long at = partition.get(window.getKey());
                    closedAt = at == null ? Long.MAX_VALUE : Math.max(closedAt, at);
                }
                if (closedAt == Long.MAX_VALUE) {
                    continue; // not every partition saw it close during the run (the first or the last window)
                }
                if (closedAt < closedFrom) {
                    continue;
                }
                List<Long> latencies = byEnd.computeIfAbsent(window.getKey(), end -> new ArrayList<>());
                for (long seenAt : window.getValue()) {
                    latencies.add(seenAt - closedAt);
                }
            }
            return byEnd;
        }
    }

    /**
     * Records when each minute row is first seen: per window end, the number of distinct contents with a
     * version-1 row, polled every 100 ms; each increase is that many rows first seen at the poll. The
     * counts travel, not the rows: fetching every row at every poll (as this did until 2026-12-07) made
     * ClickHouse and this JVM format, send and parse the whole table ten times a second, a load on the
     * job's two cores that grew with the run and inflated the later closings' latencies.
     */
    private void pollContentMetrics(AtomicBoolean stop, Map<Long, List<Long>> seenByWindowEnd) {
        Map<Long, Long> seenCount = new java.util.HashMap<>();
        while (!stop.get()) {
            try {
                String rows = clickhouse.execute(
                        "SELECT toUnixTimestamp(window_end), uniqExact(content_id) FROM engagement.content_metrics"
                                + " WHERE grain = 'minute' AND version = 1 GROUP BY window_end FORMAT TSV");
                long now = System.currentTimeMillis();
                for (String row : rows.split("\n")) {
                    if (row.isEmpty()) {
                        continue;
                    }
                    int tab = row.indexOf('\t');
                    long windowEndMs = Long.parseLong(row.substring(0, tab)) * 1000;
                    long count = Long.parseLong(row.substring(tab + 1));
                    long before = seenCount.getOrDefault(windowEndMs, 0L);
                    if (count > before) {
                        seenCount.put(windowEndMs, count);
                        List<Long> seen = seenByWindowEnd.computeIfAbsent(
                                windowEndMs, end -> Collections.synchronizedList(new ArrayList<>()));
                        for (long i = before; i < count; i++) {
                            seen.add(now);
                        }
                    }
                }
                Thread.sleep(100);
            } catch (Exception e) {
                System.err.println("polling ClickHouse: " + e.getMessage());
            }
        }
    }

    private void readFeedback(String feedbackTopic, AtomicBoolean stop, Map<Long, List<Long>> seenByWindowEnd) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-feedback-reader-" + System.nanoTime(), true)) {
            consumer.subscribe(List.of(feedbackTopic));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    JsonNode message = JSON.readTree(r.value());
                    if ("minute".equals(message.path("grain").asText())
                            && message.path("version").asLong() == 1) {
                        long windowEndMs = Instant.parse(
                                        message.path("window_end").asText())
                                .toEpochMilli();
                        seenByWindowEnd
                                .computeIfAbsent(windowEndMs, end -> Collections.synchronizedList(new ArrayList<>()))
                                .add(now);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The median latency of each window closing (ms after it could close), in order of the window's end. */
    private static void printClosings(java.util.SortedMap<Long, List<Long>> byWindowEnd) {
        StringBuilder line = new StringBuilder("    each closing in order, median ms:");
        for (List<Long> latencies : byWindowEnd.values()) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            line.append(String.format(" %,d", sorted.get(sorted.size() / 2)));
        }
        System.out.println(line);
    }

    private void printLatency(String what, List<Long> latencies, String key) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.printf("  %-66s no rows seen%n", what);
            return;
        }
        long p50 = sorted.get((int) (0.50 * (sorted.size() - 1)));
        long p99 = sorted.get((int) (0.99 * (sorted.size() - 1)));
        System.out.printf(
                "  %-66s p50 %,6d ms  p99 %,6d ms  max %,6d ms  (%,d rows)%n",
                what, p50, p99, sorted.get(sorted.size() - 1), sorted.size());
        results.setProperty(key + ".p50", Long.toString(p50));
        results.setProperty(key + ".p99", Long.toString(p99));
    }

    // ---------------------------------------------------------------------------------------------
    // report

    /**
     * Repeated runs of the same job: the run with the median rate (to finished) stands for all of them,
     * with every figure it measured (busy time, checkpoints, memory), so the report's figures come
     * from one run; the rates of all runs are kept beside it.
     */
    private void median() {
        String[] labels = option("of", "").split(",");
        String as = option("as", "p2");
        List<String> byRate = new ArrayList<>(List.of(labels));
        byRate.sort(Comparator.comparingDouble(l -> number("job." + l)));
        String median = byRate.get(byRate.size() / 2);
        for (String key : new ArrayList<>(results.stringPropertyNames())) {
            if (key.equals("job." + median) || key.startsWith("job." + median + ".")) {
                results.setProperty("job." + as + key.substring(("job." + median).length()), results.getProperty(key));
            }
        }
        StringBuilder runs = new StringBuilder();
        StringBuilder runsToRows = new StringBuilder();
        for (String label : labels) {
            runs.append(runs.length() > 0 ? ", " : "").append(String.format("%,.0f", number("job." + label)));
            runsToRows
                    .append(runsToRows.length() > 0 ? ", " : "")
                    .append(String.format("%,.0f", number("job." + label + ".to-rows")));
        }
        results.setProperty("job." + as + ".runs", runs.toString());
        results.setProperty("job." + as + ".runs-to-rows", runsToRows.toString());
        System.out.printf(
                "job %s: %d runs, events/s to finished %s, to reconciliation %s; median run %s%n",
                as, labels.length, runs, runsToRows, median);
    }

    private void report() {
        double limit1 = number("limit.1");
        double limit2 = number("limit.2");
        double job = number("job.p2");
        double sql = number("sql.p2");
        double engine = number("kafka-engine");
        System.out.printf(
                "%n=== stack benchmark: %,d messages on %s (4 partitions), Kafka + Flink standalone + ClickHouse 18.16 on this machine ===%n",
                (long) number("messages"), results.getProperty("topic", topic));
        System.out.printf("%-80s %12s %10s%n", "system on the same topic", "events/s", "job / it");
        row("limit: KafkaConsumer + Jackson parse, 1 thread", limit1, job);
        row("limit: KafkaConsumer + Jackson parse, 2 threads", limit2, job);
        row("this job, every output on, p=2 (first record -> job finished, all rows in ClickHouse)", job, job);
        row("this job, p=2, first record -> reconciliation count reached in ClickHouse", number("job.p2.to-rows"), job);
        row("this job, p=1", number("job.p1"), job);
        row("this job, p=4 on a 4-slot TaskManager (2 cores)", number("job.p4"), job);
        row("Flink SQL peer (dedup, minute/hour/day windows, 9 aggregates), p=2", sql, job);
        row("ClickHouse Kafka engine + 2 MVs (no validation, dedup or event time)", engine, job);
        if (results.getProperty("job.p2.runs") != null) {
            System.out.printf(
                    "job p=2 runs (events/s to finished / to reconciliation; the median run stands above): %s / %s%n",
                    results.getProperty("job.p2.runs"), results.getProperty("job.p2.runs-to-rows"));
        }
        System.out.printf(
                "%ntargets (issue 20): job/limit(2 threads) >= 0.15: %.3f;  job/Flink SQL >= 1.5: %.2f;  (job/Kafka engine: %.3f)%n",
                ratio(job, limit2), ratio(job, sql), ratio(job, engine));
        // The line docs/benchmarks.md opens with, ready to paste.
        System.out.printf(
                "Latest: job/limit %.3f, job/SQL peer %.2f, p99 to ClickHouse %s ms, p99 to feedback %s ms (%s, commit)%n",
                ratio(job, limit2),
                ratio(job, sql),
                results.getProperty("latency.clickhouse.p99", "?"),
                results.getProperty("latency.feedback.p99", "?"),
                java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        System.out.printf(
                "scaling: p=2 / p=1 = %.2f; p=4 on 2 cores / p=2 = %.2f%n",
                ratio(job, number("job.p1")), ratio(number("job.p4"), job));
        System.out.printf(
                "bottleneck (job p=2, busiest operator chain): %s%n", results.getProperty("job.p2.bottleneck", "?"));
        System.out.printf("bottleneck (Flink SQL peer): %s%n", results.getProperty("sql.p2.bottleneck", "?"));
        System.out.printf(
                "cores used (job p=2): %s; ClickHouse inserts %s/s;  (Flink SQL peer): %s%n",
                results.getProperty("job.p2.cores", "?"),
                results.getProperty("job.p2.clickhouse-inserts-per-s", "?"),
                results.getProperty("sql.p2.cores", "?"));
        System.out.printf(
                "TaskManager cores by kind (job p=2): %s;  (Flink SQL peer): %s%n",
                results.getProperty("job.p2.tm-cores", "?"), results.getProperty("sql.p2.tm-cores", "?"));
        System.out.printf(
                "latency at %,.0f msg/s: window can close -> ClickHouse p50 %s / p99 %s ms (target p99 <= 2000);"
                        + " -> feedback topic p50 %s / p99 %s ms (target <= checkpoint interval %s + 1000)%n",
                number("latency.rate"),
                results.getProperty("latency.clickhouse.p50", "?"),
                results.getProperty("latency.clickhouse.p99", "?"),
                results.getProperty("latency.feedback.p50", "?"),
                results.getProperty("latency.feedback.p99", "?"),
                results.getProperty("latency.checkpoint-interval-ms", "?"));
        System.out.printf(
                "freshness at %,.0f msg/s: event acknowledged -> counted through the API p50 %s / p99 %s ms"
                        + " (target p99 <= 60000; %s probes not counted)%n",
                number("latency.rate"),
                results.getProperty("latency.freshness.p50", "?"),
                results.getProperty("latency.freshness.p99", "?"),
                results.getProperty("latency.freshness.unseen", "?"));
        System.out.printf(
                "alerts at %,.0f msg/s: planted surge -> its spike alert on the topic p50 %s / p99 %s ms"
                        + " (target p99 <= 120000; %s surges planted, %s other alerts)%n",
                number("latency.rate"),
                results.getProperty("latency.alert.p50", "?"),
                results.getProperty("latency.alert.p99", "?"),
                results.getProperty("latency.alert.planted", "?"),
                results.getProperty("latency.alert.other", "?"));
        System.out.printf(
                "TaskManager peak RSS (p=2): %s MB; checkpoints avg %s ms, max %s ms, largest full state %s KB;"
                        + " dedup state %s MB per million ids; content windows %s MB per million contents%n",
                results.getProperty("job.p2.tm-peak-rss-mb", "?"),
                results.getProperty("job.p2.checkpoint-avg-ms", "?"),
                results.getProperty("job.p2.checkpoint-max-ms", "?"),
                results.getProperty("job.p2.checkpoint-max-kb", "?"),
                results.getProperty("job.p2.dedup-mb-per-million-ids", "?"),
                results.getProperty("job.p2.content-mb-per-million-contents", "?"));
    }

    private void row(String name, double rate, double job) {
        System.out.printf(
                "%-80s %,12.0f %10s%n", name, rate, rate > 0 && job > 0 ? String.format("%.3f", job / rate) : "-");
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Following a Flink job through the REST API

    /** What the REST API showed over one run. */
    private final class RunSamples {
        long firstRecordMs;
        /** The last sample taken while records were still being read. */
        long lastRecordMs;

        long endMs;
        long reconciledAtMs;
        final Map<String, double[]> busyAndBackPressure = new LinkedHashMap<>(); // name -> {busy sum, bp sum, samples}

        double seconds() {
            return (endMs - firstRecordMs) / 1000.0;
        }

        void printVertices() {
            System.out.println(
                    "  per operator chain, mean over the run of the subtasks' mean (ms per second): busy / back-pressured");
            busyAndBackPressure.entrySet().stream()
                    .sorted((a, b) ->
                            Double.compare(b.getValue()[0] / b.getValue()[2], a.getValue()[0] / a.getValue()[2]))
                    .forEach(e -> System.out.printf(
                            "    %5.0f / %5.0f  %s%n",
                            e.getValue()[0] / e.getValue()[2],
                            e.getValue()[1] / e.getValue()[2],
                            abbreviate(e.getKey())));
        }

        String bottleneck() {
            return busyAndBackPressure.entrySet().stream()
                    .max((a, b) -> Double.compare(a.getValue()[0] / a.getValue()[2], b.getValue()[0] / b.getValue()[2]))
                    .map(e -> String.format(
                            "%s (busy %.0f ms/s)", abbreviate(e.getKey()), e.getValue()[0] / e.getValue()[2]))
                    .orElse("?");
        }
    }

    private static String abbreviate(String name) {
        return name.length() > 150 ? name.substring(0, 147) + "..." : name;
    }

    /** Samples the job every second until it finishes; the run starts when every task runs (the source reads at once). */
    private RunSamples follow(String jobId, long messages, boolean reconcile) throws Exception {
        RunSamples run = new RunSamples();
        waitRunning(jobId);
        run.firstRecordMs = System.currentTimeMillis();
        Map<String, String> names = vertexNames(jobId);
        Progress progress = new Progress("job " + jobId.substring(0, 8), messages);
        long lastSample = 0;
        while (true) {
            JsonNode job = rest("GET", "/jobs/" + jobId, null);
            String state = job.path("state").asText();
            if (state.equals("FINISHED")) {
                run.endMs = job.path("end-time").asLong();
                break;
            }
            if (state.equals("FAILED") || state.equals("CANCELED")) {
                throw new IllegalStateException("job " + jobId + " is " + state + ": see the TaskManager log");
            }
            long now = System.currentTimeMillis();
            if (reconcile && run.reconciledAtMs == 0) {
                if (reconciliationCount() >= messages) {
                    run.reconciledAtMs = now;
                }
            }
            long read = 0;
            for (JsonNode vertex : job.path("vertices")) {
                if (vertex.path("name").asText().startsWith("Source")) {
                    read += vertex.path("metrics").path("write-records").asLong();
                }
            }
            progress.at(read);
            if (now - lastSample >= 2000 && read > 0 && read < messages * 0.98) {
                lastSample = now;
                run.lastRecordMs = now;
                for (Map.Entry<String, String> vertex : names.entrySet()) {
                    JsonNode metrics = rest(
                            "GET",
                            "/jobs/" + jobId + "/vertices/" + vertex.getKey()
                                    + "/subtasks/metrics?get=busyTimeMsPerSecond,backPressuredTimeMsPerSecond",
                            null);
                    double busy = Double.NaN;
                    double bp = Double.NaN;
                    for (JsonNode m : metrics) {
                        if (m.path("id").asText().equals("busyTimeMsPerSecond")) {
                            busy = m.path("avg").asDouble(Double.NaN);
                        } else if (m.path("id").asText().equals("backPressuredTimeMsPerSecond")) {
                            bp = m.path("avg").asDouble(Double.NaN);
                        }
                    }
                    if (!Double.isNaN(busy) && !Double.isNaN(bp)) {
                        double[] sums = run.busyAndBackPressure.computeIfAbsent(vertex.getValue(), k -> new double[3]);
                        sums[0] += busy;
                        sums[1] += bp;
                        sums[2]++;
                    }
                }
            }
            Thread.sleep(500);
        }
        if (reconcile && run.reconciledAtMs == 0 && reconciliationCount() >= messages) {
            run.reconciledAtMs = run.endMs;
        }
        return run;
    }

    private void waitRunning(String jobId) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode job = rest("GET", "/jobs/" + jobId, null);
            boolean all = job.path("vertices").size() > 0;
            for (JsonNode vertex : job.path("vertices")) {
                String status = vertex.path("status").asText();
                all &= status.equals("RUNNING") || status.equals("FINISHED");
            }
            if (all) {
                return;
            }
            if (job.path("state").asText().equals("FAILED")) {
                throw new IllegalStateException("job " + jobId + " failed at start: see the JobManager log");
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + jobId + " not running after 120 s");
    }

    private Map<String, String> vertexNames(String jobId) throws Exception {
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode vertex : rest("GET", "/jobs/" + jobId, null).path("vertices")) {
            names.put(vertex.path("id").asText(), vertex.path("name").asText());
        }
        return names;
    }

    private long checkpointIntervalMs(String jobId) throws Exception {
        return rest("GET", "/jobs/" + jobId + "/checkpoints/config", null)
                .path("interval")
                .asLong();
    }

    /** Uploads the job jar (once per phase) and runs a main class of it. */
    private String submit(String mainClass, List<String> programArgs, int parallelism) throws Exception {
        Path jar = Path.of(option("jar", "target/engagement-pipeline-0.1.0-SNAPSHOT.jar"));
        String boundary = "bench" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName() + "\"\r\nContent-Type: application/java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> upload = HTTP.send(
                HttpRequest.newBuilder(URI.create(flink + "/jars/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String filename = JSON.readTree(upload.body()).path("filename").asText();
        if (filename.isEmpty()) {
            throw new IllegalStateException("jar upload failed: " + upload.body());
        }
        String jarId = Path.of(filename).getFileName().toString();
        ObjectNode run = JSON.createObjectNode();
        run.put("entryClass", mainClass);
        run.put("parallelism", parallelism);
        ArrayNode list = run.putArray("programArgsList");
        programArgs.forEach(list::add);
        JsonNode answer = rest("POST", "/jars/" + jarId + "/run", run.toString());
        String jobId = answer.path("jobid").asText();
        rest("DELETE", "/jars/" + jarId, null);
        if (jobId.isEmpty()) {
            throw new IllegalStateException("job submission failed: " + answer);
        }
        return jobId;
    }

    private JsonNode rest(String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(flink + path)).timeout(Duration.ofSeconds(120));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IOException(method + " " + path + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    // ---------------------------------------------------------------------------------------------
    // TaskManager memory: peak RSS of its process, reset before a run (Linux clear_refs 5)

    private void resetTmPeakMemory() {
        String pid = options.get("tm-pid");
        if (pid != null) {
            try (OutputStream out = Files.newOutputStream(Path.of("/proc", pid, "clear_refs"))) {
                out.write("5".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                System.err.println("cannot reset the TaskManager's peak RSS: " + e.getMessage());
            }
        }
    }

    private long tmPeakRssKb() throws IOException {
        String pid = options.get("tm-pid");
        if (pid == null) {
            return 0;
        }
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Kafka helpers

    private void recreateTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            if (admin.listTopics().names().get().contains(name)) {
                admin.deleteTopics(List.of(name)).all().get();
                for (int i = 0; i < 100 && admin.listTopics().names().get().contains(name); i++) {
                    Thread.sleep(100);
                }
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                            .all()
                            .get();
                    return;
                } catch (ExecutionException e) {
                    if (attempt > 50) {
                        throw e;
                    }
                    Thread.sleep(200); // deletion still in progress
                }
            }
        }
    }

    private List<TopicPartition> partitions(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            int count = admin.describeTopics(List.of(name))
                    .allTopicNames()
                    .get()
                    .get(name)
                    .partitions()
                    .size();
            List<TopicPartition> out = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                out.add(new TopicPartition(name, p));
            }
            return out;
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group, boolean readCommitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    // ---------------------------------------------------------------------------------------------

    /** A progress line every 5 s: done, rate, elapsed, ETA. */
    private static final class Progress {
        private final String what;
        private final long total;
        private final long start = System.nanoTime();
        private long lastPrint = System.nanoTime();

        Progress(String what, long total) {
            this.what = what;
            this.total = total;
        }

        void at(long done) {
            long now = System.nanoTime();
            if (now - lastPrint < 5_000_000_000L) {
                return;
            }
            lastPrint = now;
            double elapsed = (now - start) / 1e9;
            double rate = done / elapsed;
            System.out.printf(
                    "  [%s] %,d / %,d  %,.0f /s  elapsed %.0f s  ETA %s%n",
                    what,
                    done,
                    total,
                    rate,
                    elapsed,
                    rate > 0 ? String.format("%.0f s", Math.max(0, (total - done) / rate)) : "?");
        }
    }

    private long messages() {
        String value = results.getProperty("messages");
        if (value == null) {
            throw new IllegalStateException(
                    "no preloaded topic recorded in " + resultsFile + ": run the preload phase first");
        }
        return Long.parseLong(value);
    }

    private double number(String key) {
        return Double.parseDouble(results.getProperty(key, "0"));
    }

    /** The ClickHouse server given to the benchmark, as the jobs' JDBC-form URL. */
    private String jdbcUrl() {
        return "jdbc:clickhouse://"
                + URI.create(option("clickhouse", "http://127.0.0.1:8123")).getAuthority() + "?compress=false";
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    private void save() throws IOException {
        Files.createDirectories(resultsFile.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(resultsFile)) {
            results.store(out, "deploy/bench-stack.sh results");
        }
    }
}
