package io.engagement.pipeline.config;

import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.clickhouse.ClickHouseSettings;
import io.engagement.pipeline.event.ValidationRules;
import io.engagement.pipeline.event.ValidationSettings;
import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.settings.KafkaClientProperties;
import io.engagement.pipeline.settings.KafkaSettings;
import io.engagement.pipeline.settings.SecretRef;
import io.engagement.pipeline.settings.Setting;
import io.engagement.pipeline.settings.SettingSources;
import io.engagement.pipeline.settings.SettingValues;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The job's one typed configuration, read from the settings {@link JobSettings} declares through the
 * engine the service and the tools use too ({@link SettingSources}: defaults, a properties file,
 * environment variables, program arguments). Validated once; every problem is reported together,
 * each naming its setting. Flink runtime settings
 * (checkpointing, state backend) are not here: they live in flink-conf/config.yaml.
 */
public final class JobConfig implements Serializable {

    private static final SettingSources SOURCES =
            SettingSources.of(JobSettings.ALL).withKafkaProperties().withConfigFile();

    public final String jobName;
    public final String bootstrapServers;
    public final String inputTopic;
    /** {@code kafka.catalog-topic}; null when the job runs without a content catalogue. */
    public final String catalogTopic;

    public final String dlqTopic;
    public final String feedbackTopic;
    public final String alertsTopic;
    /** When creator alerts are raised; null with {@code alerts: off}. */
    public final io.engagement.pipeline.alerts.AlertRules alertRules;

    public final String userSignalsTopic;
    /** {@code kafka.erasures-topic}; null when none. */
    public final String erasuresTopic;
    /** How per-user signals are kept; null with {@code user-signals: off}. */
    public final io.engagement.pipeline.signals.UserSignalRules userSignalRules;

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
    /** {@code auto}, {@code none} or an ISO-8601 instant; resolved at start-up by the job's {@code StartHorizon}. */
    public final String startHorizon;

    public final Set<Grain> grains;
    /** {@code window.pre-aggregation.max-entries}: 0 = every record crosses the shuffle alone. */
    public final int preAggregationEntries;
    /** {@code window.provisional-interval}: zero = rows only when windows close. */
    public final Duration provisionalInterval;

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
    public static final String STARTING_OFFSETS_TIMESTAMP = JobSettings.STARTING_OFFSETS_TIMESTAMP;
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

