package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.KafkaTestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP service as a client uses it, against a real Kafka broker (its own process, stopped and
 * restarted for the outage) and a real ClickHouse 18.16.1 server with a hand-made fixture.
 */
class EngagementServiceITCase {

    static final String TRACKING_KEY = "tracking-key-0123456789";
    static final String CATALOG_KEY = "catalog-key-0123456789abc";
    static final String ADMIN_KEY = "admin-key-0123456789abc";
    static final String CREATOR_KEY = "creator-k1-key-0123456789";
    static final String OTHER_CREATOR_KEY = "creator-k2-key-0123456789";
    static final String METRICS_KEY = "metrics-key-0123456789ab";
    static final String KEYS = "app:" + TRACKING_KEY + ":tracking,ops:" + ADMIN_KEY + ":admin,"
            + "k1:" + CREATOR_KEY + ":creator:k1,k2:" + OTHER_CREATOR_KEY + ":creator:k2,prom:" + METRICS_KEY
            + ":metrics,"
            + "content-service:" + CATALOG_KEY + ":catalog";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path kafkaDir;

    private static KafkaTestBroker kafka;
    private static ClickHouseTestServer clickhouse;
    private static EngagementService service;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestBroker.startProcess(kafkaDir);
        kafka.createTopic("service-events", 2);
        kafka.createTopic("service-catalog", 1);
        clickhouse = ClickHouseTestServer.startWithSchema();
        String metrics =
                "grain, window_start, window_end, content_id, creator_id, version, views, watch_time_ms, completions,"
                        + " likes, comments, shares, saves, clicks";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (" + metrics + ") VALUES "
                                // k1: a1 at 10:00 (v1, then v2 with 30 views wins) and a2 at 11:00; k2: b1
                                + "('hour', '2026-06-01 10:00:00', '2026-06-01 11:00:00', 'a1', 'k1', 1, 10, 10000, 1, 0, 0, 0, 0, 0),"
                                + "('hour', '2026-06-01 10:00:00', '2026-06-01 11:00:00', 'a1', 'k1', 2, 30, 60000, 6, 3, 0, 0, 1, 0),"
                                + "('hour', '2026-06-01 11:00:00', '2026-06-01 12:00:00', 'a2', 'k1', 1, 10, 20000, 4, 0, 1, 2, 0, 1),"
                                + "('hour', '2026-06-01 10:00:00', '2026-06-01 11:00:00', 'b1', 'k2', 1, 500, 0, 0, 0, 0, 0, 0, 0)");
        // The content catalogue, the only source of ownership: a1, a2 are k1's; b1 was k1's, then moved to
        // k2 (the newer version wins);
        // g1 was k1's and is deleted; a3 is k1's and has no metric rows yet.
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_catalog (content_id, creator_id, deleted, version) VALUES "
                                + "('a1', 'k1', 0, 1), ('a2', 'k1', 0, 2), ('a3', 'k1', 0, 6), ('b1', 'k1', 0, 3), ('b1', 'k2', 0, 9), ('g1', 'k1', 0, 4), ('g1', '', 1, 5)");
        service = new EngagementService(config(Map.of()), EventPublisher.forConfig(config(Map.of())), clickhouse.http())
                .start();
    }

    static ServiceConfig config(Map<String, String> moreEnv) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("ENGAGEMENT_SERVICE_API_KEYS", KEYS));
        env.putAll(moreEnv);
        return ServiceConfig.from(
                new String[] {
                    "--service.port",
                    "0",
                    "--kafka.bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--kafka.input-topic",
                    "service-events",
                    "--clickhouse.url",
                    clickhouse.httpUrl(),
                    "--service.produce-timeout",
                    "3 s",
                    "--service.rate-limit.analytics-per-minute",
                    "1000"
                },
                env);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (clickhouse != null) {
            clickhouse.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    static Answer call(String method, String path, String key, String body) throws Exception {
        return call(method, service.port(), path, key, body);
    }

    static Answer call(String method, int port, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), r.body(), r);
    }

    static String event(String id, String type, String content) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"content_id\":\"" + content
                + "\",\"creator_id\":\"k1\"," + "\"user_id\":\"u1\",\"session_id\":\"s1\",\"event_time\":\""
                + Instant.now().minusSeconds(5) + "\"}";
    }

    private static List<ConsumerRecord<byte[], byte[]>> produced(String eventId) {
        return kafka.readCommitted("service-events").stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"" + eventId + "\""))
                .toList();
    }

    @Test
    void oneEventIsValidatedAndProducedKeyedByContentWithTheServerTime() throws Exception {
        long before = System.currentTimeMillis();
        Answer ok = call("POST", "/v1/events", TRACKING_KEY, event("e-one", "like", "a1"));
        assertEquals(202, ok.status(), ok.body());
        assertEquals("e-one", ok.json().get("event_id").asText());
        List<ConsumerRecord<byte[], byte[]>> records = produced("e-one");
        assertEquals(1, records.size());
        assertEquals("a1", new String(records.get(0).key(), StandardCharsets.UTF_8));
        JsonNode message = JSON.readTree(records.get(0).value());
        long serverTime = Instant.parse(message.get("server_time").asText()).toEpochMilli();
        assertTrue(serverTime >= before && serverTime <= System.currentTimeMillis(), "server time " + serverTime);
        assertEquals(serverTime, records.get(0).timestamp());
        assertEquals("like", message.get("event_type").asText(), "the client's fields are kept");

        Answer unknown = call("POST", "/v1/events", TRACKING_KEY, event("e-bad", "zap", "a1"));
        assertEquals(400, unknown.status());
        assertEquals("unknown_event_type", unknown.json().get("reason").asText());
        Answer broken = call("POST", "/v1/events", TRACKING_KEY, "{\"event_id\": ");
        assertEquals(400, broken.status());
        assertEquals("malformed_json", broken.json().get("reason").asText());
        assertEquals(List.of(), produced("e-bad"), "a rejected event is not produced");

        // Custom properties go through as the client sent them; one beyond the limits is a 400 naming it.
        String withProperties = event("e-props", "like", "a1").replace("}", ",\"properties\":{\"plan\":\"pro\"}}");
        Answer props = call("POST", "/v1/events", TRACKING_KEY, withProperties);
        assertEquals(202, props.status(), props.body());
        JsonNode producedProps = JSON.readTree(produced("e-props").get(0).value());
        assertEquals("pro", producedProps.get("properties").get("plan").asText());
        String arrayProperty = event("e-props-bad", "like", "a1").replace("}", ",\"properties\":{\"tags\":[\"a\"]}}");
        Answer refused = call("POST", "/v1/events", TRACKING_KEY, arrayProperty);
        assertEquals(400, refused.status());
        assertEquals("invalid_field", refused.json().get("reason").asText());
        assertTrue(refused.json().get("detail").asText().startsWith("properties.tags is an array"), refused.body());
    }

    static final String TOKEN_KEY = "user-token-key-of-the-platform-login-0123456789";

    /** An HS256 JWT laid out by hand (RFC 7519), independent of the library that verifies it. */
    static String token(String key, String algorithm, String subject, Instant expires) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(
                ("{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"" + subject + "\",\"exp\":" + expires.getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8));
        if (algorithm.equals("none")) {
            return header + "." + claims + ".";
        }
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return header + "." + claims + "."
                + b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8)));
    }

    static Answer track(int port, String token, String body) throws Exception {
        return trackFrom(port, token == null ? Map.of() : Map.of("X-User-Token", token), body);
    }

    static String eventOf(String id, String userField) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"like\",\"content_id\":\"a1\",\"creator_id\":\"k1\""
                + userField + ",\"session_id\":\"s1\",\"event_time\":\""
                + Instant.now().minusSeconds(5) + "\"}";
    }

    @Test
    void withUserTokensAnEventsUserIsTheVerifiedOneAndNoOneElse() throws Exception {
        try (EngagementService verifying = new EngagementService(
                        config(Map.of("ENGAGEMENT_SERVICE_USER_TOKEN_KEY", TOKEN_KEY)),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            int port = verifying.port();
            Instant inAnHour = Instant.now().plusSeconds(3600);
            String u7 = token(TOKEN_KEY, "HS256", "u7", inAnHour);

            // A valid token: the body's user_id may agree, or be absent (the token's user is added).
            assertEquals(
                    202,
                    track(port, u7, eventOf("t-agrees", ",\"user_id\":\"u7\"")).status());
            assertEquals(202, track(port, u7, eventOf("t-added", "")).status());
            assertEquals(
                    "u7",
                    JSON.readTree(produced("t-added").get(0).value())
                            .get("user_id")
                            .asText());
            Answer other = track(port, u7, eventOf("t-other", ",\"user_id\":\"u8\""));
            assertEquals(400, other.status(), other.body());
            assertEquals("user_mismatch", other.json().get("reason").asText());

            // No token: anonymous events only.
            assertEquals(202, track(port, null, eventOf("t-anonymous", "")).status());
            Answer claimed = track(port, null, eventOf("t-claimed", ",\"user_id\":\"u7\""));
            assertEquals(400, claimed.status(), claimed.body());
            assertEquals("user_not_verified", claimed.json().get("reason").asText());

            // Expired, forged (another key), unsigned (alg none) and garbled tokens: 401, nothing produced.
            Answer expired = track(
                    port, token(TOKEN_KEY, "HS256", "u7", Instant.now().minusSeconds(60)), eventOf("t-expired", ""));
            assertEquals(401, expired.status(), expired.body());
            assertTrue(expired.json().get("error").asText().contains("expired"), expired.body());
            Answer forged = track(
                    port,
                    token("another-key-that-is-also-long-enough-0123", "HS256", "u7", inAnHour),
                    eventOf("t-forged", ",\"user_id\":\"u7\""));
            assertEquals(401, forged.status(), forged.body());
            assertEquals(
                    401,
                    track(port, token(TOKEN_KEY, "none", "u7", inAnHour), eventOf("t-none", ",\"user_id\":\"u7\""))
                            .status());
            assertEquals(
                    401, track(port, "not.a.token", eventOf("t-garbled", "")).status());

            for (String refused : List.of("t-other", "t-claimed", "t-expired", "t-forged", "t-none", "t-garbled")) {
                assertEquals(List.of(), produced(refused), refused + " must not be produced");
            }
            assertEquals(1, produced("t-agrees").size());
            assertEquals(1, produced("t-anonymous").size());
        }
    }

    /** A valid event padded (with an unknown field, which the job ignores) to exactly {@code bytes}. */
    static String eventOfSize(String id, int bytes) {
        String start = "{\"event_id\":\"" + id
                + "\",\"event_type\":\"like\",\"content_id\":\"a1\",\"creator_id\":\"k1\","
                + "\"session_id\":\"s1\",\"event_time\":\"" + Instant.now().minusSeconds(5) + "\",\"pad\":\"";
        String end = "\"}";
        return start + "x".repeat(bytes - start.length() - end.length()) + end;
    }

    @Test
    void theServiceValidatesWithTheJobsSettingsTheMessageItProduces() throws Exception {
        Map<String, String> jobSettings = Map.of(
                "ENGAGEMENT_VALIDATION_MAX_MESSAGE_BYTES", "1024", "ENGAGEMENT_VALIDATION_MAX_WATCH_TIME", "1 h");
        try (EngagementService strict = new EngagementService(
                        config(jobSettings), EventPublisher.forConfig(config(Map.of())), clickhouse.http())
                .start()) {
            int port = strict.port();
            // 1 024 bytes is within the job's cap, but not with the server_time the service adds.
            assertEquals(1024, eventOfSize("v-at-cap", 1024).getBytes(StandardCharsets.UTF_8).length);
            Answer atCap = track(port, null, eventOfSize("v-at-cap", 1024));
            assertEquals(400, atCap.status(), atCap.body());
            assertEquals("message_too_large", atCap.json().get("reason").asText());
            assertEquals(List.of(), produced("v-at-cap"));
            // 900 bytes + server_time fits: accepted, and what was produced is within the cap.
            assertEquals(202, track(port, null, eventOfSize("v-fits", 900)).status());
            assertTrue(produced("v-fits").get(0).value().length <= 1024);
            // The job's max-watch-time of 1 h, not the default 12 h.
            Answer twoHours = track(port, null, eventOf("v-watch", ",\"watch_time_ms\":7200000"));
            assertEquals(400, twoHours.status(), twoHours.body());
            assertEquals("invalid_watch_time", twoHours.json().get("reason").asText());
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndNoneTellsTheServersInternals() throws Exception {
        for (Answer answer : List.of(
                call("GET", "/health", null, null),
                call("GET", "/v1/me", null, null),
                call("GET", "/v1/creators/k2/analytics", CREATOR_KEY, null),
                call("POST", "/v1/events", TRACKING_KEY, "{"))) {
            var headers = answer.response().headers();
            assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElse(null), answer.body());
            assertEquals("DENY", headers.firstValue("X-Frame-Options").orElse(null));
            assertEquals("no-referrer", headers.firstValue("Referrer-Policy").orElse(null));
            assertTrue(headers.firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        }
        // A query ClickHouse refuses (its database does not exist): 502 with a reference, not the server's words.
        try (EngagementService misconfigured = new EngagementService(
                        config(Map.of("ENGAGEMENT_CLICKHOUSE_DATABASE", "nodb")),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            Answer failed = call("GET", misconfigured.port(), "/v1/creators/k1/analytics", CREATOR_KEY, null);
            assertEquals(502, failed.status(), failed.body());
            String error = failed.json().get("error").asText();
            assertTrue(error.contains("reference"), error);
            for (String internal : List.of("Exception", "Code:", "nodb", "SELECT", "18.16")) {
                assertTrue(!error.contains(internal), internal + " in " + error);
            }
        }
    }

    @Test
    void analyticsRequestsAreBoundedAndAnOversizedAnswerIsRefusedNotCut() throws Exception {
        Answer bigLimit = call("GET", "/v1/trending?limit=1001", ADMIN_KEY, null);
        assertEquals(400, bigLimit.status(), bigLimit.body());
        assertEquals(
                "limit may be at most 1000, not 1001",
                bigLimit.json().get("error").asText());
        Answer bigTop = call("GET", "/v1/creators/k1/analytics?top=5000", CREATOR_KEY, null);
        assertEquals(400, bigTop.status(), bigTop.body());
        Answer longRange = call("GET", "/v1/creators/k1/analytics?from=2025-01-01&to=2026-06-02", CREATOR_KEY, null);
        assertEquals(400, longRange.status(), longRange.body());
        assertTrue(longRange.json().get("error").asText().contains("at most 400 days"), longRange.body());
        assertEquals(
                200,
                call(
                                "GET",
                                "/v1/creators/k1/analytics?from=2026-06-01%2000:00:00&to=2026-06-02%2000:00:00&top=1000",
                                CREATOR_KEY,
                                null)
                        .status());
        // Every time form the queries take counts for the range, the ISO one with T and Z included.
        assertEquals(
                200,
                call(
                                "GET",
                                "/v1/creators/k1/analytics?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z",
                                CREATOR_KEY,
                                null)
                        .status());
        assertEquals(
                400,
                call(
                                "GET",
                                "/v1/creators/k1/analytics?from=2025-01-01T00:00:00Z&to=2026-06-02T00:00:00Z",
                                CREATOR_KEY,
                                null)
                        .status());

        // Two day rows far from the other tests' dates; a service whose queries may answer 1 row refuses the list.
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id, creator_id,"
                                + " version, views) VALUES ('day', '2025-01-15 00:00:00', '2025-01-16 00:00:00', 'd1', 'k9', 1, 500),"
                                + " ('day', '2025-01-15 00:00:00', '2025-01-16 00:00:00', 'd2', 'k9', 1, 600)");
        String list = "/v1/top-performing?from=2025-01-15&to=2025-01-15&min_views=1";
        assertEquals(2, call("GET", list, ADMIN_KEY, null).json().get("rows").asInt());
        try (EngagementService small = new EngagementService(
                        config(Map.of("ENGAGEMENT_SERVICE_ANALYTICS_MAX_RESULT_ROWS", "1")),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            Answer refused = call("GET", small.port(), list, ADMIN_KEY, null);
            assertEquals(400, refused.status(), refused.body());
            assertTrue(
                    refused.json().get("error").asText().contains("more rows than this service returns"),
                    refused.body());
        }
    }

    /**
     * An answer is served again for service.analytics.cache-ttl without asking ClickHouse (a row written
     * meanwhile is not in it), then asked afresh; other values are other answers; /metrics counts both.
     */
    @Test
    void anAnswerIsServedAgainForTheCacheTtlAndThenAskedAfresh() throws Exception {
        try (EngagementService cached = new EngagementService(
                        config(Map.of("ENGAGEMENT_SERVICE_ANALYTICS_CACHE_TTL", "2 s")),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            String insert = "INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id,"
                    + " creator_id, version, views) VALUES ('day', '2024-02-10 00:00:00', '2024-02-11 00:00:00', ";
            clickhouse.http().execute(insert + "'cache-1', 'k-cache', 1, 40)");
            String range = "/v1/creators/k-cache/content?from=2024-02-10&to=2024-02-10";
            Answer first = call("GET", cached.port(), range, ADMIN_KEY, null);
            long asked = System.nanoTime();
            assertEquals(1, first.json().get("rows").asInt(), first.body());
            clickhouse.http().execute(insert + "'cache-2', 'k-cache', 1, 50)");
            Answer again = call("GET", cached.port(), range, ADMIN_KEY, null);
            // (On a machine too slow to ask again within the TTL, the second answer is fresh: not checked.)
            boolean withinTtl = System.nanoTime() - asked < TimeUnit.MILLISECONDS.toNanos(1_500);
            if (withinTtl) {
                assertEquals(first.body(), again.body(), "served from the cache within its TTL");
            }
            // Other values: asked of ClickHouse, with the new row.
            Answer otherSort = call("GET", cached.port(), range + "&sort=views", ADMIN_KEY, null);
            assertEquals(2, otherSort.json().get("rows").asInt(), otherSort.body());
            Thread.sleep(2_100);
            Answer afterTtl = call("GET", cached.port(), range, ADMIN_KEY, null);
            assertEquals(2, afterTtl.json().get("rows").asInt(), afterTtl.body());
            if (withinTtl) {
                String metrics = call("GET", cached.port(), "/metrics", METRICS_KEY, null)
                        .body();
                assertTrue(metrics.contains("engagement_service_analytics_cache_total{result=\"hit\"} 1\n"), metrics);
                assertTrue(metrics.contains("engagement_service_analytics_cache_total{result=\"miss\"} 3\n"), metrics);
            }
        }
    }

    /**
     * A read waiting on ClickHouse holds a request thread; with reads bounded in number, a flood of
     * them (here: ClickHouse frozen) is answered 503 at once while tracking goes on.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void analyticsReadsWaitingOnClickHouseCannotStarveTracking() throws Exception {
        try (EngagementService bounded = new EngagementService(
                        config(Map.of(
                                "ENGAGEMENT_SERVICE_ANALYTICS_MAX_CONCURRENT",
                                "1",
                                "ENGAGEMENT_SERVICE_ANALYTICS_MAX_WAIT",
                                "500 ms")),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            int port = bounded.port();
            String read = "/v1/creators/k1/analytics?from=2026-06-01&to=2026-06-02";
            clickhouse.pause();
            java.util.concurrent.CompletableFuture<Answer> waiting;
            try {
                waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return call("GET", port, read, ADMIN_KEY, null);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Thread.sleep(1_500); // the first read is waiting on the frozen server
                long asked = System.nanoTime();
                Answer second = call("GET", port, read, ADMIN_KEY, null);
                assertEquals(503, second.status(), second.body());
                assertTrue(
                        System.nanoTime() - asked >= TimeUnit.MILLISECONDS.toNanos(450),
                        "the second read waited service.analytics.max-wait in line before it was refused");
                assertTrue(
                        second.json().get("error").asText().contains("service.analytics.max-concurrent"),
                        second.body());
                long start = System.nanoTime();
                Answer tracked = call("POST", port, "/v1/events", TRACKING_KEY, event("e-starve", "like", "a1"));
                assertEquals(202, tracked.status(), tracked.body());
                assertTrue(
                        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5),
                        "tracking did not wait behind the reads");
            } finally {
                clickhouse.resume();
            }
            assertEquals(
                    200,
                    waiting.get(60, TimeUnit.SECONDS).status(),
                    "the waiting read is answered once ClickHouse is back");
            assertEquals(200, call("GET", port, read, ADMIN_KEY, null).status(), "its permit was returned");
        }
    }

    /** The content service's key writes the catalogue topic, checked by the job's own reader; nothing else. */
    @Test
    void theCatalogueRoutesPublishCheckedEntriesKeyedByContent() throws Exception {
        try (EngagementService catalogue = new EngagementService(
                        config(Map.of("ENGAGEMENT_KAFKA_CATALOG_TOPIC", "service-catalog")),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            int port = catalogue.port();
            String entry =
                    "{\"content_id\":\"c-7\",\"creator_id\":\"k2\",\"duration_ms\":21000,\"hashtags\":[\"fyp\"]}";
            Answer put = call("PUT", port, "/v1/catalog/c-7", CATALOG_KEY, entry);
            assertEquals(200, put.status(), put.body());
            assertEquals("published", put.json().get("status").asText());
            Answer bad = call("PUT", port, "/v1/catalog/c-8", CATALOG_KEY, "{\"content_id\":\"c-8\"}");
            assertEquals(400, bad.status());
            assertEquals(
                    "missing required field 'creator_id'",
                    bad.json().get("error").asText());
            Answer otherKey = call("PUT", port, "/v1/catalog/c-8", CATALOG_KEY, entry);
            assertEquals(400, otherKey.status());
            assertTrue(
                    otherKey.json().get("error").asText().contains("differs from the message key 'c-8'"),
                    otherKey.body());
            assertEquals(
                    200,
                    call("DELETE", port, "/v1/catalog/c-7", CATALOG_KEY, null).status());
            // Only the catalogue key writes it, and it reads nothing.
            assertEquals(
                    403,
                    call("PUT", port, "/v1/catalog/c-7", CREATOR_KEY, entry).status());
            assertEquals(
                    403,
                    call("DELETE", port, "/v1/catalog/c-7", ADMIN_KEY, null).status());
            assertEquals(
                    403, call("GET", port, "/v1/trending", CATALOG_KEY, null).status());
            assertEquals(
                    403,
                    call("POST", port, "/v1/events", CATALOG_KEY, event("e-cat", "like", "a1"))
                            .status());

            List<ConsumerRecord<byte[], byte[]>> records = kafka.readCommitted("service-catalog");
            assertEquals(2, records.size(), "the entry and its deletion; nothing for the refused ones");
            assertEquals("c-7", new String(records.get(0).key(), StandardCharsets.UTF_8));
            assertEquals(entry, new String(records.get(0).value(), StandardCharsets.UTF_8));
            assertEquals("c-7", new String(records.get(1).key(), StandardCharsets.UTF_8));
            assertEquals(null, records.get(1).value(), "a deletion is a tombstone");
        }
        // A service without a catalogue topic says so.
        Answer off = call("PUT", "/v1/catalog/c-7", CATALOG_KEY, "{\"content_id\":\"c-7\",\"creator_id\":\"k2\"}");
        assertEquals(503, off.status());
        assertTrue(off.json().get("error").asText().contains("kafka.catalog-topic"), off.body());
    }

    @Test
    void aShortUserTokenKeyIsRefusedAtStart() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> config(Map.of("ENGAGEMENT_SERVICE_USER_TOKEN_KEY", "short")));
        assertTrue(e.getMessage().contains("service.user-token-key must be at least 32 bytes"), e.getMessage());
    }

    @Test
    void aBatchIsAnsweredPerEvent() throws Exception {
        String batch = "[" + event("e-b1", "view_start", "a1") + "," + event("e-b2", "zap", "a1") + ","
                + "{\"event_type\":\"like\"}," + event("e-b3", "share", "a2") + "]";
        Answer a = call("POST", "/v1/events/batch", TRACKING_KEY, batch);
        assertEquals(200, a.status(), a.body());
        JsonNode body = a.json();
        assertEquals(2, body.get("accepted").asInt());
        assertEquals(2, body.get("rejected").asInt());
        assertEquals(
                List.of(true, false, false, true),
                java.util.stream.StreamSupport.stream(body.get("results").spliterator(), false)
                        .map(r -> r.get("accepted").asBoolean())
                        .toList());
        assertEquals("missing_field", body.get("results").get(2).get("reason").asText());
        assertEquals(1, produced("e-b1").size());
        assertEquals(1, produced("e-b3").size());

        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i <= TrackingApi.MAX_BATCH; i++) {
            tooMany.append(i == 0 ? "" : ",").append(event("e-many-" + i, "like", "a1"));
        }
        Answer refused = call(
                "POST", "/v1/events/batch", TRACKING_KEY, tooMany.append("]").toString());
        assertEquals(400, refused.status());
        assertTrue(refused.json().get("error").asText().contains("at most 100"), refused.body());
        assertEquals(List.of(), produced("e-many-0"));
    }

    @Test
    void whenKafkaIsDownNothingIsAcceptedAndTheRetryLandsOnceItIsBack() throws Exception {
        kafka.stopProcess();
        try {
            Answer down = call("POST", "/v1/events", TRACKING_KEY, event("e-outage", "like", "a1"));
            assertEquals(503, down.status(), down.body());
            assertEquals(
                    "5", down.response().headers().firstValue("Retry-After").orElse(null));
        } finally {
            kafka.restartProcess();
        }
        // The client sends the same event again; the first attempt may also have landed (the job drops
        // the copy by its event id), but the event is in the topic.
        long deadline = System.currentTimeMillis() + 60_000;
        Answer again;
        do {
            again = call("POST", "/v1/events", TRACKING_KEY, event("e-outage", "like", "a1"));
        } while (again.status() == 503 && System.currentTimeMillis() < deadline);
        assertEquals(202, again.status(), again.body());
        int copies = produced("e-outage").size();
        assertTrue(copies >= 1 && copies <= 2, copies + " copies");
    }

    @Test
    void keysAndRoles() throws Exception {
        String mine = "/v1/creators/k1/analytics?from=2026-06-01%2000:00:00&to=2026-06-02%2000:00:00";
        assertEquals(401, call("GET", mine, null, null).status());
        assertEquals(401, call("GET", mine, "not-a-key-of-ours-at-all", null).status());
        assertEquals(403, call("GET", mine, TRACKING_KEY, null).status(), "a tracking key only writes");
        assertEquals(403, call("GET", mine, OTHER_CREATOR_KEY, null).status(), "k2 may not read k1");
        assertEquals(
                403,
                call("POST", "/v1/events", CREATOR_KEY, event("e-c", "like", "a1"))
                        .status());
        assertEquals(403, call("GET", "/v1/admin/stats", CREATOR_KEY, null).status());
        assertEquals(
                403,
                call("GET", "/v1/users/u1/watch-history", CREATOR_KEY, null).status());
        // A content of another creator is answered as unknown, so its existence does not leak.
        assertEquals(
                404, call("GET", "/v1/content/b1/metrics", CREATOR_KEY, null).status());
        assertEquals(
                200,
                call("GET", "/v1/content/b1/metrics", OTHER_CREATOR_KEY, null).status(),
                "the catalogue's newest owner");
        assertEquals(
                404, call("GET", "/v1/content/g1/metrics", CREATOR_KEY, null).status(), "deleted from the catalogue");
        assertEquals(
                404, call("GET", "/v1/content/zz/metrics", CREATOR_KEY, null).status(), "not in the catalogue");
        assertEquals(
                200,
                call("GET", "/v1/content/a3/metrics", CREATOR_KEY, null).status(),
                "in the catalogue, no rows yet");
        assertEquals(
                200, call("GET", "/v1/content/a1/metrics", CREATOR_KEY, null).status());
        assertEquals(200, call("GET", "/v1/content/b1/metrics", ADMIN_KEY, null).status());
        assertEquals(200, call("GET", mine, ADMIN_KEY, null).status());
        assertEquals(
                "creator",
                call("GET", "/v1/me", CREATOR_KEY, null).json().get("role").asText());
        // A metrics key reads the counters and nothing else; a creator key does not read the counters.
        assertEquals(200, call("GET", "/metrics", METRICS_KEY, null).status());
        assertEquals(200, call("GET", "/metrics", ADMIN_KEY, null).status());
        assertEquals(403, call("GET", "/metrics", CREATOR_KEY, null).status());
        for (String[] other : new String[][] {
            {"GET", "/v1/me"},
            {"GET", "/v1/content/a1/metrics"},
            {"GET", mine},
            {"GET", "/v1/users/u1/watch-history"},
            {"GET", "/v1/admin/stats"},
            {"GET", "/v1/trending"}
        }) {
            assertEquals(403, call(other[0], other[1], METRICS_KEY, null).status(), other[1]);
        }
        assertEquals(
                403,
                call("POST", "/v1/events", METRICS_KEY, event("e-m", "like", "a1"))
                        .status());

        // k1 on June 1: a1 (v2) 30 views + a2 10 = 40, 80 s watched, 10 completions (25 %), engagement
        // (3 likes + 1 comment + 2 shares) / 40 = 15 %, top a1:30, a2:10.
        JsonNode row = call("GET", mine, CREATOR_KEY, null).json().get("data").get(0);
        assertEquals(40, row.get("views").asInt());
        assertEquals(2, row.get("contents").asInt());
        assertEquals(80.0, row.get("watch_s").asDouble());
        assertEquals(25.0, row.get("completion_pct").asDouble());
        assertEquals(15.0, row.get("engagement_pct").asDouble());
        assertEquals("[\"a1:30\",\"a2:10\"]", row.get("top_content").toString());
    }

    @Test
    void reachIsAnsweredToTheOwnerOnlyWithTheDashboardsNumbers() throws Exception {
        String june1 = "?from=2026-06-01%2000:00:00&to=2026-06-02%2000:00:00";
        assertEquals(
                404,
                call("GET", "/v1/content/b1/reach" + june1, CREATOR_KEY, null).status(),
                "k2's content");
        assertEquals(
                403,
                call("GET", "/v1/creators/k2/reach" + june1, CREATOR_KEY, null).status());
        // k1 on June 1: a1 (v2) 30 views + a2 10 = 40 (as the analytics card), 6 + 4 completions = 25 %,
        // 3 likes = 7.5 %; no impressions in the fixture, so no click-through (null, not 0).
        JsonNode creator = call("GET", "/v1/creators/k1/reach" + june1, CREATOR_KEY, null)
                .json()
                .get("data")
                .get(0);
        assertEquals(40, creator.get("view_count").asInt());
        assertEquals(25.0, creator.get("completed_pct_of_views").asDouble());
        assertEquals(7.5, creator.get("liked_pct_of_views").asDouble());
        assertTrue(creator.get("click_through_pct").isNull(), creator.toString());
        JsonNode content = call("GET", "/v1/content/a1/reach" + june1, CREATOR_KEY, null)
                .json()
                .get("data")
                .get(0);
        assertEquals(30, content.get("view_count").asInt());
        assertEquals(6, content.get("completion_count").asInt());
        // Typical performance is a content's: k2's b1 is unknown to k1, a1 is answered (its figures are
        // checked against hand-computed fixtures in AnalystQueriesContract).
        assertEquals(
                404, call("GET", "/v1/content/b1/typical", CREATOR_KEY, null).status());
        Answer typical = call("GET", "/v1/content/a1/typical?age_hours=1&recent_days=400", CREATOR_KEY, null);
        assertEquals(200, typical.status(), typical.body());
        assertEquals("a1", typical.json().get("data").get(0).get("content").asText());
        assertEquals(
                400,
                call("GET", "/v1/content/a1/typical?age=1", CREATOR_KEY, null).status());
        // The realtime card: the creator's own minutes only, a bounded look-back.
        assertEquals(
                200, call("GET", "/v1/creators/k1/realtime", CREATOR_KEY, null).status());
        assertEquals(
                403, call("GET", "/v1/creators/k2/realtime", CREATOR_KEY, null).status());
        Answer tooFar = call("GET", "/v1/creators/k1/realtime?minutes=5000", CREATOR_KEY, null);
        assertEquals(400, tooFar.status());
        assertTrue(
                tooFar.json().get("error").asText().startsWith("minutes must be a whole number from 1 to 1440"),
                tooFar.body());
    }

    @Test
    void trendingLabelsAreAnsweredByKindAndAnUnknownKindIsRefused() throws Exception {
        assertEquals(200, call("GET", "/v1/trending/labels", CREATOR_KEY, null).status());
        assertEquals(
                200,
                call("GET", "/v1/trending/labels?kind=sound&limit=5", ADMIN_KEY, null)
                        .status());
        Answer mood = call("GET", "/v1/trending/labels?kind=mood", CREATOR_KEY, null);
        assertEquals(400, mood.status());
        assertTrue(
                mood.json().get("error").asText().contains("kind must be one of hashtag, sound, category"),
                mood.body());
        assertEquals(403, call("GET", "/v1/trending/labels", METRICS_KEY, null).status());
    }

    @Test
    void everyAnswerExportsAsCsvWithTheSameNumbers() throws Exception {
        String path = "/v1/creators/k1/analytics?from=2026-06-01%2000:00:00&to=2026-06-02%2000:00:00";
        Answer csv = call("GET", path + "&format=csv", CREATOR_KEY, null);
        assertEquals(200, csv.status());
        assertTrue(csv.response()
                .headers()
                .firstValue("Content-Disposition")
                .orElse("")
                .contains("attachment"));
        List<String> lines = csv.body().lines().toList();
        assertEquals(
                "creator_id,contents,views,unique_viewers,watch_s,completion_pct,saves,shares,clicks,engagement_pct,action_pct,"
                        + "avg_views_per_content,avg_watch_s_per_view,top_content",
                lines.get(0));
        // 40 views / 2 contents = 20 per content, 80 s / 40 views = 2 s per view
        assertEquals("k1,2,40,0,80,25,1,2,1,15,10,20,2,\"[a1:30, a2:10]\"", lines.get(1));
        assertEquals(400, call("GET", path + "&format=xml", CREATOR_KEY, null).status());
        Answer typo = call("GET", path + "&form=2026-06-01", CREATOR_KEY, null);
        assertEquals(400, typo.status());
        assertTrue(typo.json().get("error").asText().startsWith("unknown parameter 'form'"), typo.body());
        Answer badDate = call("GET", "/v1/creators/k1/analytics?from=yesterday", CREATOR_KEY, null);
        assertEquals(400, badDate.status(), badDate.body());
    }

    @Test
    void comparisonOfTwoPeriods() throws Exception {
        // June 1 11:00-12:00 (a2: 10 views) against 10:00-11:00 (a1 v2: 30 views): -66.7 %.
        JsonNode rows = call(
                        "GET",
                        "/v1/creators/k1/comparison?from=2026-06-01%2011:00:00&to=2026-06-01%2012:00:00",
                        CREATOR_KEY,
                        null)
                .json()
                .get("data");
        JsonNode views = rows.get(0);
        assertEquals("views", views.get("metric").asText());
        assertEquals(10.0, views.get("current").asDouble());
        assertEquals(30.0, views.get("previous").asDouble());
        assertEquals(-66.7, views.get("change_pct").asDouble());
    }

    private static long metric(String series) throws Exception {
        String text = call("GET", "/metrics", ADMIN_KEY, null).body();
        return text.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElse(0);
    }

    @Test
    void metricsCountAcceptedAndRejectedEventsAndStatuses() throws Exception {
        assertEquals(403, call("GET", "/metrics", CREATOR_KEY, null).status(), "metrics are for admin keys");
        String rejected = "engagement_service_events_rejected_total{reason=\"unknown_event_type\"}";
        String forbidden = "engagement_service_requests_total{route=\"GET /v1/admin/stats\",status=\"403\"}";
        String badRequest =
                "engagement_service_requests_total{route=\"GET /v1/creators/{creatorId}/analytics\",status=\"400\"}";
        long acceptedBefore = metric("engagement_service_events_accepted_total");
        long rejectedBefore = metric(rejected);
        long forbiddenBefore = metric(forbidden);
        long badBefore = metric(badRequest);
        call(
                "POST",
                "/v1/events/batch",
                TRACKING_KEY,
                "[" + event("e-m1", "like", "a1") + "," + event("e-m2", "zap", "a1") + "," + event("e-m3", "save", "a2")
                        + "]");
        call("GET", "/v1/admin/stats", CREATOR_KEY, null);
        call("GET", "/v1/creators/k1/analytics?from=yesterday", CREATOR_KEY, null);
        assertEquals(acceptedBefore + 2, metric("engagement_service_events_accepted_total"));
        assertEquals(rejectedBefore + 1, metric(rejected));
        assertEquals(forbiddenBefore + 1, metric(forbidden));
        assertEquals(badBefore + 1, metric(badRequest), "a status set by the exception handler is counted as such");
        assertEquals(0, metric("engagement_service_pending_events"));
    }

    static Answer trackFrom(int port, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TRACKING_KEY);
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(
                b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(r.statusCode(), r.body(), r);
    }

    @Test
    void aClientChosenIdDoesNotOpenNewBucketsAndFailedKeysAreLimitedPerAddress() throws Exception {
        try (EngagementService limited = new EngagementService(
                        config(Map.of(
                                "ENGAGEMENT_SERVICE_RATE_LIMIT_EVENTS_PER_MINUTE",
                                "3",
                                "ENGAGEMENT_SERVICE_RATE_LIMIT_AUTH_FAILURES_PER_MINUTE",
                                "2")),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(trackFrom(
                                limited.port(),
                                Map.of("X-Client-Id", "install-" + i),
                                event("e-cid-" + i, "like", "a1"))
                        .status());
            }
            assertEquals(
                    List.of(202, 202, 202, 429, 429), statuses, "one address, five made-up client ids: one bucket");

            List<Integer> wrongKeys = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                wrongKeys.add(call("GET", limited.port(), "/v1/me", "guess-" + i + "-0123456789abcdef", null)
                        .status());
            }
            assertEquals(List.of(401, 401, 429, 429), wrongKeys, "2 failed keys a minute per address");
        }
    }

    @Test
    void behindATrustedProxyTheForwardedAddressIsTheClientAndWhatTheClientWroteBeforeItIsNot() throws Exception {
        try (EngagementService proxied = new EngagementService(
                        config(Map.of(
                                "ENGAGEMENT_SERVICE_RATE_LIMIT_EVENTS_PER_MINUTE",
                                "1",
                                "ENGAGEMENT_SERVICE_TRUSTED_PROXIES",
                                "127.0.0.1")),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            int port = proxied.port();
            assertEquals(
                    202,
                    trackFrom(port, Map.of("X-Forwarded-For", "203.0.113.4"), event("e-px-1", "like", "a1"))
                            .status());
            assertEquals(
                    429,
                    trackFrom(port, Map.of("X-Forwarded-For", "203.0.113.4"), event("e-px-2", "like", "a1"))
                            .status());
            assertEquals(
                    202,
                    trackFrom(port, Map.of("X-Forwarded-For", "198.51.100.9"), event("e-px-3", "like", "a1"))
                            .status());
            // The client prepends an address of its choice; the proxy appends the one it saw: the latter counts.
            assertEquals(
                    429,
                    trackFrom(port, Map.of("X-Forwarded-For", "192.0.2.77, 203.0.113.4"), event("e-px-4", "like", "a1"))
                            .status());
        }
    }

    @Test
    void rateLimitsPerClientAnswer429WithRetryAfter() throws Exception {
        try (EngagementService limited = new EngagementService(
                        config(Map.of("ENGAGEMENT_SERVICE_RATE_LIMIT_EVENTS_PER_MINUTE", "3")),
                        EventPublisher.forConfig(config(Map.of())),
                        clickhouse.http())
                .start()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        202,
                        call("POST", limited.port(), "/v1/events", TRACKING_KEY, event("e-rl-" + i, "like", "a1"))
                                .status());
            }
            Answer fourth = call("POST", limited.port(), "/v1/events", TRACKING_KEY, event("e-rl-3", "like", "a1"));
            assertEquals(429, fourth.status());
            assertEquals(
                    "20",
                    fourth.response().headers().firstValue("Retry-After").orElse(null),
                    "3 a minute: one every 20 s");
        }
    }
}
