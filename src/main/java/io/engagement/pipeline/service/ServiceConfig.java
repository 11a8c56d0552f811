package io.engagement.pipeline.service;

import io.engagement.pipeline.clickhouse.ClickHouseTls;
import io.engagement.pipeline.clickhouse.Database;
import io.engagement.pipeline.config.ConfigException;
import io.engagement.pipeline.config.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP service's one typed configuration: built-in defaults (the local stack), environment
 * variables ({@code ENGAGEMENT_} + the key upper-cased, dots and dashes as underscores, e.g.
 * {@code ENGAGEMENT_SERVICE_PORT}) and CLI arguments ({@code --service.port 8090}), validated once;
 * every problem is reported together, each naming its setting. The API keys are a secret: from the
 * environment only.
 */
public final class ServiceConfig {

    /** Every setting with its default and meaning (docs/api.md lists them). */
    public static final Map<String, String[]> SETTINGS = new LinkedHashMap<>();

    static {
        define("service.host", "127.0.0.1", "address to listen on (0.0.0.0 in a container)");
        define("service.port", "8090", "HTTP port (0: any free port, printed at start)");
        define(
                "service.api-keys",
                "",
                "API keys, name:key:role[:creator_id] separated by commas; role tracking, creator, admin, catalog or metrics (a secret: environment only, ENGAGEMENT_SERVICE_API_KEYS)");
        define("service.kafka-bootstrap-servers", "127.0.0.1:9092", "Kafka brokers the tracking endpoints produce to");
        define("service.input-topic", "engagement-events", "topic of the client events (the job's kafka.input-topic)");
        define(
                "service.catalog-topic",
                "",
                "compacted topic of the content catalogue that PUT/DELETE /v1/catalog/{contentId} write (the job's kafka.catalog-topic); empty = those routes answer 503");
        define(
                "service.max-pending-events",
                "10000",
                "events accepted but not yet acknowledged by Kafka; beyond it requests get 503 with Retry-After");
        define(
                "service.kafka-linger",
                "5 ms",
                "how long the producer gathers events into one Kafka request (linger.ms): throughput against single-event latency (docs/benchmarks.md)");
        define(
                "service.produce-timeout",
                "10 s",
                "how long a tracking request waits for Kafka's acknowledgement before answering 503");
        define(
                "service.clickhouse-url",
                "http://127.0.0.1:8123",
                "ClickHouse HTTP interface the analytics endpoints read");
        define(
                "service.clickhouse-ca-file",
                "",
                "PEM file of the CA certificates trusted for an https:// service.clickhouse-url; empty: the JVM's trust store");
        define(
                "service.tls.keystore",
                "",
                "PKCS12 keystore (the service's key and certificate chain): when set the service answers HTTPS only, on service.port; empty: plain HTTP (behind a TLS-terminating proxy)");
        define("service.tls.keystore-password", "", "password of service.tls.keystore (a secret: environment only)");
        define(
                "service.clickhouse-database",
                "engagement",
                "database of the job's tables (the job's clickhouse.database)");
        define("service.clickhouse-user", "default", "ClickHouse user (read-only is enough)");
        define("service.clickhouse-password", "", "ClickHouse password (a secret: environment only)");
        define(
                "service.rate-limit.events-per-minute",
                "100",
                "single-event tracking requests per client per minute (seed 002)");
        define(
                "service.rate-limit.batches-per-minute",
                "10",
                "batch tracking requests per client per minute (seed 002)");
        define(
                "service.user-token-key",
                "",
                "HS256 key of the platform's signed user tokens (JWT in the X-User-Token header); when set, an event's user_id must be its token's user, and events without a token are taken only anonymous (a secret: environment only; docs/api.md)");
        define("service.rate-limit.analytics-per-minute", "60", "analytics requests per API key per minute (seed 002)");
        define(
                "service.analytics.max-concurrent",
                "16",
                "analytics requests answered at once (each holds a request thread while ClickHouse works); more are answered 503 at once, so a flood of reads never takes the threads tracking needs");
        define(
                "service.analytics.max-result-rows",
                "10000",
                "the most rows ClickHouse may answer one analytics query with; a larger answer is refused with 400 (limit and top are capped at 1 000, ranges at 400 days: docs/api.md)");
        define(
                "service.rate-limit.tracking-key-per-minute",
                "600000",
                "tracking requests (single and batch) per tracking key per minute, from all addresses together");
        define(
                "service.rate-limit.auth-failures-per-minute",
                "20",
                "requests without a valid API key per client address per minute");
        define(
                "service.rate-limit.max-clients",
                "100000",
                "rate-limit buckets kept per limit (clients idle for a minute are dropped first); bounds the limiter's memory");
        define(
                "service.trusted-proxies",
                "",
                "addresses of the proxies in front of the service, separated by commas: only from them is X-Forwarded-For believed for the client address");
    }

    private static final List<String> SECRETS = List.of(
            "service.api-keys",
            "service.clickhouse-password",
            "service.user-token-key",
            "service.tls.keystore-password");

