package io.engagement.pipeline.config;

import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.event.ValidationRules;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The job's one typed configuration. Built from, in increasing precedence: built-in defaults (which
 * run against the local stack), a properties file ({@code --config-file}), environment variables
 * ({@code ENGAGEMENT_} + the key upper-cased with dots and dashes as underscores, e.g.
 * {@code ENGAGEMENT_KAFKA_BOOTSTRAP_SERVERS}) and CLI arguments ({@code --kafka.bootstrap-servers host:port}).
 * Validated once; every problem is reported together, each naming its setting. Flink runtime settings
 * (checkpointing, state backend) are not here: they live in flink-conf/config.yaml.
 */
public final class JobConfig implements Serializable {

    /** Every setting with its default and meaning; also printed by {@code --help} and listed in docs/configuration.md. */
    public static final Map<String, String[]> SETTINGS = new LinkedHashMap<>();

    static {
        define("job.name", "engagement-analytics", "Flink job name");
        define("kafka.bootstrap-servers", "127.0.0.1:9092", "Kafka brokers, host:port[,host:port]");
        define("kafka.input-topic", "engagement-events", "topic the client events are read from");
        define("kafka.dlq-topic", "engagement-dlq", "dead-letter topic for rejected messages");
        define(
                "kafka.catalog-topic",
                "",
                "compacted topic of the content catalogue (content id -> creator, duration, ...), the source of ownership; empty = no catalogue: each content window takes the creator_id of its first event");
        define("kafka.feedback-topic", "engagement-feedback", "topic the recommender reads score updates from");
        define("kafka.group-id", "engagement-pipeline", "consumer group of the Kafka source");
        define(
                "kafka.starting-offsets",
                "committed",
                "committed (falls back to earliest), earliest, latest, or timestamp:<ISO-8601 instant> (the first offset of each partition at or after that Kafka timestamp; replays and backfills, docs/operations.md)");
        define(
                "kafka.stopping-offsets",
                "none",
                "none (run forever) or latest: stop at the offsets that were the newest when the job started, fire every window and finish (backfills, benchmarks)");
        define(
                "kafka.delivery-guarantee",
                "exactly-once",
                "exactly-once (Kafka transactions) or at-least-once for the DLQ and feedback topics");
        define(
                "kafka.transactional-id-prefix",
                "engagement-pipeline",
                "prefix of the Kafka transactional ids; unique per job");
        define(
                "kafka.transaction-timeout",
                "10 min",
                "Kafka producer transaction timeout; must exceed the checkpoint interval and not the broker's transaction.max.timeout.ms");
        define(
                "clickhouse.url",
                "jdbc:clickhouse://127.0.0.1:8123?compress=false",
                "ClickHouse JDBC URL (HTTP port; HTTPS port with jdbc:clickhouse:https://... or ssl=true); the tables are in clickhouse.database; compress=false is required for ClickHouse 18.16 (docs/clickhouse.md)");
        define(
                "clickhouse.ca-file",
                "",
                "PEM file of the CA certificates trusted for an https ClickHouse URL, read on the client and on every TaskManager (the same path on each); empty: the JVM's trust store");
        define(
                "clickhouse.database",
                "engagement",
                "ClickHouse database of the job's tables (created by ApplySchema with CLICKHOUSE_DATABASE); several deployments can share a server with one database each");
        define("clickhouse.user", "default", "ClickHouse user");
        define("clickhouse.password", "", "ClickHouse password");
        define("clickhouse.batch-size", "100000", "most rows per ClickHouse insert");
        define("clickhouse.batch-mb", "16", "most megabytes of encoded rows per ClickHouse insert");
        define(
                "clickhouse.flush-interval",
                "5 s",
                "longest time a row waits in the batch (window rows go sooner while the job is live: docs/clickhouse.md)");
        define(
                "clickhouse.max-retries",
                "5",
                "retries of a failed insert logged as warnings; after them the writer keeps holding and retrying (back-off up to 30 s), logs each failure as an error and sets the table's heldInserts gauge; it never fails the job");
        define(
                "watermark.out-of-orderness",
                "30 s",
                "how far event times may go backwards before events count as late");
        define(
                "watermark.idleness",
                "1 min",
                "a source split without events for this long stops holding back the watermark");
        define(
                "window.allowed-lateness",
                "5 min",
                "late events within this bound update their windows; later ones go to late_events");
        define(
                "lateness.start-horizon",
                "auto",
                "for a job started without checkpoint or savepoint: events older than this are too late; auto = end of the newest window in ClickHouse content_metrics, none, or an ISO-8601 instant");
        define("window.grains", "minute,hour,day,week", "tumbling window sizes to compute");
        define(
                "window.pre-aggregation.max-entries",
                "20000",
                "partials (key and window) a subtask folds on the heap before the shuffle to each window stage (flushed before the watermark that closes their window, before every checkpoint barrier, and when full); 0 sends every record alone");
        define(
                "session.gap",
                "30 min",
                "a viewing session ends after this much event-time inactivity (session windows keyed by session_id)");
        define(
                "session.max-duration",
                "4 h",
                "a session ends when it has lasted this long, even without a gap (a session id reused forever must not keep a window open forever)");
        define(
                "session.bundle.max-events",
                "10000",
                "events a subtask of the session stage keeps on the heap before applying them, each session's with one state read and write (applied before every watermark and checkpoint barrier, and when full)");
        define(
                "views.validation",
                "off",
                "on: view starts and play ends pass the session, device and user gates and content and creator windows count validated views, completions and watch time beside the raw ones, flagged actors go to suspect_actors (docs/metrics.md, validated views); off (the default until the gates' cost is brought down, docs/benchmarks.md): the validated columns stay 0");
        define(
                "views.max-starts-per-minute",
                "40",
                "view starts one session, device or user may make in an event-time minute; above it the actor is flagged for the minute (suspect_actors) and none of its views, completions or watch time of the minute count as validated");
        define(
                "views.repeat-span",
                "30 s",
                "a viewer's view starts of one content closer together than this count once as validated views");
        define(
                "views.playback-slack",
                "5 s",
                "how much a play's reported watch time may exceed the time since its view start before the play counts as impossible (not validated)");
        define(
                "trending.min-views-per-hour",
                "100",
                "views per hour (over the last 24 h) from which rising content counts as trending (seed 002)");
        define("dedup.horizon", "6 h", "an event id seen again within this time is a duplicate");
        define("validation.max-future-skew", "5 min", "events further than this in the future are rejected");
        define("validation.max-event-age", "7 d", "events older than this are rejected");
        define(
                "validation.max-watch-time",
                "12 h",
                "largest accepted watch_time_ms (and total_watch_time_ms) of one event");
        define("validation.max-content-duration", "24 h", "largest accepted content_duration_ms");
        define(
                "privacy.user-id-hmac-key",
                "",
                "when set (at least 32 characters; a secret: env or --config-file only), every user id is replaced by HMAC-SHA256(key, id) before anything is written, dead-letter payloads included; empty = user ids as sent");
        define(
                "validation.max-message-bytes",
                "65536",
                "larger messages are dead-lettered (message_too_large) before they are parsed");
    }

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST_PORT = Pattern.compile("[^,:\\s]+:\\d{1,5}(,[^,:\\s]+:\\d{1,5})*");

