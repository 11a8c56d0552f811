package io.engagement.pipeline.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingSourcesTest {

    private static final Setting<Duration> GAP =
            Setting.of("session.gap", "30 min", SettingType.positiveDuration(), "a gap");
    private static final Setting<Integer> SIZE = Setting.of("batch.size", "10", SettingType.integer(1, 100), "a size");
    private static final Setting<String> TOKEN =
            Setting.of("api.token", "", SettingType.anyText(), "a token").secret();
    private static final SettingSources SOURCES = SettingSources.of(List.of(GAP, SIZE, TOKEN))
            .withConfigFile()
            .renamingKeys(Map.of("old.size", "batch.size"));

    @TempDir
    Path dir;

    @Test
    void eachSourceOverridesTheOneBelowIt() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "session.gap=1 h\nbatch.size=20\napi.token=t1\n");
        SettingValues defaults = SOURCES.read(new String[0], Map.of());
        assertEquals(Duration.ofMinutes(30), defaults.get(GAP));
        assertEquals(10, defaults.get(SIZE));

        SettingValues fromFile = SOURCES.read(new String[] {"--config-file", file.toString()}, Map.of());
        assertEquals(Duration.ofHours(1), fromFile.get(GAP));
        assertEquals("t1", fromFile.get(TOKEN));

        Map<String, String> env = Map.of("ENGAGEMENT_CONFIG_FILE", file.toString(), "ENGAGEMENT_BATCH_SIZE", "30");
        SettingValues fromEnv = SOURCES.read(new String[0], env);
        assertEquals(30, fromEnv.get(SIZE), "the environment wins over the file");
        assertEquals(Duration.ofHours(1), fromEnv.get(GAP), "the file named by ENGAGEMENT_CONFIG_FILE is read");

        SettingValues fromArgs = SOURCES.read(new String[] {"--batch.size=40"}, env);
        assertEquals(40, fromArgs.get(SIZE), "an argument wins over the environment");
        assertEquals(List.of(), fromArgs.problems());
    }

    @Test
    void everyProblemIsCollectedNamingItsSetting() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "no.such=1\nold.size=5\n");
        SettingValues values = SOURCES.read(
                new String[] {"--config-file", file.toString(), "--api.token", "t", "--batch.size", "0", "--x", "1"},
                Map.of("ENGAGEMENT_SESSION_GAP", "soon"));
        assertNull(values.get(GAP));
        assertNull(values.get(SIZE));
        String problems = String.join("\n", values.problems());
        assertTrue(problems.contains("unknown setting 'no.such'"), problems);
        assertTrue(problems.contains("setting 'old.size' was renamed 'batch.size'"), problems);
        assertTrue(problems.contains("--api.token is a secret and cannot be a program argument"), problems);
        assertTrue(problems.contains("ENGAGEMENT_API_TOKEN"), "names where the secret goes: " + problems);
        assertTrue(problems.contains("unknown setting --x"), problems);
        assertTrue(problems.contains("session.gap must be a duration such as"), problems);
        assertTrue(problems.contains("batch.size must be from 1 to 100 (was 0)"), problems);
        ConfigException thrown = assertThrows(ConfigException.class, () -> values.throwIfInvalid("Invalid"));
        // six problems: two in the file, two in the arguments, two values
        assertEquals(6, thrown.getMessage().lines().count() - 1, thrown.getMessage());
    }

    @Test
    void aRenamedVariableFailsNamingTheNewOne() {
        SettingValues values = SOURCES.read(new String[0], Map.of("ENGAGEMENT_OLD_SIZE", "5"));
        assertEquals(
                List.of("ENGAGEMENT_OLD_SIZE was renamed ENGAGEMENT_BATCH_SIZE (setting batch.size)"),
                values.problems());
    }

    @Test
    void withoutAConfigFileTheFileIsNoSource() throws Exception {
        // The service and the tools read no file: a job's file in a shared environment is not theirs.
        Path file = Files.writeString(dir.resolve("job.properties"), "window.grains=hour\n");
        SettingSources noFile = SettingSources.of(List.of(GAP, SIZE));
        assertEquals(
                List.of(),
                noFile.read(new String[0], Map.of("ENGAGEMENT_CONFIG_FILE", file.toString()))
                        .problems());
        assertEquals(
                List.of("unknown setting --config-file"),
                noFile.read(new String[] {"--config-file", file.toString()}, Map.of())
                        .problems());
        assertTrue(noFile.read(new String[] {"--x", "1"}, Map.of()).argumentProblems());
    }

    @Test
    void theToolsTakeKafkaPropertiesAsTheJobDoes() {
        assertEquals(
                Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "from-env"),
                KafkaClientProperties.forTool(
                        Map.of("kafka.properties.security.protocol", "SASL_SSL", "topic", "not a property"),
                        Map.of("ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "from-env")));
        String secret = assertThrows(
                        ConfigException.class,
                        () -> KafkaClientProperties.forTool(Map.of("kafka.properties.sasl.jaas.config", "x"), Map.of()))
                .getMessage();
        assertTrue(secret.contains("--kafka.properties.sasl.jaas.config is a secret"), secret);
        assertTrue(secret.contains("ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"), secret);
        String acks = assertThrows(
                        ConfigException.class,
                        () -> KafkaClientProperties.forTool(Map.of("kafka.properties.acks", "0"), Map.of()))
                .getMessage();
        assertTrue(acks.contains("kafka.properties.acks cannot be set"), acks);
    }

    @Test
    void usageListsEverySettingWithItsVariable() {
        String usage = SOURCES.usage();
        assertTrue(usage.contains("--session.gap") && usage.contains("ENGAGEMENT_SESSION_GAP"), usage);
        assertTrue(usage.contains("a secret: ENGAGEMENT_API_TOKEN or the file only"), usage);
    }
}
