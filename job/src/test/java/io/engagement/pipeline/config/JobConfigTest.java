package io.engagement.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.settings.KafkaClientProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    @Test
    void defaultsRunTheLocalStack() {
        JobConfig c = JobConfig.defaults();
        assertEquals("127.0.0.1:9092", c.bootstrapServers);
        assertEquals("engagement-events", c.inputTopic);
        assertEquals("engagement-dlq", c.dlqTopic);
        assertEquals("engagement-feedback", c.feedbackTopic);
        assertEquals(DeliveryGuarantee.EXACTLY_ONCE, c.deliveryGuarantee);
        assertEquals(Duration.ofSeconds(30), c.outOfOrderness);
        assertEquals(Duration.ofHours(6), c.dedupHorizon);
        assertEquals(EnumSet.allOf(Grain.class), c.grains);
        assertEquals("http://127.0.0.1:8123", c.clickhouseUrl);
        // The JDBC form of earlier releases still works: read as its HTTP address.
        assertEquals(
                "https://ch:8443",
                JobConfig.fromSources(new String[] {"--clickhouse.url", "jdbc:clickhouse://ch:8443?ssl=true"}, Map.of())
                        .clickhouseUrl);
    }

    @Test
    void cliOverridesEnvWhichOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "kafka.input-topic=from-file\nkafka.dlq-topic=dlq-from-file\nkafka.group-id=g-file\n");
        JobConfig c = JobConfig.fromSources(
                new String[] {
                    "--config-file", file.toString(), "--kafka.input-topic", "from-cli", "--window.grains=minute,hour"
                },
                Map.of("ENGAGEMENT_KAFKA_INPUT_TOPIC", "from-env", "ENGAGEMENT_KAFKA_DLQ_TOPIC", "dlq-from-env"));
        assertEquals("from-cli", c.inputTopic);
        assertEquals("dlq-from-env", c.dlqTopic);
        assertEquals("g-file", c.groupId);
        assertEquals(EnumSet.of(Grain.MINUTE, Grain.HOUR), c.grains);
    }

    @Test
    void everyBadSettingIsNamedInOneError() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(
                        new String[] {
                            "--kafka.bootstrap-servers", "nohostport",
                            "--watermark.out-of-orderness", "soon",
                            "--dedup.horizon", "0 s",
                            "--clickhouse.batch-size", "-3",
                            "--window.grains", "minute,fortnight",
                            "--kafka.delivery-guarantee", "maybe"
                        },
                        Map.of()));
        String m = e.getMessage();
        assertTrue(m.contains("kafka.bootstrap-servers"), m);
        assertTrue(m.contains("watermark.out-of-orderness"), m);
        assertTrue(m.contains("dedup.horizon"), m);
        assertTrue(m.contains("clickhouse.batch-size must be > 0"), m);
        assertTrue(m.contains("fortnight"), m);
        assertTrue(m.contains("kafka.delivery-guarantee"), m);
    }

    @Test
    void validationLimitsAreBounded() {
        // An unbounded skew overflowed 'now + skew' and rejected every event as future_event_time.
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(
                        new String[] {
                            "--validation.max-future-skew", "9223372036854775807 ms",
                            "--validation.max-event-age", "3651 d",
                            "--validation.max-watch-time", "8 d"
                        },
                        Map.of()));
        String m = e.getMessage();
        assertTrue(m.contains("validation.max-future-skew must be at most 1 d"), m);
        assertTrue(m.contains("validation.max-event-age must be at most 3650 d"), m);
        assertTrue(m.contains("validation.max-watch-time must be at most 7 d"), m);
        JobConfig atTheLimits = JobConfig.fromSources(
                new String[] {
                    "--validation.max-future-skew",
                    "1 d",
                    "--validation.max-event-age",
                    "3650 d",
                    "--validation.max-watch-time",
                    "7 d"
                },
                Map.of());
        assertEquals(Duration.ofDays(3650), atTheLimits.validationRules.maxEventAge());
    }

    @Test
    void anEmptyGrainListIsRejected() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> JobConfig.fromSources(new String[] {"--window.grains", ","}, Map.of()));
        assertTrue(e.getMessage().contains("window.grains must name at least one grain"), e.getMessage());
    }

    @Test
    void unknownSettingsAndMissingValuesFailFast() {
        ConfigException unknown = assertThrows(
                ConfigException.class, () -> JobConfig.fromSources(new String[] {"--kafka.topic", "x"}, Map.of()));
        assertTrue(unknown.getMessage().contains("unknown setting --kafka.topic"));
        ConfigException missing = assertThrows(
                ConfigException.class, () -> JobConfig.fromSources(new String[] {"--kafka.group-id"}, Map.of()));
        assertTrue(missing.getMessage().contains("--kafka.group-id has no value"));
        ConfigException badEnv = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(new String[0], Map.of("ENGAGEMENT_CLICKHOUSE_URL", "ftp://x")));
        assertTrue(
                badEnv.getMessage().contains("clickhouse.url must be http(s)://host:port or a jdbc:clickhouse:// URL"),
                badEnv.getMessage());
    }

    @Test
    void settingsOfTheHardeningAreCheckedAndNamed() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(
                        new String[] {
                            "--lateness.start-horizon", "yesterday",
                            "--validation.max-message-bytes", "100",
                            "--validation.max-content-duration", "30 d",
                            "--session.max-duration", "8 d"
                        },
                        Map.of()));
        String m = e.getMessage();
        assertTrue(m.contains("lateness.start-horizon must be auto, none or an ISO-8601 instant"), m);
        assertTrue(m.contains("validation.max-message-bytes must be from 1024 to 16777216 (was 100)"), m);
        assertTrue(m.contains("validation.max-content-duration must be at most 7 d"), m);
        assertTrue(m.contains("session.max-duration must be at most 7 d"), m);

        JobConfig ok =
                JobConfig.fromSources(new String[] {"--lateness.start-horizon", "2026-03-02T10:00:00Z"}, Map.of());
        assertEquals(
                java.time.Instant.parse("2026-03-02T10:00:00Z").toEpochMilli(),
                io.engagement.pipeline.StartHorizon.resolve(ok));
        assertEquals(
                io.engagement.pipeline.StartHorizon.NONE,
                io.engagement.pipeline.StartHorizon.resolve(
                        JobConfig.fromSources(new String[] {"--lateness.start-horizon", "none"}, Map.of())));
        assertEquals(65_536, JobConfig.defaults().validationRules.maxMessageBytes());
        assertEquals(java.time.Duration.ofHours(4), JobConfig.defaults().sessionMaxDuration);
    }

    @Test
    void kafkaClientPropertiesComeFromTheCliTheEnvironmentAndTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        String placeholder = "${file:/etc/kafka/secrets.properties:truststore.password}";
        Files.writeString(
                file,
                "kafka.properties.ssl.truststore.location=/etc/kafka/truststore.jks\n"
                        + "kafka.properties.ssl.truststore.password=" + placeholder + "\n"
                        + "kafka.properties.config.providers=file\n"
                        + "kafka.properties.config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n");
        JobConfig c = JobConfig.fromSources(
                new String[] {
                    "--config-file",
                    file.toString(),
                    "--kafka.properties.security.protocol",
                    "SASL_SSL",
                    "--kafka.properties.compression.type=zstd"
                },
                Map.of(
                        "ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                        "jaas-from-env",
                        "ENGAGEMENT_KAFKA_PROPERTIES_SASL_MECHANISM",
                        "SCRAM-SHA-512"));
        Map<String, String> common = Map.of(
                "security.protocol",
                "SASL_SSL",
                "compression.type",
                "zstd",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "ssl.truststore.location",
                "/etc/kafka/truststore.jks",
                "ssl.truststore.password",
                placeholder,
                "config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider");
        Map<String, String> client = new java.util.HashMap<>(common);
        client.put("sasl.jaas.config", "jaas-from-env");
        client.put("config.providers", "file");
        assertEquals(client, c.kafkaProperties, "the job's client has the values");
        // Its sources and sinks get a reference to the variable, resolved by Kafka where they run.
        Map<String, String> job = new java.util.HashMap<>(common);
        job.put("sasl.jaas.config", "${engagement_env:ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG}");
        job.put("config.providers", "file,engagement_env");
        job.put(
                "config.providers.engagement_env.class",
                "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        assertEquals(job, c.kafkaJobProperties);
        String logged = KafkaClientProperties.describe(c.kafkaProperties);
        assertTrue(
                logged.contains("sasl.jaas.config=[hidden]") && logged.contains("ssl.truststore.password=[hidden]"),
                logged);
        assertTrue(!logged.contains("jaas-from-env") && logged.contains("SASL_SSL"), logged);

        // The password itself in the file would be copied into the job graph: refused, naming the property.
        Files.writeString(file, "kafka.properties.ssl.truststore.password=from-file\n");
        ConfigException literal = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(new String[] {"--config-file", file.toString()}, Map.of()));
        assertTrue(
                literal.getMessage()
                        .contains(
                                "kafka.properties.ssl.truststore.password in --config-file must be a Kafka config provider"),
                literal.getMessage());
        assertTrue(!literal.getMessage().contains("from-file"), literal.getMessage());
    }

    @Test
    void secretsAreRefusedAsProgramArguments() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(
                        new String[] {
                            "--kafka.properties.sasl.jaas.config",
                            "secret-jaas",
                            "--clickhouse.password",
                            "secret-pw",
                            "--kafka.properties.ssl.key.password",
                            "secret-key"
                        },
                        Map.of()));
        assertTrue(
                e.getMessage().contains("--kafka.properties.sasl.jaas.config is a secret")
                        && e.getMessage().contains("ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("--clickhouse.password is a secret")
                        && e.getMessage().contains("ENGAGEMENT_CLICKHOUSE_PASSWORD"),
                e.getMessage());
        assertTrue(e.getMessage().contains("--kafka.properties.ssl.key.password is a secret"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret-jaas") && !e.getMessage().contains("secret-pw"), e.getMessage());
        // From the environment the same password is fine.
        assertEquals(
                "pw",
                JobConfig.fromSources(new String[0], Map.of("ENGAGEMENT_CLICKHOUSE_PASSWORD", "pw"))
                        .clickhousePassword);
    }

    @Test
    void unknownAndJobOwnedKafkaPropertiesFailNamingTheProperty() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(
                        new String[] {
                            "--kafka.properties.security.protocl", "SSL", "--kafka.properties.isolation.level",
                                    "read_uncommitted",
                            "--kafka.properties.bootstrap.servers", "elsewhere:9092", "--kafka.properties.client.id",
                                    " "
                        },
                        Map.of()));
        assertTrue(
                e.getMessage()
                        .contains(
                                "kafka.properties.security.protocl is not a Kafka producer, consumer or admin client property"),
                e.getMessage());
        assertTrue(e.getMessage().contains("kafka.properties.isolation.level cannot be set"), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "kafka.properties.bootstrap.servers cannot be set: set kafka.bootstrap-servers instead"),
                e.getMessage());
        assertTrue(e.getMessage().contains("kafka.properties.client.id must not be empty"), e.getMessage());
        // Config providers (values read from mounted files) are client properties too.
        assertEquals(
                "file",
                JobConfig.fromSources(
                                new String[] {
                                    "--kafka.properties.config.providers",
                                    "file",
                                    "--kafka.properties.config.providers.file.class",
                                    "org.apache.kafka.common.config.provider.FileConfigProvider"
                                },
                                Map.of())
                        .kafkaProperties
                        .get("config.providers"));
    }

    @Test
    void startingOffsetsMayBeATimestamp() {
        assertEquals(
                "timestamp:2026-03-02T00:00:00Z",
                JobConfig.fromSources(
                                new String[] {"--kafka.starting-offsets", "timestamp:2026-03-02T00:00:00Z"}, Map.of())
                        .startingOffsets);
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(
                        new String[] {"--kafka.starting-offsets", "timestamp:yesterday"}, Map.of()));
        assertTrue(
                e.getMessage().contains("kafka.starting-offsets timestamp must be an ISO-8601 instant"),
                e.getMessage());
        e = assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(new String[] {"--kafka.starting-offsets", "oldest"}, Map.of()));
        assertTrue(
                e.getMessage()
                        .contains(
                                "kafka.starting-offsets must be one of committed, earliest, latest, timestamp:<instant>"),
                e.getMessage());
    }
}