    public final String jobName;
    public final String bootstrapServers;
    public final String inputTopic;
    /** {@code kafka.catalog-topic}; null when the job runs without a content catalogue. */
    public final String catalogTopic;

    public final String dlqTopic;
    public final String feedbackTopic;
    public final String groupId;
    public final String startingOffsets;
    /** {@code kafka.stopping-offsets}: true = a bounded run that ends at the offsets newest at start. */
    public final boolean stopAtLatestOffsets;

    public final DeliveryGuarantee deliveryGuarantee;
    public final String transactionalIdPrefix;
    public final Duration transactionTimeout;
    public final String clickhouseUrl;
    /** PEM file of the CA certificates for an https ClickHouse URL; null: the JVM's trust store. */
    public final String clickhouseCaFile;

    public final String clickhouseDatabase;
    public final String clickhouseUser;
    /** The ClickHouse password for the job's client (start-up checks): never give it to an operator. */
    public final String clickhousePassword;
    /** Where operators read the ClickHouse password on the TaskManager ({@link SecretRef}). */
    public final SecretRef clickhousePasswordSecret;

    public final int clickhouseBatchSize;
    public final int clickhouseBatchMb;
    public final Duration clickhouseFlushInterval;
    public final int clickhouseMaxRetries;
    public final Duration outOfOrderness;
    public final Duration idleness;
    public final Duration allowedLateness;
    /** {@code auto}, {@code none} or an ISO-8601 instant; resolved by {@link io.engagement.pipeline.dedup.StartHorizon}. */
    public final String startHorizon;

