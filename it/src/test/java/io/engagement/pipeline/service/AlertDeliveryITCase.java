package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.KafkaTestBroker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert delivery to creators' webhooks with a real Kafka broker and ClickHouse, and an HTTP receiver in
 * the test standing in for the creators' servers: creator k1's answers 503 twice, then 200; k2's
 * answers 400 (not retried); k3 has no webhook. Each delivered body is the topic's message, its
 * signature checks out with k1's secret (computed here with the JDK's HMAC, not the service's code), and
 * the delivery log has one row per attempt.
 */
class AlertDeliveryITCase {

    private static final String K1_SECRET = "k1-webhook-secret-0123456789";
    private static final String K2_SECRET = "k2-webhook-secret-0123456789";
    private static final String METRICS_KEY = "metrics-key-0123456789ab";

    @TempDir
    static Path dir;

    private static KafkaTestBroker kafka;
    private static ClickHouseTestServer clickhouse;
    private static HttpServer receiver;
    private static final List<String[]> received = new CopyOnWriteArrayList<>(); // {path, alert id, signature, body}
    private static final AtomicInteger k1Requests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestBroker.startProcess(dir.resolve("kafka"));
        kafka.createTopic("alerts", 2);
        clickhouse = ClickHouseTestServer.startWithSchema();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            received.add(new String[] {
                path,
                exchange.getRequestHeaders().getFirst("X-Engagement-Alert-Id"),
                exchange.getRequestHeaders().getFirst("X-Engagement-Signature"),
                new String(body, StandardCharsets.UTF_8)
            });
            int status = path.equals("/k1") ? (k1Requests.incrementAndGet() <= 2 ? 503 : 200) : 400;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (clickhouse != null) {
            clickhouse.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ServiceConfig config(Path webhooks) {
        return ServiceConfig.from(
                new String[] {
                    "--service.port", "0",
                    "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "--kafka.input-topic", "alerts-test-events",
                    "--kafka.alerts-topic", "alerts",
                    "--clickhouse.url", clickhouse.httpUrl(),
                    "--service.alert-webhooks-file", webhooks.toString(),
                    "--service.alert-delivery-backoff", "200 ms",
                    "--service.alert-delivery-attempts", "4"
                },
                Map.of(
                        "ENGAGEMENT_SERVICE_API_KEYS",
                        "ops:admin-key-0123456789ab:admin,prom:" + METRICS_KEY + ":metrics"));
    }

    private static String alert(String id, String creator) {
        return "{\"type\":\"creator_alert\",\"alert_id\":\"" + id + "\",\"kind\":\"spike\",\"creator_id\":\"" + creator
                + "\",\"content_id\":\"c\",\"observed_views\":200,\"typical_views\":16.0}";
    }

    @Test
    void alertsReachTheirCreatorsWebhooksSignedRetriedAndLogged() throws Exception {
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Path webhooks = dir.resolve("webhooks.json");
        Files.writeString(
                webhooks,
                "{\"k1\": {\"url\": \"" + base + "/k1\", \"secret\": \"" + K1_SECRET + "\"}," + " \"k2\": {\"url\": \""
                        + base + "/k2\", \"secret\": \"" + K2_SECRET + "\"}}");
        kafka.send("alerts", 0, "k1", alert("spike:a:1", "k1"));
        kafka.send("alerts", 1, "k2", alert("spike:b:1", "k2"));
        kafka.send("alerts", 1, "k3", alert("spike:c:1", "k3"));

        try (EngagementService service = new EngagementService(
                        config(webhooks), EventPublisher.forConfig(config(webhooks)), clickhouse.http())
                .start()) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && deliveryLog().size() < 4) {
                Thread.sleep(200);
            }
            // k1: 503, 503, 200 (waits 200 then 400 ms); k2: 400, given up at once; k3: nothing sent.
            assertEquals(
                    List.of(
                            "spike:a:1 k1 1 failed 503",
                            "spike:a:1 k1 2 failed 503",
                            "spike:a:1 k1 3 delivered 200",
                            "spike:b:1 k2 1 gave_up 400"),
                    deliveryLog());
            assertEquals(4, received.size());
            for (String[] request : received) {
                String creator = request[0].substring(1);
                assertEquals(creator.equals("k1") ? "spike:a:1" : "spike:b:1", request[1]);
                assertEquals(alert(request[1], creator), request[3]);
                assertSignedWith(creator.equals("k1") ? K1_SECRET : K2_SECRET, request[2], request[3]);
            }
            String metrics = serviceMetrics(service);
            assertTrue(metrics.contains("engagement_service_alert_deliveries_total{outcome=\"delivered\"} 1"), metrics);
            assertTrue(
                    metrics.contains("engagement_service_alert_deliveries_total{outcome=\"no_webhook\"} 1"), metrics);
        }
    }

    @Test
    void aBadWebhooksFileFailsAtStartNamingTheSetting() throws Exception {
        Path bad = dir.resolve("bad-webhooks.json");
        Files.writeString(bad, "{\"k1\": {\"url\": \"ftp://x\", \"secret\": \"" + K1_SECRET + "\"}}");
        ConfigException e = assertThrows(ConfigException.class, () -> config(bad));
        assertTrue(
                e.getMessage().contains("service.alert-webhooks-file: creator 'k1': url must be an http(s) URL"),
                e.getMessage());
        Files.writeString(bad, "{\"k1\": {\"url\": \"https://x\", \"secret\": \"short\"}}");
        e = assertThrows(ConfigException.class, () -> config(bad));
        assertTrue(e.getMessage().contains("secret must be at least 16 characters"), e.getMessage());
    }

    private static void assertSignedWith(String secret, String header, String body) throws Exception {
        assertTrue(header != null && header.matches("t=\\d+,v1=[0-9a-f]{64}"), header);
        String t = header.substring(2, header.indexOf(','));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        assertEquals("v1=" + expected, header.substring(header.indexOf(',') + 1));
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) < 120, "fresh timestamp " + t);
    }

    private static List<String> deliveryLog() throws Exception {
        return clickhouse
                .rows("SELECT alert_id, creator_id, attempt, outcome, http_status FROM"
                        + " engagement.alert_deliveries ORDER BY alert_id, attempt")
                .stream()
                .map(r -> r.replace('\t', ' '))
                .toList();
    }

    private static String serviceMetrics(EngagementService service) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + service.port() + "/metrics"))
                                .header("Authorization", "Bearer " + METRICS_KEY)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