    private JobConfig(SettingValues v) {
        Map<String, String> env = v.environment();
        Map<String, SecretRef> secrets = secretReferences(v);
        jobName = v.get(JobSettings.JOB_NAME);
        bootstrapServers = v.get(KafkaSettings.BOOTSTRAP_SERVERS);
        inputTopic = v.get(KafkaSettings.INPUT_TOPIC);
        dlqTopic = v.get(JobSettings.KAFKA_DLQ_TOPIC);
        catalogTopic = v.get(KafkaSettings.CATALOG_TOPIC);
        feedbackTopic = v.get(JobSettings.KAFKA_FEEDBACK_TOPIC);
        alertsTopic = v.get(KafkaSettings.ALERTS_TOPIC);
        userSignalsTopic = v.get(JobSettings.KAFKA_USER_SIGNALS_TOPIC);
        erasuresTopic = v.get(JobSettings.KAFKA_ERASURES_TOPIC);
        groupId = v.get(JobSettings.KAFKA_GROUP_ID);
        startingOffsets = v.get(JobSettings.KAFKA_STARTING_OFFSETS);
        stopAtLatestOffsets = "latest".equals(v.get(JobSettings.KAFKA_STOPPING_OFFSETS));
        deliveryGuarantee = "at-least-once".equals(v.get(JobSettings.KAFKA_DELIVERY_GUARANTEE))
                ? DeliveryGuarantee.AT_LEAST_ONCE
                : DeliveryGuarantee.EXACTLY_ONCE;
        transactionalIdPrefix = v.get(JobSettings.KAFKA_TRANSACTIONAL_ID_PREFIX);
        transactionTimeout = v.get(JobSettings.KAFKA_TRANSACTION_TIMEOUT);
        clickhouseUrl = v.get(ClickHouseSettings.URL);
        clickhouseCaFile = v.get(ClickHouseSettings.CA_FILE);
        clickhouseDatabase = v.get(ClickHouseSettings.DATABASE);
        clickhouseUser = v.get(ClickHouseSettings.USER);
        clickhousePasswordSecret = secrets.getOrDefault(
                ClickHouseSettings.PASSWORD.key(), SecretRef.none(ClickHouseSettings.PASSWORD.key()));
        clickhousePassword = resolved(clickhousePasswordSecret, env, v);
        clickhouseBatchSize = orZero(v.get(JobSettings.CLICKHOUSE_BATCH_SIZE));
        clickhouseBatchMb = orZero(v.get(JobSettings.CLICKHOUSE_BATCH_MB));
        clickhouseFlushInterval = v.get(JobSettings.CLICKHOUSE_FLUSH_INTERVAL);
        clickhouseMaxRetries = orZero(v.get(JobSettings.CLICKHOUSE_MAX_RETRIES));
        outOfOrderness = v.get(JobSettings.WATERMARK_OUT_OF_ORDERNESS);
        idleness = v.get(JobSettings.WATERMARK_IDLENESS);
        allowedLateness = v.get(JobSettings.WINDOW_ALLOWED_LATENESS);
        startHorizon = v.get(JobSettings.LATENESS_START_HORIZON);
        Set<Grain> grainSet = v.get(JobSettings.WINDOW_GRAINS);
        grains = grainSet == null ? Set.of() : grainSet;
        preAggregationEntries = orZero(v.get(JobSettings.WINDOW_PRE_AGGREGATION_MAX_ENTRIES));
        Duration provisional = v.get(JobSettings.WINDOW_PROVISIONAL_INTERVAL);
        provisionalInterval = provisional == null ? Duration.ZERO : provisional;
        dedupHorizon = v.get(JobSettings.DEDUP_HORIZON);
        Double trending = v.get(JobSettings.TRENDING_MIN_VIEWS_PER_HOUR);
        trendingMinViewsPerHour = trending == null ? 0 : trending;
        sessionGap = v.get(JobSettings.SESSION_GAP);
        sessionMaxDuration = v.get(JobSettings.SESSION_MAX_DURATION);
        sessionBundleEvents = orZero(v.get(JobSettings.SESSION_BUNDLE_MAX_EVENTS));
        boolean validateViews = Boolean.TRUE.equals(v.get(JobSettings.VIEWS_VALIDATION));
        Integer maxStarts = v.get(JobSettings.VIEWS_MAX_STARTS_PER_MINUTE);
        Duration repeatSpan = v.get(JobSettings.VIEWS_REPEAT_SPAN);
        Duration playbackSlack = v.get(JobSettings.VIEWS_PLAYBACK_SLACK);
        viewRules = validateViews && maxStarts != null && repeatSpan != null && playbackSlack != null
                ? new io.engagement.pipeline.views.ViewRules(maxStarts, repeatSpan.toMillis(), playbackSlack.toMillis())
                : null;
        validationRules = ValidationSettings.rules(v);
        alertRules = alertRules(v);
        userSignalRules = userSignalRules(v, maxStarts);

        kafkaProperties = KafkaClientProperties.of(v);
        kafkaJobProperties = kafkaJobProperties(kafkaProperties, secrets);
        SecretRef hmacKey = secrets.getOrDefault(
                JobSettings.PRIVACY_USER_ID_HMAC_KEY.key(), SecretRef.none(JobSettings.PRIVACY_USER_ID_HMAC_KEY.key()));
        // Resolved here only to check it; the pseudonymizer reads it again where it runs.
        String resolvedKey = resolved(hmacKey, env, v);
        userIdHmacKey = resolvedKey.isEmpty() || checked(JobSettings.PRIVACY_USER_ID_HMAC_KEY, resolvedKey, v) == null
                ? null
                : hmacKey;
        v.throwIfInvalid("Invalid configuration");
    }