    public final Set<Grain> grains;
    /** {@code window.pre-aggregation.max-entries}: 0 = every record crosses the shuffle alone. */
    public final int preAggregationEntries;

    public final Duration dedupHorizon;
    public final double trendingMinViewsPerHour;
    public final Duration sessionGap;
    public final Duration sessionMaxDuration;
    /** {@code session.bundle.max-events}. */
    public final int sessionBundleEvents;
    /** {@code views.*}; null with {@code views.validation: off}. */
    public final io.engagement.pipeline.views.ViewRules viewRules;

    public final ValidationRules validationRules;
    /** {@code privacy.user-id-hmac-key} as a reference; null when user ids are kept as sent. */
    public final SecretRef userIdHmacKey;

    /** {@code kafka.starting-offsets} of the form {@code timestamp:<ISO-8601 instant>}. */
    public static final String STARTING_OFFSETS_TIMESTAMP = "timestamp:";
    /**
     * {@code kafka.properties.*} without the prefix, secrets as given: for the job's client (the
     * start-up checks) and the tools, never for an operator.
     */
    public final Map<String, String> kafkaProperties;
    /**
     * The same properties for the job's sources and sinks: a secret given in the environment is a
     * reference to that variable, resolved by the Kafka client on each TaskManager (Kafka's
     * {@code EnvVarConfigProvider}), so no secret is in the job graph.
     */
    public final Map<String, String> kafkaJobProperties;

    /** The name under which the job adds Kafka's environment-variable config provider. */
    static final String KAFKA_ENV_PROVIDER = "engagement_env";

