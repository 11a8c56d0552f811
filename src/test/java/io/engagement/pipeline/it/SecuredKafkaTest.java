package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.ConfigException;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.config.KafkaClientProperties;
import io.engagement.pipeline.config.KafkaPreflight;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The production job against a real broker whose only client listener is SASL_PLAINTEXT (PLAIN):
 * with the credentials given as {@code kafka.properties.*} in the environment it reads the input and
 * writes the dead-letter and feedback topics exactly as on an open broker; with wrong or missing
 * credentials the start-up check stops the submission with a message naming the setting.
 */
class SecuredKafkaTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

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

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theJobReadsAndWritesWithCredentials(@TempDir Path checkpoints) throws Exception {
        PipelineScenario scenario = new PipelineScenario(kafka, clickhouse);
        JobConfig config = scenario.jobConfig(asEnvironment(kafka.clientSecurity()), "--kafka.properties.client.id", "secured-test");
        KafkaPreflight.check(config, Duration.ofSeconds(20)); // passes with the right credentials
        // Windows, creators, feedback (read_committed), dead letters and the reconciliation, as on an open broker.
        scenario.runAndAssertMatchesReference(config, checkpoints, 11);
    }

    @Test
    void wrongCredentialsStopTheSubmissionNamingTheSetting() {
        Map<String, String> wrong = KafkaTestBroker.saslPlain(KafkaTestBroker.SASL_USER, "not-the-password");
        JobConfig config = JobConfig.fromSources(new String[] {"--kafka.bootstrap-servers", kafka.bootstrapServers()},
                asEnvironment(wrong));
        long started = System.nanoTime();
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaPreflight.check(config, Duration.ofSeconds(20)));
        assertTrue(e.getMessage().startsWith("kafka.properties.sasl.jaas.config: "), e.getMessage());
        assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), "the message must not show the secret");
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(15).toNanos(), "an authentication failure is not a timeout");
    }

    @Test
    void aClientWithoutSaslGetsNoAnswerAndIsToldWhichSettingToCheck() {
        JobConfig config = JobConfig.fromSources(new String[] {"--kafka.bootstrap-servers", kafka.bootstrapServers()}, Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaPreflight.check(config, Duration.ofSeconds(4)));
        assertTrue(e.getMessage().startsWith("kafka.bootstrap-servers " + kafka.bootstrapServers() + ": no answer"), e.getMessage());
        assertTrue(e.getMessage().contains("kafka.properties.security.protocol (PLAINTEXT)"), e.getMessage());
    }

    @Test
    void aMissingTopicIsNamedBySetting() {
        JobConfig config = JobConfig.fromSources(new String[] {"--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--kafka.feedback-topic", "no-such-topic"}, asEnvironment(kafka.clientSecurity()));
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaPreflight.check(config, Duration.ofSeconds(20)));
        assertTrue(e.getMessage().startsWith("kafka.feedback-topic: topic 'no-such-topic' does not exist"), e.getMessage());
    }
}
