package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.settings.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    private static final Map<String, String> KEYS =
            Map.of("ENGAGEMENT_SERVICE_API_KEYS", "app:0123456789abcdef:tracking");

    @Test
    void defaultsRunTheLocalStack() {
        ServiceConfig c = ServiceConfig.from(new String[0], KEYS);
        assertEquals(8090, c.port);
        assertEquals("127.0.0.1:9092", c.kafkaBootstrapServers);
        assertEquals("http://127.0.0.1:8123", c.clickhouseUrl);
        assertEquals(100, c.eventsPerMinute);
        assertEquals(10, c.batchesPerMinute);
        assertEquals(60, c.analyticsPerMinute);
    }

    @Test
    void everyProblemIsReportedNamingItsSetting() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ServiceConfig.from(
                        new String[] {
                            "--service.port", "-1", "--service.produce-timeout", "soon", "--kafka.input-topic", "a b"
                        },
                        Map.of()));
        for (String named :
                new String[] {"service.port", "service.produce-timeout", "kafka.input-topic", "service.api-keys"}) {
            assertTrue(e.getMessage().contains(named), e.getMessage());
        }
    }

    @Test
    void theSharedSettingsHaveTheJobsNamesAndMeanings() {
        Map<String, String> env = new java.util.HashMap<>(KEYS);
        env.put("ENGAGEMENT_CLICKHOUSE_URL", "https://ch.internal:8443/");
        env.put("ENGAGEMENT_CLICKHOUSE_DATABASE", "engagement_eu");
        env.put("ENGAGEMENT_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092");
        env.put("ENGAGEMENT_KAFKA_CATALOG_TOPIC", "catalogue");
        env.put("ENGAGEMENT_VALIDATION_MAX_EVENT_AGE", "2 d");
        ServiceConfig service = ServiceConfig.from(new String[0], env);
        io.engagement.pipeline.config.JobConfig job =
                io.engagement.pipeline.config.JobConfig.fromSources(new String[0], env);
        assertEquals("https://ch.internal:8443", service.clickhouseUrl);
        assertEquals(job.clickhouseUrl, service.clickhouseUrl);
        assertEquals(job.clickhouseDatabase, service.clickhouseDatabase);
        assertEquals(job.bootstrapServers, service.kafkaBootstrapServers);
        assertEquals(job.catalogTopic, service.catalogTopic);
        assertEquals(java.time.Duration.ofDays(2), service.validationRules.maxEventAge());
        assertEquals(job.validationRules, service.validationRules);
    }

    @Test
    void theServiceTakesItsSettingsFromTheJobsFileAndLeavesTheJobsOwnAlone(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(
                dir.resolve("job.properties"),
                "validation.max-event-age=2 d\nwindow.grains=hour\nclickhouse.password=${env:CH_PASSWORD}\n");
        Map<String, String> env = new java.util.HashMap<>(KEYS);
        env.put("ENGAGEMENT_CONFIG_FILE", file.toString());
        env.put("CH_PASSWORD", "the-job-resolves-this");
        ServiceConfig service = ServiceConfig.from(new String[0], env);
        assertEquals(java.time.Duration.ofDays(2), service.validationRules.maxEventAge(), "the job's rule");
        assertEquals("", service.clickhousePassword, "a secret reference is the job's to resolve");
        assertEquals(
                service.validationRules,
                io.engagement.pipeline.config.JobConfig.fromSources(new String[0], env).validationRules);
    }

    @Test
    void renamedSettingsFailNamingTheirNewKeys() {
        String argument = assertThrows(
                        ConfigException.class,
                        () -> ServiceConfig.from(new String[] {"--service.clickhouse-url", "http://ch:8123"}, KEYS))
                .getMessage();
        assertTrue(argument.contains("--service.clickhouse-url was renamed --clickhouse.url"), argument);
        Map<String, String> env = new java.util.HashMap<>(KEYS);
        env.put("ENGAGEMENT_SERVICE_CLICKHOUSE_PASSWORD", "secret");
        String variable = assertThrows(ConfigException.class, () -> ServiceConfig.from(new String[0], env))
                .getMessage();
        assertTrue(
                variable.contains("ENGAGEMENT_SERVICE_CLICKHOUSE_PASSWORD was renamed ENGAGEMENT_CLICKHOUSE_PASSWORD"),
                variable);
    }

    @Test
    void keysAreSecretsAndWellFormed() {
        assertTrue(assertThrows(
                        ConfigException.class,
                        () -> ServiceConfig.from(
                                new String[] {"--service.api-keys", "a:0123456789abcdef:admin"}, Map.of()))
                .getMessage()
                .contains("is a secret"));
        assertTrue(assertThrows(
                        ConfigException.class,
                        () -> ServiceConfig.from(
                                new String[0], Map.of("ENGAGEMENT_SERVICE_API_KEYS", "c:0123456789abcdef:creator")))
                .getMessage()
                .contains("names its creator id"));
        assertTrue(assertThrows(
                        ConfigException.class,
                        () -> ServiceConfig.from(new String[0], Map.of("ENGAGEMENT_SERVICE_API_KEYS", "c:short:admin")))
                .getMessage()
                .contains("shorter than 16"));
        ApiKeys keys = ApiKeys.parse("a:0123456789abcdef:admin,c:fedcba9876543210:creator:k9");
        assertEquals(
                new Caller("c", Role.CREATOR, "k9"),
                keys.find("fedcba9876543210").orElseThrow());
        assertTrue(keys.find("0123456789abcdeX").isEmpty());
    }

    @Test
    void tokenBucketAllowsABurstThenOneRequestPerPeriod() {
        long[] now = {0};
        RateLimiter limiter = new RateLimiter(6, 1000, () -> now[0]); // 6 a minute: one every 10 s
        for (int i = 0; i < 6; i++) {
            assertEquals(0, limiter.acquire("c"));
        }
        assertEquals(10, limiter.acquire("c"));
        assertEquals(0, limiter.acquire("other"), "each client has its own bucket");
        now[0] += 10_000_000_000L;
        assertEquals(0, limiter.acquire("c"));
        assertEquals(10, limiter.acquire("c"));
    }

    @Test
    void theLimitersMemoryIsBoundedWhateverTheNumberOfClients() {
        long[] now = {0};
        RateLimiter limiter = new RateLimiter(6, 1_000, () -> now[0]);
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire("client-" + i);
        }
        assertTrue(limiter.clients() <= 1_000, limiter.clients() + " buckets for a bound of 1 000");
        now[0] += java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        assertEquals(0, limiter.clients(), "buckets idle for a full refill are dropped");
    }
}