    private JobConfig(Map<String, String> values, Map<String, SecretRef> secrets, Map<String, String> env) {
        Parser p = new Parser(values);
        jobName = p.nonEmpty("job.name");
        bootstrapServers = p.matching("kafka.bootstrap-servers", HOST_PORT, "host:port[,host:port]");
        inputTopic = p.matching("kafka.input-topic", TOPIC, "a Kafka topic name");
        dlqTopic = p.matching("kafka.dlq-topic", TOPIC, "a Kafka topic name");
        catalogTopic =
                p.optionalMatching("kafka.catalog-topic", TOPIC, "a Kafka topic name, or empty for no catalogue");
        feedbackTopic = p.matching("kafka.feedback-topic", TOPIC, "a Kafka topic name");
        groupId = p.nonEmpty("kafka.group-id");
        startingOffsets = p.checked("kafka.starting-offsets", JobConfig::checkStartingOffsets);
        stopAtLatestOffsets = "latest".equals(p.oneOf("kafka.stopping-offsets", "none", "latest"));
        deliveryGuarantee = "exactly-once".equals(p.oneOf("kafka.delivery-guarantee", "exactly-once", "at-least-once"))
                ? DeliveryGuarantee.EXACTLY_ONCE
                : DeliveryGuarantee.AT_LEAST_ONCE;
        transactionalIdPrefix = p.nonEmpty("kafka.transactional-id-prefix");
        transactionTimeout = p.positiveDuration("kafka.transaction-timeout");
        clickhouseUrl = p.checked(
                "clickhouse.url",
                url -> url.startsWith("jdbc:clickhouse://")
                                || url.startsWith("jdbc:clickhouse:http://")
                                || url.startsWith("jdbc:clickhouse:https://")
                        ? null
                        : "clickhouse.url must start with jdbc:clickhouse:// or jdbc:clickhouse:https:// (was '" + url
                                + "')");
        String caFile = values.getOrDefault("clickhouse.ca-file", "").strip();
        clickhouseCaFile = caFile.isEmpty()
                ? null
                : p.checked("clickhouse.ca-file", file -> {
                    String problem = io.engagement.pipeline.clickhouse.ClickHouseTls.problem(file);
                    return problem == null ? null : "clickhouse.ca-file: " + problem;
                });
        clickhouseDatabase = p.checked("clickhouse.database", name -> {
            String problem = io.engagement.pipeline.clickhouse.Database.problem(name);
            return problem == null ? null : "clickhouse.database " + problem;
        });
        clickhouseUser = p.nonEmpty("clickhouse.user");
        clickhousePasswordSecret = secrets.getOrDefault("clickhouse.password", SecretRef.none("clickhouse.password"));
        clickhousePassword = p.resolved(clickhousePasswordSecret, env);
        clickhouseBatchSize = p.positiveInt("clickhouse.batch-size");
        clickhouseBatchMb = p.intBetween("clickhouse.batch-mb", 1, 1024);
        clickhouseFlushInterval = p.positiveDuration("clickhouse.flush-interval");
        clickhouseMaxRetries = p.nonNegativeInt("clickhouse.max-retries");
        outOfOrderness = p.nonNegativeDuration("watermark.out-of-orderness");
        idleness = p.positiveDuration("watermark.idleness");
        allowedLateness = p.nonNegativeDuration("window.allowed-lateness");
        startHorizon = p.checked("lateness.start-horizon", io.engagement.pipeline.dedup.StartHorizon::validate);
        grains = p.grains("window.grains");
        preAggregationEntries = p.nonNegativeInt("window.pre-aggregation.max-entries");
        dedupHorizon = p.positiveDuration("dedup.horizon");
        trendingMinViewsPerHour = p.positiveDouble("trending.min-views-per-hour");
        sessionGap = p.positiveDuration("session.gap");
        sessionMaxDuration =
                p.atMost("session.max-duration", p.positiveDuration("session.max-duration"), Duration.ofDays(7));
        sessionBundleEvents = p.positiveInt("session.bundle.max-events");
        boolean validateViews = "on".equals(p.oneOf("views.validation", "on", "off"));
        int maxStarts = p.positiveInt("views.max-starts-per-minute");
        Duration repeatSpan = p.nonNegativeDuration("views.repeat-span");
        Duration playbackSlack = p.nonNegativeDuration("views.playback-slack");
        viewRules = validateViews && repeatSpan != null && playbackSlack != null
                ? new io.engagement.pipeline.views.ViewRules(maxStarts, repeatSpan.toMillis(), playbackSlack.toMillis())
                : null;
        validationRules = validationRules(p);

        kafkaProperties = p.kafkaProperties();
        kafkaJobProperties = kafkaJobProperties(kafkaProperties, secrets);
        SecretRef hmacKey =
                secrets.getOrDefault("privacy.user-id-hmac-key", SecretRef.none("privacy.user-id-hmac-key"));
        // Resolved here only to check it; the pseudonymizer reads it again where it runs.
        userIdHmacKey =
                p.optionalKey("privacy.user-id-hmac-key", p.resolved(hmacKey, env), 32) == null ? null : hmacKey;
        p.throwIfInvalid();
    }

    /** Defaults only: the local stack. */
    public static JobConfig defaults() {
        return fromSources(new String[0], Map.of());
    }

