package io.engagement.pipeline.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Kafka client properties given to the job and the tools as {@code kafka.properties.<client property>}
 * (Flink SQL's {@code properties.*} convention): security ({@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}), {@code client.id}, compression, fetch sizes. They go to the source, both sinks, the
 * start-up check and the tools alike.
 *
 * <p>In the environment a property is {@code ENGAGEMENT_KAFKA_PROPERTIES_} + its name upper-cased with
 * dots as underscores ({@code ENGAGEMENT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG}), as Kafka's own container
 * images do. Secrets (Kafka's PASSWORD-typed properties, {@code sasl.jaas.config}) are refused as
 * program arguments: those are shown in the Flink web UI and by {@code ps}.
 */
public final class KafkaClientProperties {

    public static final String PREFIX = "kafka.properties.";
    public static final String ENV_PREFIX = "ENGAGEMENT_KAFKA_PROPERTIES_";

    /** Properties the job sets itself, from one of its settings or because its guarantees depend on them. */
    static final Map<String, String> SET_BY_THE_JOB = Map.ofEntries(
            Map.entry("bootstrap.servers", "set kafka.bootstrap-servers instead"),
            Map.entry("group.id", "set kafka.group-id instead"),
            Map.entry("transactional.id", "set kafka.transactional-id-prefix instead"),
            Map.entry("transaction.timeout.ms", "set kafka.transaction-timeout instead"),
            Map.entry("isolation.level", "the job reads read_committed so that aborted transactions never count"),
            Map.entry("enable.idempotence", "the sinks need idempotent producers for exactly-once delivery"),
            Map.entry("acks", "the sinks need acks=all so that an acknowledged record survives a broker loss"),
            Map.entry("key.serializer", "the job chooses its serializers"),
            Map.entry("value.serializer", "the job chooses its serializers"),
            Map.entry("key.deserializer", "the job chooses its deserializers"),
            Map.entry("value.deserializer", "the job chooses its deserializers"),
            Map.entry("enable.auto.commit", "offsets are Flink's, committed on checkpoint"));

    /** The Flink Kafka source's own options, also passed as properties. */
    private static final Set<String> FLINK_SOURCE_OPTIONS = Set.of(
            "client.id.prefix",
            "partition.discovery.interval.ms",
            "register.consumer.metrics",
            "commit.offsets.on.checkpoint");

    private static final List<ConfigDef> CLIENT_DEFS =
            List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef());

    private KafkaClientProperties() {}

    /** The property name of an environment variable, or null when it is not a Kafka property variable. */
    static String fromEnvName(String envName) {
        if (!envName.startsWith(ENV_PREFIX) || envName.length() == ENV_PREFIX.length()) {
            return null;
        }
        return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public static String envName(String property) {
        return ENV_PREFIX + property.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** True for values that must not be logged or passed as program arguments. */
    public static boolean isSecret(String property) {
        if (property.equals("sasl.jaas.config") || property.contains("password")) {
            return true;
        }
        for (ConfigDef def : CLIENT_DEFS) {
            ConfigDef.ConfigKey key = def.configKeys().get(property);
            if (key != null && key.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return false;
    }

    /** Why a property may not be given, or null when it may. */
    public static String problem(String property) {
        String setByJob = SET_BY_THE_JOB.get(property);
        if (setByJob != null) {
            return PREFIX + property + " cannot be set: " + setByJob;
        }
        boolean known = FLINK_SOURCE_OPTIONS.contains(property)
                // Kafka's config providers (config.providers=file, config.providers.file.class=...) let a
                // property read its value from a mounted file: ${file:/etc/kafka/secret.properties:password}.
                || property.equals("config.providers")
                || property.startsWith("config.providers.")
                || CLIENT_DEFS.stream().anyMatch(def -> def.names().contains(property));
        return known ? null : PREFIX + property + " is not a Kafka producer, consumer or admin client property";
    }

    /** The properties of {@code values} (keys with the {@link #PREFIX}), without the prefix, sorted. */
    public static Map<String, String> select(Map<String, String> values) {
        Map<String, String> props = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                props.put(key.substring(PREFIX.length()), value);
            }
        });
        return props;
    }

    /** The {@code kafka.properties.*} settings found in the environment. */
    public static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            String property = fromEnvName(name);
            if (property != null) {
                values.put(PREFIX + property, value);
            }
        });
        return values;
    }

    /**
     * The {@code kafka.properties.*} of {@code values}, without the prefix, sorted; a property the job may
     * not take, or one without a value, is recorded there as a problem naming it.
     */
    public static Map<String, String> of(SettingValues values) {
        Map<String, String> props = select(values.texts());
        props.forEach((property, value) -> {
            String problem = problem(property);
            if (problem != null) {
                values.problem(problem);
            } else if (value == null || value.isBlank()) {
                values.problem(PREFIX + property + " must not be empty");
            }
        });
        return java.util.Collections.unmodifiableMap(props);
    }

    /**
     * For the tools: the properties in their options ({@code kafka.properties.<name>} keys, without the
     * leading dashes) and in the environment, checked as the job checks them.
     */
    public static Map<String, String> forTool(Map<String, String> options, Map<String, String> env) {
        String[] args = options.entrySet().stream()
                .filter(option -> option.getKey().startsWith(PREFIX))
                .flatMap(option -> java.util.stream.Stream.of("--" + option.getKey(), option.getValue()))
                .toArray(String[]::new);
        SettingValues values =
                SettingSources.of(List.of()).withKafkaProperties().read(args, env);
        Map<String, String> props = of(values);
        values.throwIfInvalid("invalid Kafka client properties");
        return props;
    }

    public static Properties toProperties(Map<String, String> props) {
        Properties p = new Properties();
        p.putAll(props);
        return p;
    }

    /** For logs: every property, secrets shown as {@code [hidden]}. */
    public static String describe(Map<String, String> props) {
        Map<String, String> shown = new TreeMap<>();
        props.forEach((k, v) -> shown.put(k, isSecret(k) ? "[hidden]" : v));
        return shown.toString();
    }
}
