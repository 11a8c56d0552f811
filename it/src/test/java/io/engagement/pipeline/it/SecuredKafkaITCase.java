package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.config.KafkaPreflight;
import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.settings.KafkaClientProperties;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production job against a real broker whose only client listener is SASL_PLAINTEXT (PLAIN):
 * with the credentials given as {@code kafka.properties.*} in the environment it reads the input and
 * writes the dead-letter and feedback topics exactly as on an open broker; with wrong or missing
 * credentials the start-up check stops the submission with a message naming the setting.
 */
class SecuredKafkaITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static KafkaTestBroker kafka;
    private static ClickHouseTestServer clickhouse;

    @BeforeAll
    static void startServers() throws Exception {
        kafka = KafkaTestBroker.startSasl();
        clickhouse = ClickHouseTestServer.startWithSchema();
        new PipelineScenario(kafka, clickhouse).createTopics();
    }

    @AfterAll
    static void stopServers() throws Exception {
        RealServers.close(kafka, clickhouse);
    }

    static Map<String, String> asEnvironment(Map<String, String> clientProperties) {
        Map<String, String> env = new HashMap<>();
        clientProperties.forEach((name, value) -> env.put(KafkaClientProperties.envName(name), value));
        return env;
    }

    /**
     * The credentials as the job graph carries them: a Kafka config provider placeholder, resolved by
     * each Kafka client where it runs (a secret in the job's own environment becomes a reference to its
     * variable, which the TaskManagers must have; this JVM's real environment has none, so a file here).
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theJobReadsAndWritesWithCredentials(@TempDir Path checkpoints) throws Exception {
        PipelineScenario scenario = new PipelineScenario(kafka, clickhouse);
        JobConfig config = scenario.jobConfig(
                KafkaTestBroker.jobEnvironment(kafka.clientSecurity(), checkpoints),
                "--kafka.properties.client.id",
                "secured-test");
        assertTrue(!config.kafkaJobProperties.toString().contains("password"), config.kafkaJobProperties.toString());
        KafkaPreflight.check(config, Duration.ofSeconds(20)); // passes with the right credentials
        // Windows, creators, feedback (read_committed), dead letters and the reconciliation, as on an open broker.
        scenario.runAndAssertMatchesReference(config, checkpoints, 11);
    }

    @Test
    void wrongCredentialsStopTheSubmissionNamingTheSetting() {
        Map<String, String> wrong = KafkaTestBroker.saslPlain(KafkaTestBroker.SASL_USER, "not-the-password");
        JobConfig config = JobConfig.fromSources(
                new String[] {"--kafka.bootstrap-servers", kafka.bootstrapServers()}, asEnvironment(wrong));
        long started = System.nanoTime();
        ConfigException e =
                assertThrows(ConfigException.class, () -> KafkaPreflight.check(config, Duration.ofSeconds(20)));
        assertTrue(e.getMessage().startsWith("kafka.properties.sasl.jaas.config: "), e.getMessage());
        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), "the message must not show the secret");
        assertTrue(
                System.nanoTime() - started < Duration.ofSeconds(15).toNanos(),
                "an authentication failure is not a timeout");
    }

    @Test
    void aClientWithoutSaslGetsNoAnswerAndIsToldWhichSettingToCheck() {
        JobConfig config =
                JobConfig.fromSources(new String[] {"--kafka.bootstrap-servers", kafka.bootstrapServers()}, Map.of());
        ConfigException e =
                assertThrows(ConfigException.class, () -> KafkaPreflight.check(config, Duration.ofSeconds(4)));
        assertTrue(
                e.getMessage().startsWith("kafka.bootstrap-servers " + kafka.bootstrapServers() + ": no answer"),
                e.getMessage());
        assertTrue(e.getMessage().contains("kafka.properties.security.protocol (PLAINTEXT)"), e.getMessage());
    }

    @Test
    void aMissingTopicIsNamedBySetting() {
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--kafka.bootstrap-servers", kafka.bootstrapServers(), "--kafka.feedback-topic", "no-such-topic"
                },
                asEnvironment(kafka.clientSecurity()));
        ConfigException e =
                assertThrows(ConfigException.class, () -> KafkaPreflight.check(config, Duration.ofSeconds(20)));
        assertTrue(
                e.getMessage().startsWith("kafka.feedback-topic: topic 'no-such-topic' does not exist"),
                e.getMessage());
    }

    /** The HTTP service takes the same Kafka client properties as the job: with them it publishes, without them it says so. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theServicePublishesWithTheSameCredentials() throws Exception {
        kafka.createTopic("secured-service-events", 1); // its own: the job tests read engagement-events
        Map<String, String> env = new HashMap<>(asEnvironment(kafka.clientSecurity()));
        env.put("ENGAGEMENT_SERVICE_API_KEYS", "app:secured-tracking-key-0123:tracking");
        String[] args = {
            "--service.port",
            "0",
            "--service.host",
            "127.0.0.1",
            "--kafka.bootstrap-servers",
            kafka.bootstrapServers(),
            "--kafka.input-topic",
            "secured-service-events",
            "--clickhouse.url",
            clickhouse.httpUrl(),
            "--service.produce-timeout",
            "3 s",
            "--kafka.properties.client.id",
            "secured-service"
        };
        String event =
                "{\"event_id\":\"secured-service-1\",\"event_type\":\"like\",\"content_id\":\"c1\",\"creator_id\":\"k1\","
                        + "\"session_id\":\"s1\",\"event_time\":\""
                        + java.time.Instant.now().minusSeconds(5) + "\"}";
        io.engagement.pipeline.service.ServiceConfig config =
                io.engagement.pipeline.service.ServiceConfig.from(args, env);
        try (var service = new io.engagement.pipeline.service.EngagementService(
                        config, io.engagement.pipeline.service.EventPublisher.forConfig(config), clickhouse.http())
                .start()) {
            assertEquals(202, post(service.port(), event));
        }
        assertTrue(kafka.readCommitted("secured-service-events").stream()
                .anyMatch(r ->
                        new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains("secured-service-1")));
        // A secret as an argument is refused at start, naming the environment variable to use.
        String[] withSecret = java.util.Arrays.copyOf(args, args.length + 2);
        withSecret[args.length] = "--kafka.properties.sasl.jaas.config";
        withSecret[args.length + 1] = "x";
        ConfigException refused = assertThrows(
                ConfigException.class, () -> io.engagement.pipeline.service.ServiceConfig.from(withSecret, env));
        assertTrue(refused.getMessage().contains("ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"), refused.getMessage());
        // Without the credentials the broker refuses the service: 503, nothing accepted.
        Map<String, String> noCredentials =
                Map.of("ENGAGEMENT_SERVICE_API_KEYS", "app:secured-tracking-key-0123:tracking");
        io.engagement.pipeline.service.ServiceConfig open =
                io.engagement.pipeline.service.ServiceConfig.from(args, noCredentials);
        try (var service = new io.engagement.pipeline.service.EngagementService(
                        open, io.engagement.pipeline.service.EventPublisher.forConfig(open), clickhouse.http())
                .start()) {
            assertEquals(503, post(service.port(), event.replace("secured-service-1", "secured-service-2")));
        }
    }

    private static int post(int port, String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + port + "/v1/events"))
                                .header("Authorization", "Bearer secured-tracking-key-0123")
                                .timeout(Duration.ofSeconds(30))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