    /**
     * The job's {@code validation.*} rules from the environment alone ({@code ENGAGEMENT_VALIDATION_*},
     * and {@code ENGAGEMENT_CONFIG_FILE}), every other setting at its default: how the tracking
     * service validates with exactly the job's rules when both read one environment (docs/api.md).
     *
     * @throws ConfigException naming a bad validation setting
     */
    public static ValidationRules validationRulesFrom(Map<String, String> env) {
        Map<String, String> validationOnly = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("ENGAGEMENT_VALIDATION_")) {
                validationOnly.put(name, value);
            }
        });
        String file = env.get("ENGAGEMENT_CONFIG_FILE");
        if (file != null) {
            readFile(Path.of(file)).forEach((key, value) -> {
                if (key.startsWith("validation.")) {
                    validationOnly.put(envName(key), value);
                }
            });
        }
        Map<String, String> values = new LinkedHashMap<>();
        SETTINGS.forEach((key, meta) -> values.put(key, meta[0]));
        for (String key : SETTINGS.keySet()) {
            String fromEnv = validationOnly.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        }
        Parser p = new Parser(values);
        ValidationRules rules = validationRules(p);
        p.throwIfInvalid();
        return rules;
    }

    /** The validation.* settings alone (the HTTP service's path: it must not touch the job's Flink classes). */
    private static ValidationRules validationRules(Parser p) {
        return new ValidationRules(
                // A larger skew lets one client with a fast clock push the watermark ahead, making every
                // honest event on its partition late.
                p.atMost(
                        "validation.max-future-skew",
                        p.nonNegativeDuration("validation.max-future-skew"),
                        Duration.ofDays(1)),
                // ClickHouse DateTime starts in 1970; no client buffers events for a decade.
                p.atMost(
                        "validation.max-event-age",
                        p.positiveDuration("validation.max-event-age"),
                        Duration.ofDays(3650)),
                // Watch time of one report; bounded so that window sums cannot overflow.
                p.atMost(
                        "validation.max-watch-time",
                        p.positiveDuration("validation.max-watch-time"),
                        Duration.ofDays(7)),
                p.atMost(
                        "validation.max-content-duration",
                        p.positiveDuration("validation.max-content-duration"),
                        Duration.ofDays(7)),
                128,
                // The dead-letter payload keeps 64 Ki characters; a bound of 16 MiB keeps one message's
                // parse from taking a TaskManager's memory.
                p.intBetween("validation.max-message-bytes", 1024, 16 * 1024 * 1024));
    }

    /** Builds and validates the configuration; throws {@link ConfigException} naming every bad setting. */
    public static JobConfig fromSources(String[] args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        SETTINGS.forEach((key, meta) -> values.put(key, meta[0]));
        Map<String, String> cli = parseArgs(args);
        String file = cli.getOrDefault("config-file", env.get("ENGAGEMENT_CONFIG_FILE"));
        if (file != null) {
            values.putAll(readFile(Path.of(file)));
        }
        for (String key : SETTINGS.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        }
        values.putAll(KafkaClientProperties.fromEnv(env));
        cli.remove("config-file");
        values.putAll(cli);
        List<String> errors = new ArrayList<>();
        Map<String, SecretRef> secrets = secretReferences(values, env, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException("Invalid configuration:\n  " + String.join("\n  ", errors));
        }
        return new JobConfig(values, secrets, env);
    }

    /** The user-id pseudonymizer of {@code privacy.user-id-hmac-key}, or null when ids are kept as sent. */
    public io.engagement.pipeline.event.UserIdPseudonymizer userIdPseudonymizer() {
        return userIdHmacKey == null ? null : new io.engagement.pipeline.event.UserIdPseudonymizer(userIdHmacKey);
    }

    /**
     * Where each secret setting is read on the TaskManagers. A secret in the environment becomes a
     * reference to its variable (the value stays in the environment); one in {@code --config-file}
     * must itself be a reference ({@code ${env:NAME}}, {@code ${file:/path}}; for a Kafka property a
     * Kafka config provider placeholder such as {@code ${file:/path:key}}), because the value would
     * otherwise be copied into the job graph.
     */
    private static Map<String, SecretRef> secretReferences(
            Map<String, String> values, Map<String, String> env, List<String> errors) {
        Map<String, SecretRef> refs = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (!isSecret(key) || value == null || value.isEmpty()) {
                return;
            }
            String variable = secretEnvName(key);
            boolean fromEnv = value.equals(env.get(variable));
            if (key.startsWith(KafkaClientProperties.PREFIX)) {
                if (value.contains("${")) {
                    return; // a Kafka config provider placeholder: Kafka resolves it on the TaskManager
                }
                if (fromEnv) {
                    refs.put(key, SecretRef.env(key, variable));
                } else {
                    errors.add(key
                            + " in --config-file must be a Kafka config provider placeholder (for example ${file:/path:key}"
                            + " with config.providers), or set " + variable
                            + ": the value itself would be copied into the job graph");
                }
                return;
            }
            SecretRef ref = SecretRef.parse(key, value);
            if (ref == null && fromEnv) {
                ref = SecretRef.env(key, variable);
            }
            if (ref == null) {
                errors.add(key + " in --config-file must be a reference, ${env:NAME} or ${file:/path}, or set "
                        + variable + ": the value itself would be copied into the job graph");
            } else {
                refs.put(key, ref);
            }
        });
        return refs;
    }

    /** {@code properties} with each secret from the environment as a reference to its variable. */
    private static Map<String, String> kafkaJobProperties(
            Map<String, String> properties, Map<String, SecretRef> secrets) {
        Map<String, String> job = new java.util.TreeMap<>(properties);
        boolean references = false;
        for (String property : properties.keySet()) {
            SecretRef ref = secrets.get(KafkaClientProperties.PREFIX + property);
            if (ref != null) {
                job.put(property, "${" + KAFKA_ENV_PROVIDER + ":" + KafkaClientProperties.envName(property) + "}");
                references = true;
            }
        }
        if (references) {
            String providers = job.get("config.providers");
            job.put(
                    "config.providers",
                    providers == null || providers.isBlank()
                            ? KAFKA_ENV_PROVIDER
                            : providers + "," + KAFKA_ENV_PROVIDER);
            job.put(
                    "config.providers." + KAFKA_ENV_PROVIDER + ".class",
                    "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        }
        return java.util.Collections.unmodifiableMap(job);
    }

    public static String envName(String key) {
        return "ENGAGEMENT_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static String usage() {
        StringBuilder sb =
                new StringBuilder("Settings (--key value, env ENGAGEMENT_KEY, or --config-file file.properties):\n");
        SETTINGS.forEach(
                (key, meta) -> sb.append(String.format("  --%-32s %s (default: %s)%n", key, meta[1], meta[0])));
        sb.append(String.format(
                "  --%-32s %s%n",
                KafkaClientProperties.PREFIX + "<name>",
                "any Kafka client property (security.protocol, sasl.*, ssl.*, client.id, compression.type) for the source, "
                        + "sinks and tools; env " + KafkaClientProperties.ENV_PREFIX
                        + "<NAME>; secrets only from env or --config-file"));
        return sb.toString();
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> cli = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                errors.add("unexpected argument '" + arg + "' (settings are given as --key value)");
                continue;
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                errors.add("setting --" + key + " has no value");
                continue;
            }
            if (!isSetting(key) && !key.equals("config-file")) {
                errors.add("unknown setting --" + key);
                continue;
            }
            if (isSecret(key)) {
                // Program arguments are shown in the Flink web UI, the job graph and by ps.
                errors.add("--" + key
                        + " is a secret and cannot be a program argument (the Flink web UI and ps show those); "
                        + "set " + secretEnvName(key) + " or put it in --config-file");
                continue;
            }
            cli.put(key, value);
        }
        if (!errors.isEmpty()) {
            throw new ConfigException("Invalid job arguments:\n  " + String.join("\n  ", errors) + "\n" + usage());
        }
        return cli;
    }

    private static Map<String, String> readFile(Path path) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("config-file: cannot read " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (!isSetting(key)) {
                throw new ConfigException("config-file " + path + ": unknown setting '" + key + "'");
            }
            values.put(key, props.getProperty(key));
        }
        return values;
    }

    private static String checkStartingOffsets(String value) {
        if (List.of("committed", "earliest", "latest").contains(value)) {
            return null;
        }
        if (value.startsWith(STARTING_OFFSETS_TIMESTAMP)) {
            try {
                java.time.Instant.parse(value.substring(STARTING_OFFSETS_TIMESTAMP.length()));
                return null;
            } catch (java.time.format.DateTimeParseException e) {
                return "kafka.starting-offsets timestamp must be an ISO-8601 instant such as timestamp:2026-03-02T00:00:00Z (was '"
                        + value + "')";
            }
        }
        return "kafka.starting-offsets must be one of committed, earliest, latest, timestamp:<instant> (was '" + value
                + "')";
    }

    private static boolean isSetting(String key) {
        return SETTINGS.containsKey(key)
                || (key.startsWith(KafkaClientProperties.PREFIX)
                        && key.length() > KafkaClientProperties.PREFIX.length());
    }

    private static boolean isSecret(String key) {
        return key.equals("clickhouse.password")
                || key.equals("privacy.user-id-hmac-key")
                || (key.startsWith(KafkaClientProperties.PREFIX)
                        && KafkaClientProperties.isSecret(key.substring(KafkaClientProperties.PREFIX.length())));
    }

    private static String secretEnvName(String key) {
        return key.startsWith(KafkaClientProperties.PREFIX)
                ? KafkaClientProperties.envName(key.substring(KafkaClientProperties.PREFIX.length()))
                : envName(key);
    }

    private static void define(String key, String defaultValue, String description) {
        SETTINGS.put(key, new String[] {defaultValue, description});
    }

    /** Typed reads that collect errors instead of stopping at the first. */
    private static final class Parser {
        private final Map<String, String> values;
        private final List<String> errors = new ArrayList<>();

        Parser(Map<String, String> values) {
            this.values = values;
        }

        String nonEmpty(String key) {
            String v = values.get(key);
            if (v == null || v.isBlank()) {
                errors.add(key + " must not be empty");
                return null;
            }
            return v.trim();
        }

        /** A value checked by {@code check}, which returns an error message or null. */
        String checked(String key, java.util.function.Function<String, String> check) {
            String v = nonEmpty(key);
            String error = v == null ? null : check.apply(v);
            if (error != null) {
                errors.add(error);
            }
            return v;
        }

        String matching(String key, Pattern pattern, String expected) {
            String v = nonEmpty(key);
            if (v != null && !pattern.matcher(v).matches()) {
                errors.add(key + " must be " + expected + " (was '" + v + "')");
            }
            return v;
        }

        String prefixed(String key, String prefix) {
            String v = nonEmpty(key);
            if (v != null && !v.startsWith(prefix)) {
                errors.add(key + " must start with " + prefix + " (was '" + v + "')");
            }
            return v;
        }

        String oneOf(String key, String... allowed) {
            String v = nonEmpty(key);
            if (v != null && !List.of(allowed).contains(v)) {
                errors.add(key + " must be one of " + String.join(", ", allowed) + " (was '" + v + "')");
            }
            return v;
        }

        int positiveInt(String key) {
            int v = integer(key);
            if (v <= 0 && errorsFor(key)) {
                errors.add(key + " must be > 0 (was " + v + ")");
            }
            return v;
        }

        int intBetween(String key, int min, int max) {
            int v = integer(key);
            if ((v < min || v > max) && errorsFor(key)) {
                errors.add(key + " must be from " + min + " to " + max + " (was " + v + ")");
            }
            return v;
        }

        int nonNegativeInt(String key) {
            int v = integer(key);
            if (v < 0 && errorsFor(key)) {
                errors.add(key + " must be >= 0 (was " + v + ")");
            }
            return v;
        }

        private int integer(String key) {
            String v = nonEmpty(key);
            if (v == null) {
                return 0;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                errors.add(key + " must be a whole number (was '" + v + "')");
                return 0;
            }
        }

        double positiveDouble(String key) {
            String v = nonEmpty(key);
            if (v == null) {
                return 0;
            }
            try {
                double d = Double.parseDouble(v);
                if (!(d > 0) || Double.isInfinite(d)) {
                    errors.add(key + " must be a positive number (was '" + v + "')");
                }
                return d;
            } catch (NumberFormatException e) {
                errors.add(key + " must be a number (was '" + v + "')");
                return 0;
            }
        }

        Duration positiveDuration(String key) {
            Duration d = duration(key);
            if (d != null && (d.isZero() || d.isNegative())) {
                errors.add(key + " must be a positive duration (was '" + values.get(key) + "')");
            }
            return d;
        }

        Duration atMost(String key, Duration d, Duration max) {
            if (d != null && d.compareTo(max) > 0) {
                errors.add(key + " must be at most " + max.toDays() + " d (was '" + values.get(key) + "')");
            }
            return d;
        }

        Duration nonNegativeDuration(String key) {
            return duration(key);
        }

        private Duration duration(String key) {
            String v = nonEmpty(key);
            if (v == null) {
                return null;
            }
            try {
                return Durations.parse(v);
            } catch (IllegalArgumentException e) {
                errors.add(key + " must be a duration such as '30 s', '5 min', '6 h' or '7 d' (was '" + v + "')");
                return null;
            }
        }

        Set<Grain> grains(String key) {
            String v = nonEmpty(key);
            Set<Grain> grains = EnumSet.noneOf(Grain.class);
            if (v == null) {
                return grains;
            }
            for (String part : v.split(",")) {
                try {
                    grains.add(Grain.valueOf(part.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    errors.add(key + " has unknown grain '" + part.trim() + "' (minute, hour, day, week)");
                }
            }
            if (grains.isEmpty() && errorsFor(key)) {
                errors.add(key + " must name at least one grain (minute, hour, day, week)");
            }
            return grains;
        }

        /** A key that may be absent (null), else at least {@code minLength} characters; never trimmed. */
        String optionalMatching(String key, Pattern pattern, String expected) {
            String v = values.get(key);
            if (v == null || v.isEmpty()) {
                return null;
            }
            if (!pattern.matcher(v).matches()) {
                errors.add(key + " must be " + expected + " (was '" + v + "')");
            }
            return v;
        }

        /** The secret's value where the job is submitted (for checks there), or "" with an error naming it. */
        String resolved(SecretRef secret, Map<String, String> env) {
            try {
                return secret.resolve(env);
            } catch (ConfigException e) {
                errors.add(e.getMessage());
                return "";
            }
        }

        String optionalKey(String key, String v, int minLength) {
            if (v == null || v.isEmpty()) {
                return null;
            }
            if (v.length() < minLength) {
                errors.add(key + " must be at least " + minLength
                        + " characters (a random 256-bit key, e.g. openssl rand -hex 32)");
            }
            return v;
        }

        Map<String, String> kafkaProperties() {
            Map<String, String> props = KafkaClientProperties.select(values);
            props.forEach((property, value) -> {
                String problem = KafkaClientProperties.problem(property);
                if (problem != null) {
                    errors.add(problem);
                } else if (value == null || value.isBlank()) {
                    errors.add(KafkaClientProperties.PREFIX + property + " must not be empty");
                }
            });
            return java.util.Collections.unmodifiableMap(props);
        }

        /** True when the key has no parse error yet, so a range error is not reported twice. */
        private boolean errorsFor(String key) {
            return errors.stream().noneMatch(e -> e.startsWith(key + " "));
        }

        void throwIfInvalid() {
            if (!errors.isEmpty()) {
                throw new ConfigException("Invalid configuration:\n  " + String.join("\n  ", errors));
            }
        }
    }
}
