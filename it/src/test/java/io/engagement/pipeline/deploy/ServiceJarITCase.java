package io.engagement.pipeline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service jar as it ships ({@code target/*-service.jar}, built by {@code package}), started with
 * {@code java -jar} on its own classpath: the unit tests run on the test classpath, where Flink's
 * provided jars hide a service class that needs them (the service jar has none). Runs in the
 * integration-test phase, after packaging. No Kafka or ClickHouse is needed: it answers health, and
 * refuses bad tracking and catalogue bodies with the validators packed in the jar.
 */
class ServiceJarITCase {

    private static final String TRACKING_KEY = "tracking-key-0123456789";
    private static final String CATALOG_KEY = "catalog-key-0123456789abc";

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theShippedServiceJarStartsAndValidatesWithWhatItPacks() throws Exception {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-service.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*-service.jar: this test runs after package"));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("service-jar", ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "--service.host",
                        "127.0.0.1",
                        "--service.port",
                        Integer.toString(port),
                        "--kafka.bootstrap-servers",
                        "127.0.0.1:1",
                        "--clickhouse.url",
                        "http://127.0.0.1:1",
                        "--kafka.catalog-topic",
                        "catalogue"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment()
                .put("ENGAGEMENT_SERVICE_API_KEYS", "app:" + TRACKING_KEY + ":tracking,cs:" + CATALOG_KEY + ":catalog");
        Process service = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String health = null;
            while (System.nanoTime() < deadline && service.isAlive()) {
                try {
                    health = http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals("ok", health, "the service jar did not start:\n" + Files.readString(log));

            HttpResponse<String> event = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                            .header("Authorization", "Bearer " + TRACKING_KEY)
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"e1\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, event.statusCode(), event.body());
            assertTrue(event.body().contains("missing_field"), event.body());

            HttpResponse<String> entry = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/catalog/c1"))
                            .header("Authorization", "Bearer " + CATALOG_KEY)
                            .timeout(Duration.ofSeconds(30))
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"content_id\":\"c1\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, entry.statusCode(), entry.body());
            assertTrue(entry.body().contains("missing required field 'creator_id'"), entry.body());
        } finally {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }
}