    public final String host;
    public final int port;
    public final ApiKeys apiKeys;
    public final String kafkaBootstrapServers;
    public final String inputTopic;
    /**
     * Kafka client properties ({@code --kafka.properties.<name>}, secrets such as
     * {@code sasl.jaas.config} from {@code ENGAGEMENT_KAFKA_PROPERTIES_<NAME>}): the job's names and
     * checks, so the service reaches a secured Kafka as the job does.
     */
    public final Map<String, String> kafkaProperties;
    /** {@code service.catalog-topic}; null when the service does not write the catalogue. */
    public final String catalogTopic;

    public final int maxPendingEvents;
    public final Duration produceTimeout;
    public final Duration kafkaLinger;
    public final String clickhouseUrl;
    /** {@code service.clickhouse-ca-file}; null: the JVM's trust store. */
    public final String clickhouseCaFile;
    /** {@code service.tls.keystore}; null: plain HTTP. */
    public final String tlsKeystore;

    public final String tlsKeystorePassword;
    public final String clickhouseDatabase;
    public final String clickhouseUser;
    /** {@code service.analytics.max-concurrent}. */
    public final int analyticsMaxConcurrent;

    public final String clickhousePassword;
    /** The job's validation rules (its {@code ENGAGEMENT_VALIDATION_*} settings from the same environment). */
    public final io.engagement.pipeline.event.ValidationRules validationRules;
    /** null when user tokens are not used. */
    public final String userTokenKey;

    public final int eventsPerMinute;
    public final int batchesPerMinute;
    public final int analyticsPerMinute;
    public final int trackingKeyRequestsPerMinute;
    public final int analyticsMaxResultRows;
    public final int authFailuresPerMinute;
    public final int rateLimitClients;
    public final java.util.Set<String> trustedProxies;

    private static void define(String key, String defaultValue, String description) {
        SETTINGS.put(key, new String[] {defaultValue, description});
    }

    /** The environment variable of a setting: {@code service.rate-limit.events-per-minute} -> ENGAGEMENT_SERVICE_RATE_LIMIT_EVENTS_PER_MINUTE. */
    public static String envName(String key) {
        return "ENGAGEMENT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static ServiceConfig from(String[] args, Map<String, String> env) {
        io.engagement.pipeline.event.ValidationRules rules;
        try {
            rules = io.engagement.pipeline.config.JobConfig.validationRulesFrom(env);
        } catch (ConfigException e) {
            throw new ConfigException(
                    "invalid service configuration (the job's validation settings):\n  " + e.getMessage());
        }
        return from(args, env, rules);
    }

