package io.engagement.pipeline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of deploy/prometheus/ as Prometheus reads them: {@code promtool check rules}
 * (Debian's prometheus package, installed by deploy/install-deps.sh) and the rules' unit tests,
 * which feed series through the rules and expect the alerts to fire and to clear.
 */
class PrometheusRulesITCase {

    private static final Path PROMTOOL = Path.of(System.getenv().getOrDefault("PROMTOOL", "/usr/bin/promtool"));

    private static String promtool(String... args) throws Exception {
        assertTrue(
                Files.isExecutable(PROMTOOL),
                PROMTOOL + " not found: install it with deploy/install-deps.sh (the README test command does this)");
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(new java.io.File("deploy/prometheus"))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        String output = promtool("check", "rules", "alerts.yml");
        assertTrue(output.contains("SUCCESS: 10 rules found"), output);
    }

    @Test
    void theAlertsFireAndClearOnTheirUnitTests() throws Exception {
        String output = promtool("test", "rules", "alerts-test.yml");
        assertTrue(output.contains("SUCCESS"), output);
    }
}
