package io.engagement.pipeline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.settings.KafkaClientProperties;
import io.engagement.pipeline.testing.FlinkOptionCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * No image can be pulled or run here, so the deployment files are checked as the operator and
 * Flink would read them: every {@code flinkConfiguration} key (and every key of flink-conf/config.yaml)
 * is a current Flink option with a value of its type, the job's arguments and ENGAGEMENT_* variables
 * are accepted by {@link JobConfig}, secrets come from a Secret, and the paths agree with the Dockerfile.
 */
class K8sManifestTest {

    private static final Path MANIFEST = Path.of("deploy/k8s/flink-deployment.yaml");
    private static final Path SCHEMA_JOB = Path.of("deploy/k8s/clickhouse-schema-job.yaml");
    private static final Path RETENTION_JOB = Path.of("deploy/k8s/retention-cronjob.yaml");
    private static final Path DOCKERFILE = Path.of("deploy/k8s/Dockerfile");
    private static final Path SERVICE = Path.of("deploy/k8s/service-deployment.yaml");
    private static final Path FLINK_CONF = Path.of("flink-conf/config.yaml");
    /** Options of the S3 filesystem plugins: forwarded by the plugin, not Flink ConfigOptions. */
    private static final Set<String> S3_PLUGIN_KEYS = Set.of("s3.endpoint", "s3.path.style.access");
    /** Per-reporter options of MetricOptions, written as metrics.reporter.<name>.<option>. */
    private static final Set<String> REPORTER_OPTIONS = Set.of(
            "factory.class",
            "interval",
            "scope.delimiter",
            "scope.variables.excludes",
            "scope.variables.additional",
            "filter.includes",
            "filter.excludes");
    /** Arguments of PrometheusReporterFactory. */
    private static final Set<String> PROMETHEUS_ARGUMENTS = Set.of("port");

    private static FlinkOptionCatalog catalog;

    @BeforeAll
    static void readFlinkOptions() throws Exception {
        catalog = FlinkOptionCatalog.fromClasspath();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> doc, String... path) {
        Object node = doc;
        for (String step : path) {
            assertTrue(node instanceof Map, "no " + String.join(".", path));
            node = ((Map<String, Object>) node).get(step);
        }
        assertNotNull(node, "missing " + String.join(".", path));
        return (T) node;
    }

    private static Map<String, String> asStrings(Map<String, Object> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return strings;
    }

