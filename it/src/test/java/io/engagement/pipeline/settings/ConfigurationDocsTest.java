package io.engagement.pipeline.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.clickhouse.ClickHouseSettings;
import io.engagement.pipeline.config.JobSettings;
import io.engagement.pipeline.service.ServiceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's tables of settings are what the declarations write: a setting added,
 * renamed or given another default without its documentation fails here. Run with
 * {@code -Dconfiguration.docs.write=true} to rewrite the tables from the declarations.
 */
class ConfigurationDocsTest {

    private static final Path DOC = Path.of("docs/configuration.md");

    private static Map<String, List<Setting<?>>> tables() {
        Map<String, List<Setting<?>>> tables = new LinkedHashMap<>();
        tables.put("job", JobSettings.ALL);
        tables.put("service", ServiceSettings.ALL);
        tables.put("tools", ClickHouseSettings.TOOLS);
        return tables;
    }

    @Test
    void everyTableIsWrittenFromTheDeclarations() throws Exception {
        String doc = Files.readString(DOC);
        String expected = doc;
        for (Map.Entry<String, List<Setting<?>>> table : tables().entrySet()) {
            Matcher section = section(table.getKey()).matcher(expected);
            assertTrue(section.find(), "docs/configuration.md has no section settings:" + table.getKey());
            expected = expected.substring(0, section.start(2))
                    + SettingsDocumentation.table(table.getValue())
                    + expected.substring(section.end(2));
        }
        if (Boolean.getBoolean("configuration.docs.write")) {
            Files.writeString(DOC, expected);
        }
        assertEquals(expected, doc, "docs/configuration.md differs from the declarations (see the class comment)");
    }

    @Test
    void everySettingIsDeclaredOnceAndSharedSettingsAreTheSameObjects() {
        for (List<Setting<?>> settings : tables().values()) {
            assertEquals(
                    settings.size(),
                    settings.stream().map(Setting::key).distinct().count(),
                    "a key is declared twice");
        }
        // The job and the service share these by declaration, not by a copy that could drift.
        for (Setting<?> shared : List.of(
                ClickHouseSettings.URL,
                ClickHouseSettings.PASSWORD,
                KafkaSettings.BOOTSTRAP_SERVERS,
                KafkaSettings.INPUT_TOPIC,
                io.engagement.pipeline.event.ValidationSettings.MAX_EVENT_AGE)) {
            assertTrue(JobSettings.ALL.contains(shared) && ServiceSettings.ALL.contains(shared), shared.key());
        }
    }

    private static Pattern section(String name) {
        return Pattern.compile(
                "(<!-- settings:" + name + " [^\\n]*-->\\n)(.*?)(<!-- /settings:" + name + " -->)", Pattern.DOTALL);
    }
}