    private static ServiceConfig from(
            String[] args, Map<String, String> env, io.engagement.pipeline.event.ValidationRules rules) {
        Map<String, String> values = new LinkedHashMap<>();
        SETTINGS.forEach((key, meta) -> values.put(key, meta[0]));
        List<String> problems = new ArrayList<>();
        Map<String, String> kafkaOptions = new LinkedHashMap<>();
        SETTINGS.keySet().forEach(key -> {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        });
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key != null && key.startsWith(KafkaClientProperties.PREFIX) && i + 1 < args.length) {
                kafkaOptions.put(key, args[++i]); // checked below, as the job checks them
                continue;
            }
            if (key == null || !SETTINGS.containsKey(key)) {
                problems.add(
                        "unknown argument '" + args[i] + "' (settings: " + String.join(", ", SETTINGS.keySet()) + ")");
                continue;
            }
            if (SECRETS.contains(key)) {
                problems.add(
                        key + " is a secret: set it in the environment (" + envName(key) + "), not as an argument");
                i++;
                continue;
            }
            if (i + 1 >= args.length) {
                problems.add(key + " needs a value");
                continue;
            }
            values.put(key, args[++i]);
        }
        Map<String, String> kafkaProperties = Map.of();
        try {
            kafkaProperties = KafkaClientProperties.forTool(kafkaOptions, env);
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        ServiceConfig config = new ServiceConfig(values, rules, kafkaProperties, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException("invalid service configuration:\n  " + String.join("\n  ", problems));
        }
        return config;
    }

    private ServiceConfig(
            Map<String, String> v,
            io.engagement.pipeline.event.ValidationRules rules,
            Map<String, String> kafkaProperties,
            List<String> problems) {
        this.kafkaProperties = kafkaProperties;
        validationRules = rules;
        host = v.get("service.host");
        port = intIn(v, "service.port", 0, 65535, problems);
        ApiKeys keys = null;
        try {
            keys = ApiKeys.parse(v.get("service.api-keys"));
        } catch (IllegalArgumentException e) {
            problems.add("service.api-keys: " + e.getMessage());
        }
        apiKeys = keys;
        kafkaBootstrapServers = v.get("service.kafka-bootstrap-servers");
        if (!kafkaBootstrapServers.matches("[^,:\\s]+:\\d{1,5}(,[^,:\\s]+:\\d{1,5})*")) {
            problems.add("service.kafka-bootstrap-servers must be host:port[,host:port], not '" + kafkaBootstrapServers
                    + "'");
        }
        String catalogue = v.get("service.catalog-topic");
        catalogTopic = catalogue == null || catalogue.isBlank() ? null : catalogue.strip();
        if (catalogTopic != null && !catalogTopic.matches("[a-zA-Z0-9._-]{1,249}")) {
            problems.add("service.catalog-topic is not a Kafka topic name: '" + catalogTopic + "'");
        }
        inputTopic = v.get("service.input-topic");
        if (!inputTopic.matches("[a-zA-Z0-9._-]{1,249}")) {
            problems.add("service.input-topic is not a Kafka topic name: '" + inputTopic + "'");
        }
        maxPendingEvents = intIn(v, "service.max-pending-events", 100, 10_000_000, problems);
        produceTimeout = duration(v, "service.produce-timeout", problems);
        kafkaLinger = nonNegativeDuration(v, "service.kafka-linger", problems);
        clickhouseUrl = v.get("service.clickhouse-url");
        if (!clickhouseUrl.matches("https?://[^\\s/]+(:\\d+)?/?")) {
            problems.add("service.clickhouse-url must be http(s)://host:port, not '" + clickhouseUrl + "'");
        }
        String caFile = v.get("service.clickhouse-ca-file");
        clickhouseCaFile = caFile == null || caFile.isBlank() ? null : caFile.strip();
        String caFileProblem = clickhouseCaFile == null ? null : ClickHouseTls.problem(clickhouseCaFile);
        if (caFileProblem != null) {
            problems.add("service.clickhouse-ca-file: " + caFileProblem);
        }
        String keystore = v.get("service.tls.keystore");
        tlsKeystore = keystore == null || keystore.isBlank() ? null : keystore.strip();
        tlsKeystorePassword = v.get("service.tls.keystore-password");
        if (tlsKeystore != null) {
            String problem = ServiceTls.problem(tlsKeystore, tlsKeystorePassword);
            if (problem != null) {
                problems.add("service.tls.keystore: " + problem);
            }
        }
        clickhouseDatabase = v.get("service.clickhouse-database");
        if (Database.problem(clickhouseDatabase) != null) {
            problems.add("service.clickhouse-database " + Database.problem(clickhouseDatabase));
        }
        clickhouseUser = v.get("service.clickhouse-user");
        clickhousePassword = v.get("service.clickhouse-password");
        String tokenKey = v.get("service.user-token-key");
        userTokenKey = tokenKey == null || tokenKey.isEmpty() ? null : tokenKey;
        if (userTokenKey != null && userTokenKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            // RFC 7518 3.2: an HS256 key must have at least as many bits as the hash (256)
            problems.add("service.user-token-key must be at least 32 bytes (256 bits) for HS256");
        }
        eventsPerMinute = intIn(v, "service.rate-limit.events-per-minute", 1, 1_000_000, problems);
        batchesPerMinute = intIn(v, "service.rate-limit.batches-per-minute", 1, 1_000_000, problems);
        analyticsPerMinute = intIn(v, "service.rate-limit.analytics-per-minute", 1, 1_000_000, problems);
        analyticsMaxConcurrent = intIn(v, "service.analytics.max-concurrent", 1, 10_000, problems);
        analyticsMaxResultRows = intIn(v, "service.analytics.max-result-rows", 1, 10_000_000, problems);
        trackingKeyRequestsPerMinute = intIn(v, "service.rate-limit.tracking-key-per-minute", 1, 100_000_000, problems);
        authFailuresPerMinute = intIn(v, "service.rate-limit.auth-failures-per-minute", 1, 1_000_000, problems);
        rateLimitClients = intIn(v, "service.rate-limit.max-clients", 100, 10_000_000, problems);
        java.util.Set<String> proxies = new java.util.LinkedHashSet<>();
        for (String proxy : v.get("service.trusted-proxies").split(",")) {
            if (!proxy.isBlank()) {
                proxies.add(proxy.strip());
            }
        }
        trustedProxies = java.util.Set.copyOf(proxies);
    }

    private static int intIn(Map<String, String> v, String key, int min, int max, List<String> problems) {
        try {
            int value = Integer.parseInt(v.get(key).strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a whole number from " + min + " to " + max + ", not '" + v.get(key) + "'");
        return min;
    }

    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("\\s*(\\d{1,9})\\s*(ms|s|min|h)\\s*");

    /**
     * {@code 250 ms}, {@code 10 s}, {@code 2 min}, {@code 1 h}: the job's duration notation, parsed here
     * so that the service jar needs no Flink classes.
     */
    static Duration parseDuration(String text) {
        java.util.regex.Matcher m = DURATION.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "min" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static Duration nonNegativeDuration(Map<String, String> v, String key, List<String> problems) {
        try {
            Duration d = parseDuration(v.get(key));
            if (!d.isNegative() && d.toMillis() <= 1000) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(key + " must be a duration from 0 ms to 1 s, not '" + v.get(key) + "'");
        return Duration.ZERO;
    }

    private static Duration duration(Map<String, String> v, String key, List<String> problems) {
        try {
            Duration d = parseDuration(v.get(key));
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(key + " must be a positive duration such as '10 s', not '" + v.get(key) + "'");
        return Duration.ofSeconds(1);
    }
}
