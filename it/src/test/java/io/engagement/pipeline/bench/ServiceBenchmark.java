package io.engagement.pipeline.bench;

import io.engagement.pipeline.clickhouse.AnalystQuery;
import io.engagement.pipeline.service.EngagementService;
import io.engagement.pipeline.service.EventPublisher;
import io.engagement.pipeline.service.ServiceConfig;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.KafkaTestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP service's benchmark lines (docs/benchmarks.md), on a real in-JVM Kafka broker and a
 * real ClickHouse 18.16 server started here:
 * <ol>
 *   <li>tracking: clients posting batches of 100 and single events for a fixed time; events/s
 *       accepted (each acknowledged by Kafka, acks=all) and request latency p50/p99, against a
 *       baseline of the same messages produced straight to Kafka by one idempotent producer;</li>
 *   <li>the dashboard's heaviest query (the creator totals with merged unique viewers, and the content
 *       list) on a content_metrics table of a million rows, through the API and as plain SQL over
 *       ClickHouse's HTTP interface, median of repeated runs;</li>
 *   <li>100 simulated users opening dashboards on that table ({@link #dashboardUsers});</li>
 *   <li>the rate limits under 100 000 requests with made-up identities, and the heap they leave.</li>
 * </ol>
 * Prints figures; asserts nothing. {@code deploy/bench-service.sh [seconds] [clients]};
 * {@code deploy/bench-service.sh limits} runs the last line alone, {@code deploy/bench-service.sh
 * dashboard [users] [seconds]} the dashboard lines alone (the heaviest queries, then {@link
 * #dashboardUsers}).
 */
public final class ServiceBenchmark {

    private static final String KEY = "bench-tracking-key-0123456789";
    private static final String ADMIN = "bench-admin-key-0123456789";
    /** service.kafka-linger for the run: -Dbench.linger=0 ms to compare. */
    private static final Duration LINGER = Duration.ofMillis(Long.parseLong(
            System.getProperty("bench.linger", "5ms").replace("ms", "").strip()));

    public static void main(String[] args) throws Exception {
        boolean limitsOnly = args.length > 0 && args[0].equals("limits");
        boolean dashboardOnly = args.length > 0 && args[0].equals("dashboard");
        int seconds = args.length > 0 && !limitsOnly && !dashboardOnly ? Integer.parseInt(args[0]) : 20;
        int clients = args.length > 1 && !dashboardOnly ? Integer.parseInt(args[1]) : 8;
        int users = dashboardOnly && args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int userSeconds = dashboardOnly && args.length > 2 ? Integer.parseInt(args[2]) : 60;
        try (KafkaTestBroker kafka = KafkaTestBroker.start();
                ClickHouseTestServer clickhouse = ClickHouseTestServer.startWithSchema()) {
            kafka.createTopic("engagement-events", 4);
            ServiceConfig config = serviceConfig(
                    kafka,
                    clickhouse,
                    "app:" + KEY + ":tracking,ops:" + ADMIN + ":admin",
                    "--service.rate-limit.events-per-minute",
                    "1000000",
                    "--service.rate-limit.batches-per-minute",
                    "1000000",
                    "--service.rate-limit.analytics-per-minute",
                    "1000000",
                    "--service.rate-limit.tracking-key-per-minute",
                    "100000000",
                    "--service.kafka-linger",
                    LINGER.toMillis() + " ms",
                    // -Dbench.analytics.max-wait=0ms: the service without a line (every request
                    // beyond max-concurrent refused at once), for an A/B of the line.
                    "--service.analytics.max-wait",
                    System.getProperty("bench.analytics.max-wait", "3 s"),
                    // -Dbench.analytics.cache-ttl=0ms: without the answer cache.
                    "--service.analytics.cache-ttl",
                    System.getProperty("bench.analytics.cache-ttl", "5 s"));
            if (limitsOnly) {
                limits(kafka, clickhouse, 100_000, clients);
                return;
            }
            try (EngagementService service =
                    new EngagementService(config, EventPublisher.forConfig(config), clickhouse.http()).start()) {
                String base = "http://127.0.0.1:" + service.port();
                System.out.printf(
                        "ServiceBenchmark: %d s per tracking run, %d clients, %d cores, producer linger %d ms%n",
                        seconds, clients, Runtime.getRuntime().availableProcessors(), LINGER.toMillis());
                if (!dashboardOnly) {
                    baseline(kafka, clients, seconds);
                    tracking(base, "/v1/events/batch", 100, clients, seconds);
                    tracking(base, "/v1/events", 1, clients, seconds);
                }
                // The single-query lines measure what a query costs, so they ask a service without the
                // answer cache (their repeated calls would otherwise be cache hits).
                ServiceConfig uncachedConfig = serviceConfig(
                        kafka,
                        clickhouse,
                        "ops:" + ADMIN + ":admin",
                        "--service.rate-limit.analytics-per-minute",
                        "1000000",
                        "--service.analytics.cache-ttl",
                        "0 s");
                try (EngagementService uncached = new EngagementService(
                                uncachedConfig, EventPublisher.forConfig(uncachedConfig), clickhouse.http())
                        .start()) {
                    String uncachedBase = "http://127.0.0.1:" + uncached.port();
                    heaviestQueries(uncachedBase, clickhouse);
                    eachRouteAlone(uncachedBase);
                }
                dashboardUsers(base, users, userSeconds);
                System.out.println("dashboard  " + cacheLine(base));
                if (dashboardOnly) {
                    return;
                }
            }
            limits(kafka, clickhouse, 100_000, clients);
        }
    }

    /**
     * The rate limits under made-up identities, on a service with the default limits behind a trusted
     * proxy (this process): {@code requests} with a fresh {@code X-Client-Id} each from one address (one
     * bucket: the limit holds), then as many with a fresh forwarded address each (a bucket per address,
     * up to service.rate-limit.max-clients = 10 000 here), with the heap retained after a full GC before
     * and after.
     */
    /** The service's settings on this broker and server, with these API keys and further settings. */
    private static ServiceConfig serviceConfig(
            KafkaTestBroker kafka, ClickHouseTestServer clickhouse, String apiKeys, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--service.port",
                "0",
                "--kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "--clickhouse.url",
                clickhouse.httpUrl()));
        args.addAll(List.of(settings));
        return ServiceConfig.from(args.toArray(new String[0]), Map.of("ENGAGEMENT_SERVICE_API_KEYS", apiKeys));
    }

    private static void limits(KafkaTestBroker kafka, ClickHouseTestServer clickhouse, int requests, int clients)
            throws Exception {
        ServiceConfig config = serviceConfig(
                kafka,
                clickhouse,
                "app:" + KEY + ":tracking",
                "--service.rate-limit.max-clients",
                "10000",
                "--service.trusted-proxies",
                "127.0.0.1");
        try (EngagementService service =
                new EngagementService(config, EventPublisher.forConfig(config), clickhouse.http()).start()) {
            String url = "http://127.0.0.1:" + service.port() + "/v1/events";
            long heapBefore = retainedHeap();
            long[] idOnly = flood(url, requests, clients, false);
            long heapAfterIds = retainedHeap();
            long[] addresses = flood(url, requests, clients, true);
            long heapAfterAddresses = retainedHeap();
            System.out.printf(
                    "limits     %,d requests, each a new X-Client-Id from one address: %,d accepted, %,d answered 429,"
                            + " %,d other (limit 100 a minute)%n",
                    requests, idOnly[0], idOnly[1], idOnly[2]);
            System.out.printf(
                    "limits     %,d requests, each a new forwarded address: %,d accepted, %,d answered 429, %,d other%n",
                    requests, addresses[0], addresses[1], addresses[2]);
            System.out.printf(
                    "limits     heap retained after a full GC: %,d KB before, %,d KB after the client ids, %,d KB after the addresses"
                            + " (max-clients 10 000)%n",
                    heapBefore / 1024, heapAfterIds / 1024, heapAfterAddresses / 1024);
        }
    }

    /** {accepted, 429, any other status} of {@code requests} single-event posts, each with a fresh client id or forwarded address. */
    private static long[] flood(String url, int requests, int clients, boolean newAddressEach) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong next = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        AtomicLong other = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                for (long n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + KEY)
                            .header("X-Client-Id", java.util.UUID.randomUUID().toString());
                    if (newAddressEach) {
                        request.header(
                                "X-Forwarded-For", "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255));
                    }
                    int status = http.send(
                                    request.POST(HttpRequest.BodyPublishers.ofString(
                                                    event(7_000_000_000L + n + (newAddressEach ? requests : 0))))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == 202) {
                        accepted.incrementAndGet();
                    } else if (status == 429) {
                        limited.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return new long[] {accepted.get(), limited.get(), other.get()};
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String event(long n) {
        return "{\"event_id\":\"b-" + n + "\",\"event_type\":\"view_start\",\"content_id\":\"content-" + (n % 5000)
                + "\",\"creator_id\":\"creator-" + (n % 500) + "\",\"user_id\":\"u-" + (n % 100000)
                + "\",\"session_id\":\"s-"
                + (n % 20000) + "\",\"event_time\":\"" + Instant.now().minusSeconds(1) + "\",\"device\":\"mobile\"}";
    }

    /**
     * The same messages produced straight to Kafka by the same number of clients sharing one
     * idempotent acks=all producer, each waiting for its batch of 100 to be acknowledged: the
     * service's work without HTTP, JSON parsing and validation.
     */
    private static void baseline(KafkaTestBroker kafka, int clients, int seconds) throws Exception {
        Map<String, Object> p = Map.of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "enable.idempotence",
                "true",
                "acks",
                "all",
                "linger.ms",
                Long.toString(LINGER.toMillis()),
                "compression.type",
                "lz4");
        AtomicLong sent = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                p,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        List<Future<?>> batch = new ArrayList<>(100);
                        for (int i = 0; i < 100; i++) {
                            long n = ids.getAndIncrement();
                            batch.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    "engagement-events", "content-" + (n % 5000), event(n).getBytes())));
                        }
                        for (Future<?> f : batch) {
                            f.get();
                        }
                        sent.addAndGet(100);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "baseline   %d clients producing straight to Kafka, 100 per acknowledged batch: %,.0f events/s%n",
                clients, sent.get() / s);
    }

    private static void tracking(String base, String path, int perRequest, int clients, int seconds) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong ids = new AtomicLong(perRequest * 1_000_000_000L);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String client = "bench-client-" + c;
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    StringBuilder body = new StringBuilder(perRequest == 1 ? "" : "[");
                    for (int i = 0; i < perRequest; i++) {
                        body.append(i == 0 ? "" : ",").append(event(ids.getAndIncrement()));
                    }
                    if (perRequest > 1) {
                        body.append(']');
                    }
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(base + path))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + KEY)
                                    .header("X-Client-Id", client)
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    latencies.add(System.nanoTime() - t0);
                    if (r.statusCode() == 200 || r.statusCode() == 202) {
                        accepted.addAndGet(perRequest);
                    } else {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double s = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(
                "tracking   POST %-17s %3d per request: %,8.0f events/s accepted (%,d requests, %d failed); latency p50 %.1f ms, p99 %.1f ms%n",
                path,
                perRequest,
                accepted.get() / s,
                sorted.size(),
                failed.get(),
                pct(sorted, 0.50),
                pct(sorted, 0.99));
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.isEmpty()
                ? 0
                : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))) / 1e6;
    }

    /**
     * A million hour rows of content_metrics (5 000 contents of 500 creators over 200 hours) and the
     * viewers' hourly states; the creator totals and the content list through the API and as SQL.
     */
    private static void heaviestQueries(String base, ClickHouseTestServer clickhouse) throws Exception {
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id, creator_id,"
                                + " version, views, watch_time_ms, completions, likes, comments, shares, saves, clicks, engagement_score, quality_score)"
                                + " SELECT 'hour', toDateTime('2026-11-01 00:00:00') + 3600 * intDiv(number, 5000),"
                                + " toDateTime('2026-11-01 01:00:00') + 3600 * intDiv(number, 5000), concat('content-', toString(number % 5000)),"
                                + " concat('creator-', toString(number % 500)), 1, 10 + number % 90, 1000 * (number % 600), number % 7, number % 5,"
                                + " number % 3, number % 2, number % 2, number % 4, number % 100, number % 100 FROM system.numbers LIMIT 1000000");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id, creator_id,"
                                + " version, views, watch_time_ms, completions, likes, comments, shares, engagement_score, quality_score)"
                                + " SELECT 'day', toDateTime('2026-11-01 00:00:00') + 86400 * intDiv(number, 5000),"
                                + " toDateTime('2026-11-02 00:00:00') + 86400 * intDiv(number, 5000), concat('content-', toString(number % 5000)),"
                                + " concat('creator-', toString(number % 500)), 1, 240 + number % 900, 1000 * (number % 6000), number % 70,"
                                + " number % 50, number % 30, number % 20, number % 100, number % 100 FROM system.numbers LIMIT 45000");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.engagement_events (event_id, event_type, content_id, creator_id, user_id,"
                                + " session_id, event_time, event_time_ms, source_topic, source_partition, source_offset)"
                                + " SELECT concat('v', toString(number)), 'view_start', concat('content-', toString(number % 5000)),"
                                + " concat('creator-', toString(number % 500)), concat('u', toString(number % 200000)), 's',"
                                + " toDateTime('2026-11-01 00:00:00') + number % (200 * 3600), 0, 't', 0, number FROM system.numbers LIMIT 1000000");
        // What the job writes beside them for the same windows: the creators' hour and day rows (the
        // timelines) and each content's day rows by country, four countries each (the countries card).
        clickhouse
                .http()
                .execute("INSERT INTO engagement.creator_metrics (grain, window_start, window_end, creator_id, version,"
                        + " contents, views, watch_time_ms, completions, likes, comments, shares, saves, clicks)"
                        + " SELECT 'hour', toDateTime('2026-11-01 00:00:00') + 3600 * intDiv(number, 500),"
                        + " toDateTime('2026-11-01 01:00:00') + 3600 * intDiv(number, 500), concat('creator-', toString(number % 500)),"
                        + " 1, 10, 500 + number % 900, 10000 * (number % 600), number % 70, number % 50, number % 30,"
                        + " number % 20, number % 20, number % 40 FROM system.numbers LIMIT 100000");
        clickhouse
                .http()
                .execute("INSERT INTO engagement.creator_metrics (grain, window_start, window_end, creator_id, version,"
                        + " contents, views, watch_time_ms, completions, likes, comments, shares, saves, clicks)"
                        + " SELECT 'day', toDateTime('2026-11-01 00:00:00') + 86400 * intDiv(number, 500),"
                        + " toDateTime('2026-11-02 00:00:00') + 86400 * intDiv(number, 500), concat('creator-', toString(number % 500)),"
                        + " 1, 10, 12000 + number % 9000, 240000 * (number % 600), number % 700, number % 500, number % 300,"
                        + " number % 200, number % 200, number % 400 FROM system.numbers LIMIT 4500");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_country_metrics (grain, window_start, window_end, content_id, creator_id,"
                                + " country, version, views, unique_viewers, watch_time_ms, completions, completion_rate)"
                                + " SELECT 'day', toDateTime('2026-11-01 00:00:00') + 86400 * intDiv(number, 20000),"
                                + " toDateTime('2026-11-02 00:00:00') + 86400 * intDiv(number, 20000),"
                                + " concat('content-', toString(intDiv(number, 4) % 5000)), concat('creator-', toString(intDiv(number, 4) % 500)),"
                                + " ['US', 'BR', 'IN', 'DE'][number % 4 + 1], 1, 60 + number % 200, 50 + number % 150,"
                                + " 1000 * (number % 1500), number % 20, 10 FROM system.numbers LIMIT 180000");
        // The catalogue of the 5 000 contents (lengths 15 s to 10 min) and their retention hours: a
        // quarter of the content-hours had plays that ended (the retention route's curve and typical band).
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_catalog (content_id, creator_id, duration_ms, category, hashtags,"
                                + " sound_id, deleted, version) SELECT concat('content-', toString(number)),"
                                + " concat('creator-', toString(number % 500)), 15000 + (number * 7919) % 585000, 'music', '', '', 0, 1"
                                + " FROM system.numbers LIMIT 5000");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_retention (grain, window_start, window_end, content_id, creator_id,"
                                + " version, exits, intro_plays, intro_held) SELECT 'hour', toDateTime('2026-11-01 00:00:00') + 3600 * intDiv(number, 1250),"
                                + " toDateTime('2026-11-01 01:00:00') + 3600 * intDiv(number, 1250), concat('content-', toString((number * 4) % 5000)),"
                                + " concat('creator-', toString((number * 4) % 500)), 1,"
                                + " arrayMap(k -> toUInt64((number + k) % 7), range(21)), 20, number % 20 FROM system.numbers LIMIT 250000");
        for (String table : List.of(
                "content_metrics",
                "content_metrics_by_creator",
                "creator_metrics",
                "content_country_metrics",
                "content_country_metrics_by_creator",
                "content_retention",
                "content_retention_by_creator")) {
            clickhouse.http().execute("OPTIMIZE TABLE engagement." + table + " FINAL");
        }
        System.out.printf(
                "dashboard  content_metrics: %,d rows (hour windows %,d); content_viewers_hourly: %,d rows;"
                        + " creator_metrics: %,d rows; content_country_metrics: %,d rows; content_retention: %,d rows%n",
                clickhouse.count("SELECT count() FROM engagement.content_metrics"),
                clickhouse.count("SELECT count() FROM engagement.content_metrics WHERE grain = 'hour'"),
                clickhouse.count("SELECT count() FROM engagement.content_viewers_hourly"),
                clickhouse.count("SELECT count() FROM engagement.creator_metrics"),
                clickhouse.count("SELECT count() FROM engagement.content_country_metrics"),
                clickhouse.count("SELECT count() FROM engagement.content_retention"));
        HttpClient http = HttpClient.newHttpClient();
        String range = "from=2026-11-01&to=2026-11-10";
        Map<String, String> sqlRange = Map.of(
                "creator_id",
                "'creator-7'",
                "from",
                "toDateTime('2026-11-01 00:00:00')",
                "to",
                "toDateTime('2026-11-10 00:00:00')",
                "top",
                "5");
        measure(
                http,
                "creator totals  GET /v1/creators/creator-7/analytics",
                base + "/v1/creators/creator-7/analytics?" + range,
                clickhouse,
                AnalystQuery.load(Path.of("sql/queries/creator_dashboard.sql")).render(sqlRange));
        measure(
                http,
                "content list    GET /v1/creators/creator-7/content",
                base + "/v1/creators/creator-7/content?sort=views&" + range,
                clickhouse,
                AnalystQuery.load(Path.of("sql/queries/creator_content.sql"))
                        .render(Map.of(
                                "creator_id",
                                "'creator-7'",
                                "from",
                                "toDate('2026-11-01')",
                                "to",
                                "toDate('2026-11-10')",
                                "sort",
                                "'views'")));
        Map<String, String> platformRange =
                Map.of("from", "toDateTime('2026-11-01 00:00:00')", "to", "toDateTime('2026-11-10 00:00:00')");
        measure(
                http,
                "platform stats  GET /v1/admin/stats",
                base + "/v1/admin/stats?" + range,
                clickhouse,
                AnalystQuery.load(Path.of("sql/queries/aggregated_metrics_by_period.sql"))
                        .render(platformRange),
                AnalystQuery.load(Path.of("sql/queries/platform_health.sql")).render(platformRange));
    }

    /**
     * 100 simulated dashboard users (seed 004: API answers under 5 s for 100+ concurrent users) on the
     * million-row fixture: each opens a random creator's dashboard, making the requests the page makes
     * (totals, content list, comparison, the last 60 minutes, the last 48 hours, the daily timeline,
     * breakdowns, countries, reach, a content's retention; the page sends the later six in parallel),
     * then reads it for 2 to 8 s and opens another. A 503 (more than service.analytics.max-concurrent
     * requests in progress) is asked again after its Retry-After, as the page does. Prints p50/p95/p99
     * of the requests (until their answer) and of whole dashboard openings, and the requests that failed.
     */
    static void dashboardUsers(String base, int users, int seconds) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(users);
        HttpClient http = HttpClient.newBuilder().executor(pool).build();
        List<Long> requests = Collections.synchronizedList(new ArrayList<>());
        List<Long> openings = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        long end = System.currentTimeMillis() + seconds * 1000L;
        List<Thread> threads = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            java.util.Random random = new java.util.Random(u);
            Thread t = new Thread(() -> {
                while (System.currentTimeMillis() < end) {
                    List<Map.Entry<String, String>> page =
                            pageRequests(base, "creator-" + random.nextInt(500), random.nextInt(5000));
                    long opened = System.nanoTime();
                    try {
                        // The page asks for the first three in turn, then the rest at once.
                        for (Map.Entry<String, String> request : page.subList(0, 3)) {
                            get(http, request.getKey(), request.getValue(), requests, failed)
                                    .join();
                        }
                        java.util.concurrent.CompletableFuture.allOf(page.subList(3, page.size()).stream()
                                        .map(request ->
                                                get(http, request.getKey(), request.getValue(), requests, failed))
                                        .toArray(java.util.concurrent.CompletableFuture[]::new))
                                .join();
                        openings.add(System.nanoTime() - opened);
                        Thread.sleep(2_000 + random.nextInt(6_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf(
                "dashboard  %d users for %d s: %,d requests (%,d failed, %,d asked again after a 503), %,d dashboards"
                        + " opened%n",
                users, seconds, requests.size(), failed.get(), RETRIES.get(), openings.size());
        System.out.printf("dashboard  per request:        %s (target p95 <= 5 s)%n", percentiles(requests));
        pool.shutdown();
        System.out.printf("dashboard  per dashboard open: %s%n", percentiles(openings));
        synchronized (PER_ROUTE) {
            PER_ROUTE.forEach((route, took) ->
                    System.out.printf("dashboard    %-14s %,6d requests  %s%n", route, took.size(), percentiles(took)));
        }
    }

    /** The service's answer-cache counters after the users' run. */
    private static String cacheLine(String base) throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                .header("Authorization", "Bearer " + ADMIN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("engagement_service_analytics_cache_total"))
                .map(line -> line.substring("engagement_service_analytics_cache_total".length()))
                .reduce("answer cache", (a, b) -> a + " " + b);
    }

    /** The requests of one creator dashboard opening, in the page's order: route name and URL. */
    private static List<Map.Entry<String, String>> pageRequests(String base, String creatorId, int content) {
        String creator = base + "/v1/creators/" + creatorId;
        String range = "from=2026-11-01&to=2026-11-10";
        return List.of(
                Map.entry("analytics", creator + "/analytics?" + range),
                Map.entry("content", creator + "/content?sort=views&page_size=100&" + range),
                Map.entry("comparison", creator + "/comparison?" + range),
                Map.entry("realtime", creator + "/realtime?minutes=60"),
                Map.entry("timeline 48 h", creator + "/timeline?grain=hour&from=2026-11-08&to=2026-11-10"),
                Map.entry("timeline day", creator + "/timeline?grain=day&" + range),
                Map.entry("breakdowns", creator + "/breakdowns?" + range),
                Map.entry("countries", creator + "/countries?" + range),
                Map.entry("reach", creator + "/reach?" + range),
                Map.entry("retention", base + "/v1/content/content-" + content + "/retention?" + range));
    }

    /** Each request of a dashboard opening alone, one at a time: the median of 5 (the cost without queueing). */
    static void eachRouteAlone(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (Map.Entry<String, String> request : pageRequests(base, "creator-7", 7)) {
            List<Long> took = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(request.getValue()))
                                .header("Authorization", "Bearer " + ADMIN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                took.add(System.nanoTime() - t0);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(request.getKey() + ": " + r.statusCode() + " " + r.body());
                }
            }
            Collections.sort(took);
            System.out.printf("dashboard  alone  %-14s median %7.1f ms%n", request.getKey(), took.get(2) / 1e6);
        }
    }

    /**
     * One request as the dashboard makes it: a 503 with Retry-After (the service's bound on analytics
     * requests in progress) is asked again after that many seconds, up to 10 times, like the page does;
     * the latency is until the answer that counts.
     */
    private static java.util.concurrent.CompletableFuture<Void> get(
            HttpClient http,
            String route,
            String url,
            List<Long> latencies,
            java.util.concurrent.atomic.AtomicLong failed) {
        long t0 = System.nanoTime();
        return send(http, url, 0).handle((response, error) -> {
            long took = System.nanoTime() - t0;
            latencies.add(took);
            PER_ROUTE
                    .computeIfAbsent(route, r -> Collections.synchronizedList(new ArrayList<>()))
                    .add(took);
            if (error != null || response.statusCode() != 200) {
                failed.incrementAndGet();
            }
            return null;
        });
    }

    private static java.util.concurrent.CompletableFuture<HttpResponse<Void>> send(
            HttpClient http, String url, int attempt) {
        return http.sendAsync(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + ADMIN)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .thenCompose(response -> {
                    java.util.Optional<String> retryAfter = response.headers().firstValue("Retry-After");
                    if (response.statusCode() != 503 || retryAfter.isEmpty() || attempt >= 10) {
                        return java.util.concurrent.CompletableFuture.completedFuture(response);
                    }
                    RETRIES.incrementAndGet();
                    return java.util.concurrent.CompletableFuture.supplyAsync(
                                    () -> null,
                                    java.util.concurrent.CompletableFuture.delayedExecutor(
                                            Long.parseLong(retryAfter.get()), java.util.concurrent.TimeUnit.SECONDS))
                            .thenCompose(ignored -> send(http, url, attempt + 1));
                });
    }

    private static final java.util.concurrent.atomic.AtomicLong RETRIES = new java.util.concurrent.atomic.AtomicLong();
    /** Each dashboard route's request latencies, in the order the page asks for them. */
    private static final Map<String, List<Long>> PER_ROUTE =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return "none";
        }
        java.util.function.DoubleFunction<Double> at = q -> sorted.get((int) (q * (sorted.size() - 1))) / 1e6;
        return String.format(
                "p50 %,.0f ms  p95 %,.0f ms  p99 %,.0f ms  max %,.0f ms",
                at.apply(0.5), at.apply(0.95), at.apply(0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    /** Median of 7: the API call, and the SQL it runs ({@code sqls}, one after the other) over ClickHouse's HTTP interface. */
    private static void measure(
            HttpClient http, String what, String url, ClickHouseTestServer clickhouse, String... sqls)
            throws Exception {
        List<Long> api = new ArrayList<>();
        List<Long> direct = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + ADMIN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            api.add(System.nanoTime() - t0);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(what + ": " + r.statusCode() + " " + r.body());
            }
            long t1 = System.nanoTime();
            for (String sql : sqls) {
                clickhouse.http().execute(sql + " FORMAT JSON");
            }
            direct.add(System.nanoTime() - t1);
        }
        Collections.sort(api);
        Collections.sort(direct);
        System.out.printf(
                "dashboard  %-55s median %6.1f ms through the API, %6.1f ms as SQL over HTTP (ratio %.2f)%n",
                what, api.get(3) / 1e6, direct.get(3) / 1e6, (double) api.get(3) / direct.get(3));
    }
}
