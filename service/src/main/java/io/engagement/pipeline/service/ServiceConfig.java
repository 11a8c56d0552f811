package io.engagement.pipeline.service;

import io.engagement.pipeline.clickhouse.ClickHouseSettings;
import io.engagement.pipeline.event.ValidationSettings;
import io.engagement.pipeline.settings.KafkaClientProperties;
import io.engagement.pipeline.settings.KafkaSettings;
import io.engagement.pipeline.settings.SettingSources;
import io.engagement.pipeline.settings.SettingValues;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP service's one typed configuration, read from the settings {@link ServiceSettings} declares
 * through the engine the job and the tools use ({@link SettingSources}: defaults, the service's settings
 * in the job's {@code ENGAGEMENT_CONFIG_FILE}, environment variables, arguments); validated once, every problem reported together, each naming
 * its setting. The ClickHouse connection, Kafka and validation settings are the job's.
 */
public final class ServiceConfig {

    private static final SettingSources SOURCES = SettingSources.of(ServiceSettings.ALL)
            .withKafkaProperties()
            .withSharedConfigFile()
            .renamingKeys(ServiceSettings.RENAMED);

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
    /** {@code kafka.catalog-topic}; null when the service does not write the catalogue. */
    public final String catalogTopic;

    public final int maxPendingEvents;
    public final Duration produceTimeout;
    public final Duration kafkaLinger;
    public final String clickhouseUrl;
    /** {@code clickhouse.ca-file}; null: the JVM's trust store. */
    public final String clickhouseCaFile;
    /** {@code service.tls.keystore}; null: plain HTTP. */
    public final String tlsKeystore;

    public final String tlsKeystorePassword;
    public final String clickhouseDatabase;
    public final String clickhouseUser;
    /** {@code service.analytics.max-concurrent}. */
    public final int analyticsMaxConcurrent;
    /** {@code service.analytics.max-waiting}. */
    public final int analyticsMaxWaiting;
    /** {@code service.analytics.max-wait}. */
    public final java.time.Duration analyticsMaxWait;
    /** {@code service.analytics.cache-ttl}. */
    public final java.time.Duration analyticsCacheTtl;

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
    public final String alertsTopic;
    /** The creators' webhooks; null when alerts are not delivered ({@code service.alert-webhooks-file} empty). */
    final AlertWebhooks alertWebhooks;

    public final int alertDeliveryAttempts;
    public final Duration alertDeliveryBackoff;
    public final String alertDeliveryGroup;

    public static ServiceConfig from(String[] args, Map<String, String> env) {
        SettingValues v = SOURCES.read(args, env);
        ServiceConfig config = new ServiceConfig(v);
        v.throwIfInvalid("invalid service configuration");
        return config;
    }

    /** {@code --help}. */
    public static String usage() {
        return SOURCES.usage();
    }

    private ServiceConfig(SettingValues v) {
        kafkaProperties = KafkaClientProperties.of(v);
        validationRules = ValidationSettings.rules(v);
        host = v.get(ServiceSettings.HOST);
        port = orZero(v.get(ServiceSettings.PORT));
        ApiKeys keys = null;
        try {
            keys = ApiKeys.parse(v.get(ServiceSettings.API_KEYS));
        } catch (IllegalArgumentException e) {
            v.problem(ServiceSettings.API_KEYS.key() + ": " + e.getMessage());
        }
        apiKeys = keys;
        kafkaBootstrapServers = v.get(KafkaSettings.BOOTSTRAP_SERVERS);
        catalogTopic = v.get(KafkaSettings.CATALOG_TOPIC);
        inputTopic = v.get(KafkaSettings.INPUT_TOPIC);
        maxPendingEvents = orZero(v.get(ServiceSettings.MAX_PENDING_EVENTS));
        produceTimeout = v.get(ServiceSettings.PRODUCE_TIMEOUT);
        kafkaLinger = v.get(ServiceSettings.KAFKA_LINGER);
        clickhouseUrl = v.get(ClickHouseSettings.URL);
        clickhouseCaFile = v.get(ClickHouseSettings.CA_FILE);
        tlsKeystore = v.get(ServiceSettings.TLS_KEYSTORE);
        tlsKeystorePassword = v.get(ServiceSettings.TLS_KEYSTORE_PASSWORD);
        if (tlsKeystore != null) {
            String problem = ServiceTls.problem(tlsKeystore, tlsKeystorePassword);
            if (problem != null) {
                v.problem(ServiceSettings.TLS_KEYSTORE.key() + ": " + problem);
            }
        }
        clickhouseDatabase = v.get(ClickHouseSettings.DATABASE);
        clickhouseUser = v.get(ClickHouseSettings.USER);
        clickhousePassword = v.get(ClickHouseSettings.PASSWORD);
        userTokenKey = v.get(ServiceSettings.USER_TOKEN_KEY);
        eventsPerMinute = orZero(v.get(ServiceSettings.EVENTS_PER_MINUTE));
        batchesPerMinute = orZero(v.get(ServiceSettings.BATCHES_PER_MINUTE));
        analyticsPerMinute = orZero(v.get(ServiceSettings.ANALYTICS_PER_MINUTE));
        analyticsMaxConcurrent = orZero(v.get(ServiceSettings.ANALYTICS_MAX_CONCURRENT));
        analyticsMaxWaiting = orZero(v.get(ServiceSettings.ANALYTICS_MAX_WAITING));
        analyticsMaxWait = v.get(ServiceSettings.ANALYTICS_MAX_WAIT);
        analyticsCacheTtl = v.get(ServiceSettings.ANALYTICS_CACHE_TTL);
        analyticsMaxResultRows = orZero(v.get(ServiceSettings.ANALYTICS_MAX_RESULT_ROWS));
        trackingKeyRequestsPerMinute = orZero(v.get(ServiceSettings.TRACKING_KEY_PER_MINUTE));
        authFailuresPerMinute = orZero(v.get(ServiceSettings.AUTH_FAILURES_PER_MINUTE));
        rateLimitClients = orZero(v.get(ServiceSettings.RATE_LIMIT_CLIENTS));
        java.util.Set<String> proxies = new java.util.LinkedHashSet<>();
        for (String proxy : v.get(ServiceSettings.TRUSTED_PROXIES).split(",")) {
            if (!proxy.isBlank()) {
                proxies.add(proxy.strip());
            }
        }
        trustedProxies = java.util.Set.copyOf(proxies);
        alertsTopic = v.get(KafkaSettings.ALERTS_TOPIC);
        alertDeliveryAttempts = orZero(v.get(ServiceSettings.ALERT_DELIVERY_ATTEMPTS));
        alertDeliveryBackoff = v.get(ServiceSettings.ALERT_DELIVERY_BACKOFF);
        alertDeliveryGroup = v.get(ServiceSettings.ALERT_DELIVERY_GROUP);
        String webhooksFile = v.get(ServiceSettings.ALERT_WEBHOOKS_FILE);
        AlertWebhooks hooks = null;
        if (webhooksFile != null && !webhooksFile.isBlank()) {
            try {
                hooks = AlertWebhooks.read(java.nio.file.Path.of(webhooksFile.strip()));
            } catch (IllegalArgumentException e) {
                v.problem(ServiceSettings.ALERT_WEBHOOKS_FILE.key() + ": " + e.getMessage());
            }
        }
        alertWebhooks = hooks;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