    /** Why Flink would not take these settings as written; empty when it would. */
    static List<String> problems(Map<String, String> conf) throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> reporters =
                Set.of(conf.getOrDefault("metrics.reporters", "").split("\\s*,\\s*"));
        Pattern reporterKey = Pattern.compile("metrics\\.reporter\\.([^.]+)\\.(.+)");
        for (Map.Entry<String, String> setting : conf.entrySet()) {
            String key = setting.getKey();
            String value = setting.getValue();
            Matcher reporter = reporterKey.matcher(key);
            if (reporter.matches()) {
                String name = reporter.group(1);
                String option = reporter.group(2);
                if (!reporters.contains(name)) {
                    problems.add(key + ": reporter '" + name + "' is not listed in metrics.reporters");
                } else if (option.equals("factory.class")) {
                    Class<?> factory = Class.forName(value);
                    if (!MetricReporterFactory.class.isAssignableFrom(factory)) {
                        problems.add(key + ": " + value + " is not a MetricReporterFactory");
                    }
                } else if (!REPORTER_OPTIONS.contains(option) && !PROMETHEUS_ARGUMENTS.contains(option)) {
                    problems.add(key + ": '" + option
                            + "' is neither a reporter option nor an argument of the Prometheus reporter");
                } else if (option.equals("port") && !value.matches("\\d{1,5}(-\\d{1,5})?")) {
                    problems.add(key + ": '" + value + "' is not a port or port range");
                }
                continue;
            }
            if (S3_PLUGIN_KEYS.contains(key)) {
                continue;
            }
            ConfigOption<?> option = catalog.option(key);
            if (option == null) {
                String replacement = catalog.replacementOf(key);
                problems.add(key
                        + (replacement != null
                                ? ": deprecated, Flink 2.x reads " + replacement
                                : ": not a Flink option"));
                continue;
            }
            Configuration parsed = new Configuration();
            parsed.setString(key, value);
            try {
                parsed.get(option);
            } catch (RuntimeException e) {
                problems.add(key + ": '" + value + "' is not a valid value (" + e.getMessage() + ")");
            }
        }
        return problems;
    }

    @Test
    void theCheckCatchesWhatFlinkWouldNotRead() throws Exception {
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("state.backend.type", "rocksdb");
        wrong.put("state.checkpoints.dir", "s3://b/c"); // Flink 1.x name
        wrong.put("execution.checkpointing.intervall", "10s"); // typo
        wrong.put("execution.checkpointing.interval", "often"); // not a duration
        wrong.put("metrics.reporter.jmx.port", "9999"); // reporter not listed
        List<String> problems = problems(wrong);
        assertEquals(
                List.of(
                        "state.checkpoints.dir: deprecated, Flink 2.x reads execution.checkpointing.dir",
                        "execution.checkpointing.intervall: not a Flink option",
                        "execution.checkpointing.interval: 'often' is not a valid value",
                        "metrics.reporter.jmx.port: reporter 'jmx' is not listed in metrics.reporters"),
                problems.stream().map(p -> p.replaceAll(" \\(.*", "")).toList());
    }

    @Test
    void everyFlinkConfigurationKeyOfTheManifestIsAFlinkOption() throws Exception {
        Map<String, String> conf = asStrings(at(yaml(MANIFEST), "spec", "flinkConfiguration"));
        assertEquals(List.of(), problems(conf));
        assertEquals("kubernetes", conf.get("high-availability.type"));
        for (String storage : List.of(
                "high-availability.storageDir",
                "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir")) {
            assertTrue(conf.get(storage).startsWith("s3://"), storage + " must be on shared S3-compatible storage");
        }
        assertEquals("false", conf.get("web.submit.enable"), "no jar upload on a production REST endpoint");
    }

    @Test
    void everyKeyOfFlinkConfYamlIsAFlinkOption() throws Exception {
        Map<String, String> flat = flinkConfYaml();
        assertTrue(flat.size() > 30);
        assertEquals(List.of(), problems(flat));
    }

    /** flink-conf/config.yaml as flink.sh writes it (its @STACK_DIR@ placeholder is not valid YAML). */
    private static Map<String, String> flinkConfYaml() throws Exception {
        Object doc = new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(FLINK_CONF).replace("@STACK_DIR@", "/tmp/stack"));
        assertTrue(doc instanceof Map, FLINK_CONF + " is a YAML map");
        return asStrings(castMap((Map<?, ?>) doc));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @Test
    void theManifestAgreesWithFlinkConfYamlOnTheJobsGuarantees() throws Exception {
        Map<String, String> manifest = asStrings(at(yaml(MANIFEST), "spec", "flinkConfiguration"));
        Map<String, String> local = flinkConfYaml();
        for (String key : List.of(
                "pipeline.max-parallelism",
                "state.backend.type",
                "state.backend.rocksdb.timer-service.factory",
                "state.backend.rocksdb.writebuffer.size",
                "execution.checkpointing.incremental",
                "execution.checkpointing.interval",
                "execution.checkpointing.mode",
                "execution.checkpointing.timeout",
                "execution.checkpointing.tolerable-failed-checkpoints",
                "restart-strategy.type",
                "metrics.reporters",
                "metrics.reporter.prom.factory.class",
                "state.backend.rocksdb.metrics.estimate-num-keys",
                "state.backend.rocksdb.metrics.column-family-as-variable")) {
            assertEquals(local.get(key), manifest.get(key), key);
        }
    }

    @Test
    void theJobArgumentsAndEnvironmentAreAcceptedByJobConfig() throws Exception {
        Map<String, Object> doc = yaml(MANIFEST);
        List<String> args = new ArrayList<>();
        for (Object arg : this.<List<Object>>listAt(doc, "spec", "job", "args")) {
            args.add(String.valueOf(arg));
        }
        Map<String, String> env = new LinkedHashMap<>();
        List<Map<String, Object>> containers = listAt(doc, "spec", "podTemplate", "spec", "containers");
        Map<String, Object> main = containers.stream()
                .filter(c -> "flink-main-container".equals(c.get("name")))
                .findFirst()
                .orElseThrow();
        for (Object e : (List<?>) main.get("env")) {
            Map<String, Object> variable = castMap((Map<?, ?>) e);
            String name = (String) variable.get("name");
            boolean fromSecret =
                    variable.get("valueFrom") instanceof Map<?, ?> from && from.containsKey("secretKeyRef");
            if (name.contains("PASSWORD") || name.contains("JAAS") || name.contains("SECRET")) {
                assertTrue(fromSecret, name + " must come from a Secret (secretKeyRef), not a literal value");
            }
            env.put(name, fromSecret ? "value-from-secret" : String.valueOf(variable.get("value")));
        }
        // JobConfig ignores environment variables it does not know: a typo would go unnoticed at run time.
        for (String name : env.keySet()) {
            if (name.startsWith("ENGAGEMENT_")) {
                boolean known = io.engagement.pipeline.config.JobSettings.ALL.stream()
                                .anyMatch(s -> s.envName().equals(name))
                        || name.startsWith(KafkaClientProperties.ENV_PREFIX);
                assertTrue(known, name + " is not the environment variable of any job setting");
            }
        }
        JobConfig config = JobConfig.fromSources(args.toArray(new String[0]), env); // throws naming any bad setting
        assertEquals("value-from-secret", config.clickhousePassword);
        assertEquals("SASL_SSL", config.kafkaProperties.get("security.protocol"));
        assertEquals("value-from-secret", config.kafkaProperties.get("sasl.jaas.config"));

        Map<String, Object> ports = castMap((Map<?, ?>) ((List<?>) main.get("ports")).get(0));
        assertEquals(
                String.valueOf(ports.get("containerPort")),
                asStrings(at(doc, "spec", "flinkConfiguration")).get("metrics.reporter.prom.port"));
        Map<String, Object> mount = castMap((Map<?, ?>) ((List<?>) main.get("volumeMounts")).get(0));
        assertEquals(
                mount.get("mountPath"),
                asStrings(at(doc, "spec", "flinkConfiguration")).get("state.backend.rocksdb.localdir"),
                "RocksDB must work on the mounted volume");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theManifestRunsTheImageTheDockerfileBuilds() throws Exception {
        Map<String, Object> doc = yaml(MANIFEST);
        assertEquals("FlinkDeployment", doc.get("kind"));
        assertEquals("flink.apache.org/v1beta1", doc.get("apiVersion"));
        String dockerfile = Files.readString(DOCKERFILE);
        String flinkVersion = pomProperty("flink.version");
        Matcher from = Pattern.compile("(?m)^FROM flink:(\\S+)$").matcher(dockerfile);
        assertTrue(from.find(), "Dockerfile FROM flink:<tag>");
        assertTrue(from.group(1).startsWith(flinkVersion + "-") && from.group(1).endsWith("java17"), from.group(1));
        assertEquals("v" + flinkVersion.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2"), at(doc, "spec", "flinkVersion"));

        Matcher jar = Pattern.compile("(?m)^COPY .*target/(\\S+\\.jar) (/opt/flink/usrlib/\\S+)$")
                .matcher(dockerfile);
        assertTrue(jar.find(), "Dockerfile copies the job jar into usrlib/");
        assertEquals("engagement-pipeline-" + pomVersion() + ".jar", jar.group(1));
        assertEquals("local://" + jar.group(2), at(doc, "spec", "job", "jarURI"));
        Class<?> entry = Class.forName(at(doc, "spec", "job", "entryClass"));
        assertNotNull(entry.getMethod("main", String[].class));
        assertEquals("savepoint", at(doc, "spec", "job", "upgradeMode"));
        assertTrue(
                dockerfile.contains("metrics-prometheus") && dockerfile.contains("s3-fs-presto"),
                "the image must install the plugins the configuration uses");

        Map<String, Object> schemaJob = yaml(SCHEMA_JOB);
        List<Map<String, Object>> containers = listAt(schemaJob, "spec", "template", "spec", "containers");
        assertEquals(at(doc, "spec", "image"), containers.get(0).get("image"));
        List<?> command = (List<?>) containers.get(0).get("command");
        assertTrue(command.contains("io.engagement.pipeline.clickhouse.ApplySchema"));
        Class.forName("io.engagement.pipeline.clickhouse.ApplySchema");
        Matcher sql = Pattern.compile("(?m)^COPY .*\\bsql (/\\S+)$").matcher(dockerfile);
        assertTrue(sql.find(), "Dockerfile copies sql/");
        assertTrue(command.contains(sql.group(1) + "/ddl"), "the schema job applies the DDL the image carries");

        Map<String, Object> retention = yaml(RETENTION_JOB);
        List<Map<String, Object>> retentionContainers =
                listAt(retention, "spec", "jobTemplate", "spec", "template", "spec", "containers");
        assertEquals(at(doc, "spec", "image"), retentionContainers.get(0).get("image"));
        List<?> retentionCommand = (List<?>) retentionContainers.get(0).get("command");
        assertEquals("io.engagement.pipeline.clickhouse.ApplyRetention", retentionCommand.get(3));
        Class.forName(String.valueOf(retentionCommand.get(3))).getMethod("main", String[].class);
        Matcher tools = Pattern.compile("(?m)^COPY .*target/(engagement-pipeline-[^ ]+-tools\\.jar) (/\\S+)$")
                .matcher(dockerfile);
        assertTrue(tools.find(), "Dockerfile copies the tools jar");
        assertEquals("engagement-pipeline-" + pomVersion() + "-tools.jar", tools.group(1));
        for (List<?> c : List.of(command, retentionCommand)) {
            assertTrue(
                    String.valueOf(c.get(2)).startsWith(tools.group(2) + ":"),
                    "the tools run from the tools jar of the image: " + c);
        }
        // The tools' variables are the tools' settings (a variable of an earlier name would fail them).
        for (Map<String, Object> container : List.of(containers.get(0), retentionContainers.get(0))) {
            Map<String, String> env = new LinkedHashMap<>();
            for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
                String name = String.valueOf(variable.get("name"));
                assertTrue(
                        io.engagement.pipeline.clickhouse.ClickHouseSettings.TOOLS.stream()
                                .anyMatch(setting -> setting.envName().equals(name)),
                        name + " is the variable of a setting of the ClickHouse tools");
                env.put(name, variable.containsKey("value") ? String.valueOf(variable.get("value")) : "secret");
            }
            io.engagement.pipeline.clickhouse.ClickHouseSettings.forTool(Map.of(), env); // throws naming a bad one
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServiceDeploymentRunsTheServiceJarWithSettingsTheServiceAccepts() throws Exception {
        List<Object> docs = new ArrayList<>();
        new Load(LoadSettings.builder().build())
                .loadAllFromString(Files.readString(SERVICE))
                .forEach(docs::add);
        Map<String, Object> deployment = (Map<String, Object>) docs.get(0);
        assertEquals("Deployment", deployment.get("kind"));
        Map<String, Object> container = this.<Map<String, Object>>listAt(
                        deployment, "spec", "template", "spec", "containers")
                .get(0);
        assertEquals(
                at(yaml(MANIFEST), "spec", "image"),
                container.get("image"),
                "the job's image, which carries the service jar");
        List<String> command = ((List<Object>) container.get("command"))
                .stream().map(String::valueOf).toList();
        int jar = command.indexOf("-jar");
        Matcher copied = Pattern.compile("(?m)^COPY .*target/(\\S+-service\\.jar) (\\S+)$")
                .matcher(Files.readString(DOCKERFILE));
        assertTrue(copied.find(), "the Dockerfile copies the service jar");
        assertEquals(copied.group(2), command.get(jar + 1));
        assertEquals("engagement-pipeline-" + pomVersion() + "-service.jar", copied.group(1));
        // The arguments and variables, with stand-ins for the secrets, are a configuration the service accepts.
        String[] args = command.subList(jar + 2, command.size()).toArray(new String[0]);
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> var : (List<Map<String, Object>>) container.get("env")) {
            String name = String.valueOf(var.get("name"));
            assertTrue(
                    io.engagement.pipeline.service.ServiceSettings.ALL.stream()
                            .anyMatch(s -> s.envName().equals(name)),
                    name + " is the variable of a service setting");
            env.put(
                    name,
                    var.containsKey("value")
                            ? String.valueOf(var.get("value"))
                            : name.endsWith("API_KEYS") ? "app:0123456789abcdef:tracking" : "secret");
            if (name.endsWith("PASSWORD") || name.endsWith("API_KEYS")) {
                assertTrue(var.containsKey("valueFrom"), name + " comes from a Secret");
            }
        }
        io.engagement.pipeline.service.ServiceConfig config =
                io.engagement.pipeline.service.ServiceConfig.from(args, env);
        assertEquals("0.0.0.0", config.host);
        assertEquals(8090, config.port);
        assertEquals("/health", at(container, "readinessProbe", "httpGet", "path"));
        Map<String, Object> service = (Map<String, Object>) docs.get(1);
        assertEquals("Service", service.get("kind"));
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> listAt(Map<String, Object> doc, String... path) {
        Object node = at(doc, path);
        assertTrue(node instanceof List, String.join(".", path) + " is a list");
        return (List<T>) node;
    }

    private static String pomProperty(String name) throws Exception {
        Matcher m =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), name);
        return m.group(1);
    }

    private static String pomVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>engagement-pipeline</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "project version");
        return m.group(1);
    }
}
