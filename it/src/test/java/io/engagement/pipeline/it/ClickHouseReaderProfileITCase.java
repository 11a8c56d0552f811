package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.clickhouse.ApplySchema;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.service.EngagementService;
import io.engagement.pipeline.service.EventPublisher;
import io.engagement.pipeline.service.ServiceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClickHouse the local stack runs (deploy/local/clickhouse.sh with the shipped config.xml and
 * users.xml, on free loopback ports), read as the HTTP service reads it: the {@code engagement_reader}
 * user writes nothing, and its profile bounds a query that sets no limits itself (result rows, rows
 * read or time); the service connected as that user answers.
 */
class ClickHouseReaderProfileITCase {

    private static final String READER_PASSWORD = "engagement-reader-local"; // deploy/clickhouse/users.xml

    @TempDir
    static Path stackDir;

    private static Map<String, String> env;
    private static String url;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void script(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("deploy/local/clickhouse.sh", command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "clickhouse.sh " + command + " failed:\n" + output);
    }

    @BeforeAll
    static void start() throws Exception {
        int http = freePort();
        env = new HashMap<>(Map.of(
                "ENGAGEMENT_STACK_DIR",
                stackDir.toString(),
                "CLICKHOUSE_HTTP_PORT",
                Integer.toString(http),
                "CLICKHOUSE_TCP_PORT",
                Integer.toString(freePort())));
        url = "http://127.0.0.1:" + http;
        script("start");
        ApplySchema.apply(new ClickHouseHttp(url, "default", ""), Path.of("sql/ddl"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (env != null) {
            script("stop");
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theReaderWritesNothingAndItsQueriesAreBounded() throws Exception {
        ClickHouseHttp reader = new ClickHouseHttp(url, "engagement_reader", READER_PASSWORD);
        assertEquals("1", reader.execute("SELECT 1").strip());
        IOException write = assertThrows(
                IOException.class,
                () -> reader.execute(
                        "INSERT INTO engagement.content_catalog (content_id, creator_id, version) VALUES ('c', 'k', 1)"));
        assertTrue(write.getMessage().contains("Code: 164"), write.getMessage()); // READONLY
        IOException tooManyRows =
                assertThrows(IOException.class, () -> reader.execute("SELECT number FROM system.numbers LIMIT 20000"));
        assertTrue(tooManyRows.getMessage().contains("Code: 396"), tooManyRows.getMessage()); // TOO_MANY_ROWS_OR_BYTES
        // A query without an end is stopped by the profile (rows read or time), not left running.
        long start = System.nanoTime();
        IOException endless =
                assertThrows(IOException.class, () -> reader.execute("SELECT count() FROM system.numbers"));
        assertTrue(
                endless.getMessage().contains("Code: 158")
                        || endless.getMessage().contains("Code: 159"),
                endless.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "stopped within the profile's bounds");
        assertEquals(
                0,
                Long.parseLong(new ClickHouseHttp(url, "default", "")
                        .execute("SELECT count() FROM engagement.content_catalog")
                        .strip()),
                "the reader's insert left nothing");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theServiceReadsAsTheReaderWithItsOwnPerQueryLimits() throws Exception {
        ServiceConfig config = ServiceConfig.from(
                new String[] {
                    "--service.port",
                    "0",
                    "--service.host",
                    "127.0.0.1",
                    "--kafka.bootstrap-servers",
                    "127.0.0.1:1",
                    "--clickhouse.url",
                    url,
                    "--clickhouse.user",
                    "engagement_reader"
                },
                Map.of(
                        "ENGAGEMENT_SERVICE_API_KEYS",
                        "ops:reader-test-admin-key-0123:admin",
                        "ENGAGEMENT_CLICKHOUSE_PASSWORD",
                        READER_PASSWORD));
        try (EngagementService service = new EngagementService(
                        config,
                        EventPublisher.forConfig(config),
                        new ClickHouseHttp(url, config.clickhouseUser, READER_PASSWORD))
                .start()) {
            HttpResponse<String> stats = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                                            + "/v1/admin/stats?from=2026-01-01&to=2026-01-02"))
                                    .header("Authorization", "Bearer reader-test-admin-key-0123")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stats.statusCode(), stats.body());
        }
    }
}
