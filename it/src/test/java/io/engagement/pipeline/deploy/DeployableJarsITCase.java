package io.engagement.pipeline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Each deployable jar as {@code package} writes it to {@code target/} carries its own module and the
 * shared core, and nothing of the other deployables: the job jar no HTTP service, tools or web stack,
 * the service jar no Flink job, the tools jar neither.
 */
class DeployableJarsITCase {

    private static final String PROJECT = "io/engagement/pipeline/";

    /** The jar {@code package} wrote to target/ whose name ends in {@code suffix} after the version. */
    private static Path jar(String suffix) throws IOException {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(
                            p -> p.getFileName().toString().matches("engagement-pipeline-[0-9.]+(-SNAPSHOT)?" + suffix))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*" + suffix + ": this test runs after package"));
        }
    }

    /** The project's packages (and root classes) in a jar, e.g. "topology/", "EngagementJob.class". */
    private static Set<String> projectPackages(String suffix) throws IOException {
        Set<String> packages = new TreeSet<>();
        try (JarFile file = new JarFile(jar(suffix).toFile())) {
            file.stream()
                    .map(e -> e.getName())
                    .filter(name -> name.startsWith(PROJECT) && name.endsWith(".class"))
                    .map(name -> name.substring(PROJECT.length()))
                    .map(name -> name.contains("/") ? name.substring(0, name.indexOf('/') + 1) : name)
                    .forEach(packages::add);
        }
        return packages;
    }

    private static boolean hasEntry(String suffix, String prefix) throws IOException {
        try (JarFile file = new JarFile(jar(suffix).toFile())) {
            return file.stream().anyMatch(e -> e.getName().startsWith(prefix));
        }
    }

    @Test
    void eachJarCarriesItsModuleAndTheCoreOnly() throws Exception {
        List<String> core = List.of("catalog/", "clickhouse/", "event/", "metrics/", "serde/", "settings/");
        Set<String> job = projectPackages("\\.jar");
        assertTrue(job.containsAll(core), "the job jar has the core: " + job);
        assertTrue(job.containsAll(List.of("EngagementJob.class", "topology/", "aggregate/", "sink/")), job.toString());
        for (String other : List.of("service/", "loadgen/", "report/")) {
            assertTrue(!job.contains(other), "the job jar has no " + other + ": " + job);
        }
        assertTrue(!hasEntry("\\.jar", "io/javalin/"), "the job jar has no web stack");

        Set<String> service = projectPackages("-service\\.jar");
        assertEquals(new TreeSet<>(concat(core, "service/")), service, "the service jar: the service and the core");
        assertTrue(hasEntry("-service\\.jar", "sql/queries/creator_dashboard.sql"), "the service packs the queries");

        Set<String> tools = projectPackages("-tools\\.jar");
        assertEquals(
                new TreeSet<>(concat(core, "loadgen/", "report/")), tools, "the tools jar: the tools and the core");
    }

    private static List<String> concat(List<String> list, String... more) {
        List<String> all = new java.util.ArrayList<>(list);
        all.addAll(List.of(more));
        return all;
    }
}