    private static io.engagement.pipeline.alerts.AlertRules alertRules(SettingValues v) {
        Double spike = v.get(JobSettings.ALERTS_SPIKE_FACTOR);
        Integer minSpike = v.get(JobSettings.ALERTS_MIN_SPIKE_VIEWS);
        Double drop = v.get(JobSettings.ALERTS_DROP_FACTOR);
        Double minTypical = v.get(JobSettings.ALERTS_MIN_TYPICAL_VIEWS_PER_MINUTE);
        Double day = v.get(JobSettings.ALERTS_CREATOR_DAY_FACTOR);
        Integer minDay = v.get(JobSettings.ALERTS_MIN_CREATOR_DAY_VIEWS);
        if (!Boolean.TRUE.equals(v.get(JobSettings.ALERTS))
                || spike == null
                || minSpike == null
                || drop == null
                || minTypical == null
                || day == null
                || minDay == null) {
            return null; // off, or a bad value already reported by name
        }
        return new io.engagement.pipeline.alerts.AlertRules(spike, minSpike, drop, minTypical, day, minDay);
    }

    private static io.engagement.pipeline.signals.UserSignalRules userSignalRules(SettingValues v, Integer maxStarts) {
        Duration halfLife = v.get(JobSettings.USER_SIGNALS_HALF_LIFE);
        Duration ttl = v.get(JobSettings.USER_SIGNALS_STATE_TTL);
        Integer entries = v.get(JobSettings.USER_SIGNALS_MAX_ENTRIES);
        Integer negatives = v.get(JobSettings.USER_SIGNALS_RECENT_NEGATIVES);
        Duration quickSkip = v.get(JobSettings.USER_SIGNALS_QUICK_SKIP);
        Duration interval = v.get(JobSettings.USER_SIGNALS_EMIT_INTERVAL);
        Integer bundle = v.get(JobSettings.USER_SIGNALS_BUNDLE_MAX);
        if (!Boolean.TRUE.equals(v.get(JobSettings.USER_SIGNALS))
                || halfLife == null
                || ttl == null
                || entries == null
                || negatives == null
                || quickSkip == null
                || interval == null
                || bundle == null
                || maxStarts == null) {
            return null; // off, or a bad value already reported by name
        }
        return new io.engagement.pipeline.signals.UserSignalRules(
                halfLife.toMillis(),
                ttl.toMillis(),
                entries,
                negatives,
                quickSkip.toMillis(),
                maxStarts,
                interval.toMillis(),
                bundle);
    }

    /** Defaults only: the local stack. */
    public static JobConfig defaults() {
        return fromSources(new String[0], Map.of());
    }

    /** Builds and validates the configuration; throws {@link ConfigException} naming every bad setting. */
    public static JobConfig fromSources(String[] args, Map<String, String> env) {
        SettingValues values = SOURCES.read(args, env);
        if (values.argumentProblems()) {
            throw new ConfigException(
                    "Invalid job arguments:\n  " + String.join("\n  ", values.problems()) + "\n" + usage());
        }
        return new JobConfig(values);
    }

    /** {@code --help}: every setting with its meaning, default and environment variable. */
    public static String usage() {
        return SOURCES.usage();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** A secret's resolved value checked by its setting's type; null (with a problem recorded) when refused. */
    private static <T> T checked(Setting<T> setting, String value, SettingValues v) {
        try {
            return setting.parse(value);
        } catch (IllegalArgumentException e) {
            v.problem(setting.key() + " " + e.getMessage());
            return null;
        }
    }

    /** The secret's value where the job is submitted (for checks there), or "" with a problem naming it. */
    private static String resolved(SecretRef secret, Map<String, String> env, SettingValues v) {
        try {
            return secret.resolve(env);
        } catch (ConfigException e) {
            v.problem(e.getMessage());
            return "";
        }
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
    private static Map<String, SecretRef> secretReferences(SettingValues v) {
        Map<String, String> env = v.environment();
        Map<String, SecretRef> refs = new LinkedHashMap<>();
        v.texts().forEach((key, value) -> {
            if (!SOURCES.isSecret(key) || value == null || value.isEmpty()) {
                return;
            }
            String variable = SettingSources.secretEnvName(key);
            boolean fromEnv = value.equals(env.get(variable));
            if (key.startsWith(KafkaClientProperties.PREFIX)) {
                if (value.contains("${")) {
                    return; // a Kafka config provider placeholder: Kafka resolves it on the TaskManager
                }
                if (fromEnv) {
                    refs.put(key, SecretRef.env(key, variable));
                } else {
                    v.problem(key
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
                v.problem(key + " in --config-file must be a reference, ${env:NAME} or ${file:/path}, or set "
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
        return Setting.envName(key);
    }
}
