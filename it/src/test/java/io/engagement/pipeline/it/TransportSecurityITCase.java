package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.clickhouse.ClickHouseSettings;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.service.EngagementService;
import io.engagement.pipeline.service.EventPublisher;
import io.engagement.pipeline.service.ServiceConfig;
import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.settings.SecretRef;
import io.engagement.pipeline.sink.ClickHouseHttpSink;
import io.engagement.pipeline.sink.ClickHouseTable;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.TestCertificates;
import io.engagement.pipeline.testing.TestWriterContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transport security on the real servers (issue 22, point 6): the job's writers, its start-up
 * checks and the tools reach ClickHouse over {@code https://} trusting a private CA's file, and
 * refuse a server that CA did not sign; the service answers HTTPS only when given a keystore; a CA
 * file or keystore that cannot serve fails at start-up naming its setting.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TransportSecurityITCase {

    @TempDir
    static Path dir;

    private static TestCertificates certificates;
    private static ClickHouseTestServer clickhouse;
    private static String httpsUrl;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(dir);
        int httpsPort = ClickHouseTestServer.freePort();
        clickhouse = ClickHouseTestServer.startWithHttps(certificates, httpsPort);
        io.engagement.pipeline.clickhouse.ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl"));
        httpsUrl = "https://127.0.0.1:" + httpsPort;
    }

    @AfterAll
    static void stop() throws Exception {
        if (clickhouse != null) {
            clickhouse.close();
        }
    }

    @Test
    void clickHouseOverHttpsTrustsTheCaFileAndNothingElse() throws Exception {
        ClickHouseHttp trusting = new ClickHouseHttp(httpsUrl, "default", "", certificates.caPem.toString());
        assertEquals("42", trusting.execute("SELECT 42").strip());

        IOException jvmTrust =
                assertThrows(IOException.class, () -> new ClickHouseHttp(httpsUrl, "default", "").execute("SELECT 1"));
        assertTrue(
                causedBy(jvmTrust, SSLHandshakeException.class),
                "a private CA is not in the JVM's trust store: " + jvmTrust);
        IOException otherCa = assertThrows(
                IOException.class,
                () -> new ClickHouseHttp(httpsUrl, "default", "", certificates.otherCaPem.toString())
                        .execute("SELECT 1"));
        assertTrue(
                causedBy(otherCa, SSLHandshakeException.class),
                "another CA's file does not vouch for the server: " + otherCa);
    }

    @Test
    void theToolsReadTheCaFileFromTheEnvironment() throws Exception {
        ClickHouseHttp tool = ClickHouseSettings.forTool(
                        Map.of(ClickHouseSettings.URL.key(), httpsUrl),
                        Map.of("ENGAGEMENT_CLICKHOUSE_CA_FILE", certificates.caPem.toString()))
                .client();
        assertEquals("7", tool.execute("SELECT 7").strip());
        RuntimeException missing = assertThrows(
                io.engagement.pipeline.settings.ConfigException.class,
                () -> ClickHouseSettings.forTool(
                        Map.of(ClickHouseSettings.URL.key(), httpsUrl),
                        Map.of(
                                "ENGAGEMENT_CLICKHOUSE_CA_FILE",
                                dir.resolve("absent.pem").toString())));
        assertTrue(missing.getMessage().contains("clickhouse.ca-file cannot be used"), missing.getMessage());
    }

    @Test
    void theJobsWritersInsertOverHttps() throws Exception {
        clickhouse
                .http()
                .execute(
                        "CREATE TABLE IF NOT EXISTS default.tls_rows (id Int64, name String) ENGINE = MergeTree ORDER BY id");
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--clickhouse.url",
                    "jdbc:clickhouse:https://" + httpsUrl.substring("https://".length()),
                    "--clickhouse.ca-file",
                    certificates.caPem.toString()
                },
                Map.of());
        String url = config.clickhouseUrl;
        assertEquals(httpsUrl, url);
        ClickHouseTable<Long> table = new ClickHouseTable<Long>("default.tls_rows")
                .int64("id", id -> id)
                .string("name", id -> "row " + id);
        SinkWriter<Long> writer = new ClickHouseHttpSink<>(
                        table,
                        url,
                        "default",
                        SecretRef.none("clickhouse.password"),
                        new ClickHouseHttpSink.Batching(1000, 1 << 20, Duration.ofHours(1), 2),
                        ClickHouseHttpSink.NEVER_ON_WATERMARK,
                        null,
                        config.clickhouseCaFile)
                .createWriter(new TestWriterContext());
        for (long id = 1; id <= 3; id++) {
            writer.write(id, null);
        }
        writer.flush(true); // the end of input: sends and waits
        writer.close();
        assertEquals(
                "3\t6",
                clickhouse
                        .http()
                        .execute("SELECT count(), sum(id) FROM default.tls_rows")
                        .strip());
    }

    @Test
    void aCaFileThatCannotServeFailsAtStartNamingTheSetting() throws Exception {
        Path notACertificate = Files.writeString(dir.resolve("not-a-certificate.pem"), "hello");
        for (Path file : new Path[] {dir.resolve("absent.pem"), notACertificate}) {
            ConfigException job = assertThrows(
                    ConfigException.class,
                    () -> JobConfig.fromSources(
                            new String[] {
                                "--clickhouse.url",
                                "jdbc:clickhouse:https://127.0.0.1:8443",
                                "--clickhouse.ca-file",
                                file.toString()
                            },
                            Map.of()));
            assertTrue(job.getMessage().contains("clickhouse.ca-file"), job.getMessage());
            ConfigException service = assertThrows(
                    ConfigException.class,
                    () -> ServiceConfig.from(
                            new String[] {"--clickhouse.ca-file", file.toString()},
                            Map.of("ENGAGEMENT_SERVICE_API_KEYS", "ops:tls-test-admin-key-0123:admin")));
            assertTrue(service.getMessage().contains("clickhouse.ca-file"), service.getMessage());
        }
        assertEquals(
                "https://127.0.0.1:8443",
                ClickHouseHttp.httpUrlFromJdbc("jdbc:clickhouse://127.0.0.1:8443?compress=false&ssl=true"));
        assertEquals(
                "http://127.0.0.1:8123",
                ClickHouseHttp.httpUrlFromJdbc("jdbc:clickhouse://127.0.0.1:8123?compress=false"));
    }

    @Test
    void theServiceAnswersHttpsOnlyWithItsKeystore() throws Exception {
        Map<String, String> env = Map.of(
                "ENGAGEMENT_SERVICE_API_KEYS",
                "ops:tls-test-admin-key-0123:admin",
                "ENGAGEMENT_SERVICE_TLS_KEYSTORE_PASSWORD",
                TestCertificates.PASSWORD);
        ServiceConfig config = ServiceConfig.from(
                new String[] {
                    "--service.port",
                    "0",
                    "--service.host",
                    "127.0.0.1",
                    "--kafka.bootstrap-servers",
                    "127.0.0.1:1",
                    "--clickhouse.url",
                    httpsUrl,
                    "--clickhouse.ca-file",
                    certificates.caPem.toString(),
                    "--service.tls.keystore",
                    certificates.serverKeystore.toString()
                },
                env);
        try (EngagementService service = new EngagementService(
                        config,
                        EventPublisher.forConfig(config),
                        new ClickHouseHttp(
                                config.clickhouseUrl,
                                config.clickhouseUser,
                                config.clickhousePassword,
                                config.clickhouseCaFile))
                .start()) {
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(trusting(certificates.caPem))
                    .build();
            HttpResponse<String> health = trusting.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + service.port() + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals(
                    "nosniff",
                    health.headers().firstValue("X-Content-Type-Options").orElse(null));
            // The service's analytics read ClickHouse over HTTPS too.
            HttpResponse<String> stats = trusting.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + service.port()
                                    + "/v1/admin/stats?from=2026-01-01&to=2026-01-02"))
                            .header("Authorization", "Bearer tls-test-admin-key-0123")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stats.statusCode(), stats.body());

            // Plain HTTP to the same port gets no answer: the port speaks TLS only.
            assertThrows(
                    IOException.class,
                    () -> HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/health"))
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()));
        }

        ConfigException wrongPassword = assertThrows(
                ConfigException.class,
                () -> ServiceConfig.from(
                        new String[] {"--service.tls.keystore", certificates.serverKeystore.toString()},
                        Map.of(
                                "ENGAGEMENT_SERVICE_API_KEYS",
                                "ops:tls-test-admin-key-0123:admin",
                                "ENGAGEMENT_SERVICE_TLS_KEYSTORE_PASSWORD",
                                "not-the-password")));
        assertTrue(wrongPassword.getMessage().contains("service.tls.keystore"), wrongPassword.getMessage());
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            anchors.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
