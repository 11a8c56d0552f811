package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.ConfigException;
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
                            "--service.port", "-1", "--service.produce-timeout", "soon", "--service.input-topic", "a b"
                        },
                        Map.of()));
        for (String named :
                new String[] {"service.port", "service.produce-timeout", "service.input-topic", "service.api-keys"}) {
            assertTrue(e.getMessage().contains(named), e.getMessage());
        }
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
