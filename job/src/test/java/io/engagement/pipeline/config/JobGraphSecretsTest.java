package io.engagement.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.EngagementJob;
import io.engagement.pipeline.StartHorizon;
import io.engagement.pipeline.settings.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production job graph, built as {@code flink run} builds it, carries where each secret is read
 * (an environment variable's name, a file), never the secret: not in any operator, sink or source,
 * not in the job's configuration the REST API shows. The job's client still has the values for its
 * own start-up checks.
 */
class JobGraphSecretsTest {

    private static final String CLICKHOUSE_PASSWORD = "ch-password-6f1c2a9e";
    private static final String HMAC_KEY = "hmac-key-0123456789abcdef0123456789abcdef";
    private static final String KAFKA_PASSWORD = "kafka-password-77d1e0";
    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\""
                    + KAFKA_PASSWORD + "\";";

    private static JobGraph productionGraph(JobConfig config) {
        StreamExecutionEnvironment flink = StreamExecutionEnvironment.getExecutionEnvironment();
        EngagementJob.build(flink, config, StartHorizon.NONE);
        for (String secret : List.of(CLICKHOUSE_PASSWORD, HMAC_KEY, KAFKA_PASSWORD)) {
            assertFalse(
                    flink.getConfiguration().toString().contains(secret),
                    "the environment's configuration holds " + secret);
            assertFalse(
                    String.valueOf(flink.getConfig().getGlobalJobParameters()).contains(secret),
                    "job parameters hold " + secret);
        }
        return flink.getStreamGraph().getJobGraph();
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void secretsFromTheEnvironmentStayThereAndTheGraphNamesTheirVariables() throws Exception {
        Map<String, String> env = Map.of(
                "ENGAGEMENT_CLICKHOUSE_PASSWORD", CLICKHOUSE_PASSWORD,
                "ENGAGEMENT_PRIVACY_USER_ID_HMAC_KEY", HMAC_KEY,
                "ENGAGEMENT_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "ENGAGEMENT_KAFKA_PROPERTIES_SASL_MECHANISM", "PLAIN",
                "ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS);
        JobConfig config = JobConfig.fromSources(
                new String[] {"--kafka.catalog-topic", "catalog", "--views.validation", "on"}, env);
        assertEquals(CLICKHOUSE_PASSWORD, config.clickhousePassword, "the client keeps the value for its checks");
        assertEquals(JAAS, config.kafkaProperties.get("sasl.jaas.config"));

        JobGraph graph = productionGraph(config);
        byte[] bytes = InstantiationUtil.serializeObject(graph);
        for (String secret : List.of(CLICKHOUSE_PASSWORD, HMAC_KEY, KAFKA_PASSWORD)) {
            assertFalse(contains(bytes, secret), secret + " is in the serialized job graph");
            assertFalse(
                    graph.getJobConfiguration().toString().contains(secret), secret + " is in the job configuration");
        }
        // What the TaskManagers read instead: the variables' names.
        assertTrue(contains(bytes, "ENGAGEMENT_CLICKHOUSE_PASSWORD"), "the ClickHouse sinks name their variable");
        assertTrue(contains(bytes, "ENGAGEMENT_PRIVACY_USER_ID_HMAC_KEY"), "the validator names its variable");
        assertTrue(
                contains(bytes, "${" + JobConfig.KAFKA_ENV_PROVIDER + ":ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG}"),
                "the Kafka clients resolve the JAAS config from the variable");
    }

    /** Kafka 4.2 clients resolve the job's environment reference themselves (the provider is allowed by default). */
    @Test
    void aKafkaClientReadsTheReferencedVariableWhereItRuns() {
        JobConfig config =
                JobConfig.fromSources(new String[0], Map.of("ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS));
        Map<String, Object> props = new java.util.HashMap<>(config.kafkaJobProperties);
        // A variable this JVM has, in place of the TaskManager's ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG.
        props.put("sasl.jaas.config", "${" + JobConfig.KAFKA_ENV_PROVIDER + ":PATH}");
        props.put("bootstrap.servers", "localhost:9092");
        var resolved = new org.apache.kafka.clients.admin.AdminClientConfig(props);
        assertEquals(
                System.getenv("PATH"), resolved.getPassword("sasl.jaas.config").value());
    }

    @Test
    void aConfigFileCarriesReferencesNotSecrets(@TempDir Path dir) throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("clickhouse-password"), CLICKHOUSE_PASSWORD + "\n");
        Path config = Files.writeString(
                dir.resolve("job.properties"),
                "clickhouse.password=${file:" + passwordFile + "}\n"
                        + "privacy.user-id-hmac-key=${env:PLATFORM_HMAC_KEY}\n");
        JobConfig fromFile = JobConfig.fromSources(
                new String[] {"--config-file", config.toString()}, Map.of("PLATFORM_HMAC_KEY", HMAC_KEY));
        assertEquals(CLICKHOUSE_PASSWORD, fromFile.clickhousePassword, "read from the file, without its newline");
        byte[] bytes = InstantiationUtil.serializeObject(productionGraph(fromFile));
        assertFalse(contains(bytes, CLICKHOUSE_PASSWORD));
        assertFalse(contains(bytes, HMAC_KEY));
        assertTrue(contains(bytes, passwordFile.toString()));

        // The secret itself in the file would be copied into the graph: refused, naming the setting.
        Path literal = Files.writeString(
                dir.resolve("literal.properties"), "clickhouse.password=" + CLICKHOUSE_PASSWORD + "\n");
        ConfigException refused = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(new String[] {"--config-file", literal.toString()}, Map.of()));
        assertTrue(
                refused.getMessage().contains("clickhouse.password in --config-file must be a reference"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains(CLICKHOUSE_PASSWORD), "the message does not repeat the secret");

        // A reference that does not resolve where the job is submitted stops it there, naming the setting.
        Path missing = Files.writeString(
                dir.resolve("missing.properties"), "clickhouse.password=${file:" + dir.resolve("nope") + "}\n");
        ConfigException unreadable = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(new String[] {"--config-file", missing.toString()}, Map.of()));
        assertTrue(
                unreadable.getMessage().contains("clickhouse.password: cannot read the secret file"),
                unreadable.getMessage());
    }
}
