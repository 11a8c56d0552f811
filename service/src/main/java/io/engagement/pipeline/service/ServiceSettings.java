package io.engagement.pipeline.service;

import io.engagement.pipeline.clickhouse.ClickHouseSettings;
import io.engagement.pipeline.event.ValidationSettings;
import io.engagement.pipeline.settings.KafkaSettings;
import io.engagement.pipeline.settings.Setting;
import io.engagement.pipeline.settings.SettingType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP service's settings, each declared once ({@link Setting}); {@link ServiceConfig} reads them.
 * The ClickHouse connection, the Kafka brokers and topics and the validation limits are the job's
 * settings (same keys, same meaning), listed here in {@link #ALL}.
 */
public final class ServiceSettings {

    public static final Setting<String> HOST = Setting.of(
            "service.host", "127.0.0.1", SettingType.text(), "address to listen on (0.0.0.0 in a container)");

    public static final Setting<Integer> PORT = Setting.of(
            "service.port", "8090", SettingType.integer(0, 65535), "HTTP port (0: any free port, printed at start)");

    public static final Setting<String> API_KEYS = Setting.of(
                    "service.api-keys",
                    "",
                    SettingType.anyText(),
                    "API keys, `name:key:role[:creator_id]` separated by commas; role `tracking`, `creator`, `admin`,"
                            + " `catalog` or `metrics` ([keys and roles](api.md#keys-and-roles))")
            .accepting("keys of at least 16 characters; a creator key names its creator id")
            .secret();

    public static final Setting<Integer> MAX_PENDING_EVENTS = Setting.of(
            "service.max-pending-events",
            "10000",
            SettingType.integer(100, 10_000_000),
            "events accepted but not yet acknowledged by Kafka; beyond it requests get 503 with `Retry-After`");

    public static final Setting<Duration> KAFKA_LINGER = Setting.of(
            "service.kafka-linger",
            "5 ms",
            SettingType.duration()
                    .checked(
                            "duration from 0 ms to 1 s",
                            d -> d.toMillis() > 1000 ? "must be a duration from 0 ms to 1 s (was " + d + ")" : null),
            "how long the producer gathers events into one Kafka request (`linger.ms`): throughput against"
                    + " single-event latency ([benchmarks.md](benchmarks.md))");

    public static final Setting<Duration> PRODUCE_TIMEOUT = Setting.of(
            "service.produce-timeout",
            "10 s",
            SettingType.positiveDuration(),
            "how long a tracking request waits for Kafka's acknowledgement before answering 503");

    public static final Setting<String> TLS_KEYSTORE = Setting.of(
            "service.tls.keystore",
            "",
            SettingType.optional("empty, or a PKCS12 file (opened with the password at start-up)", file -> null),
            "PKCS12 keystore with the service's key and certificate chain: when set the service answers HTTPS only"
                    + " (TLS 1.2 and 1.3), on `service.port` ([transport](api.md#transport-security)); empty: plain"
                    + " HTTP (behind a TLS-terminating proxy)");

    public static final Setting<String> TLS_KEYSTORE_PASSWORD = Setting.of(
                    "service.tls.keystore-password", "", SettingType.anyText(), "password of `service.tls.keystore`")
            .secret();

    public static final Setting<String> USER_TOKEN_KEY = Setting.of(
                    "service.user-token-key",
                    "",
                    SettingType.optional(
                            "empty, or at least 32 bytes",
                            key -> key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32
                                    // RFC 7518 3.2: an HS256 key has at least as many bits as the hash
                                    ? "must be at least 32 bytes (256 bits) for HS256"
                                    : null),
                    "HS256 key of the platform's signed user tokens (JWT in the `X-User-Token` header); when set, an"
                            + " event's `user_id` must be its token's user, and events without a token are taken only"
                            + " anonymous ([verified users](api.md#verified-users-serviceuser-token-key))")
            .secret();

    public static final Setting<Integer> EVENTS_PER_MINUTE = Setting.of(
            "service.rate-limit.events-per-minute",
            "100",
            SettingType.integer(1, 1_000_000),
            "single-event tracking requests per client per minute (seed 002)");

    public static final Setting<Integer> BATCHES_PER_MINUTE = Setting.of(
            "service.rate-limit.batches-per-minute",
            "10",
            SettingType.integer(1, 1_000_000),
            "batch tracking requests per client per minute (seed 002)");

    public static final Setting<Integer> ANALYTICS_PER_MINUTE = Setting.of(
            "service.rate-limit.analytics-per-minute",
            "60",
            SettingType.integer(1, 1_000_000),
            "analytics requests per API key per minute (seed 002)");

    public static final Setting<Integer> ANALYTICS_MAX_CONCURRENT = Setting.of(
            "service.analytics.max-concurrent",
            "16",
            SettingType.integer(1, 10_000),
            "analytics requests answered at once (each holds a request thread while ClickHouse works); more wait"
                    + " in line (`service.analytics.max-waiting`, `service.analytics.max-wait`) or are answered 503 with"
                    + " `Retry-After: 1`, so a flood of reads never takes the threads tracking needs");

    public static final Setting<Integer> ANALYTICS_MAX_WAITING = Setting.of(
            "service.analytics.max-waiting",
            "64",
            SettingType.integer(0, 10_000),
            "analytics requests that may wait, first come first served, for one of the"
                    + " `service.analytics.max-concurrent` slots (each holds a request thread while it waits); one more"
                    + " is answered 503 at once");

    public static final Setting<Duration> ANALYTICS_MAX_WAIT = Setting.of(
            "service.analytics.max-wait",
            "3 s",
            SettingType.duration(),
            "how long an analytics request waits for a slot before it is answered 503 with `Retry-After: 1`"
                    + " (0: never waits)");

    public static final Setting<Duration> ANALYTICS_CACHE_TTL = Setting.of(
            "service.analytics.cache-ttl",
            "5 s",
            SettingType.atMostDays(SettingType.duration(), 1),
            "how long an analytics answer (of at most 1 000 rows) is served again to the same query with the same"
                    + " values, without asking ClickHouse (0: never); figures are at most this much older than"
                    + " ClickHouse's ([api.md](api.md#analytics))");

    public static final Setting<Integer> ANALYTICS_MAX_RESULT_ROWS = Setting.of(
            "service.analytics.max-result-rows",
            "10000",
            SettingType.integer(1, 10_000_000),
            "the most rows ClickHouse may answer one analytics query with; a larger answer is refused with 400"
                    + " ([bounds](api.md#analytics))");

    public static final Setting<Integer> TRACKING_KEY_PER_MINUTE = Setting.of(
            "service.rate-limit.tracking-key-per-minute",
            "600000",
            SettingType.integer(1, 100_000_000),
            "tracking requests (single and batch) per tracking key per minute, from all addresses together");

    public static final Setting<Integer> AUTH_FAILURES_PER_MINUTE = Setting.of(
            "service.rate-limit.auth-failures-per-minute",
            "20",
            SettingType.integer(1, 1_000_000),
            "requests without a valid API key per client address per minute");

    public static final Setting<Integer> RATE_LIMIT_CLIENTS = Setting.of(
            "service.rate-limit.max-clients",
            "100000",
            SettingType.integer(100, 10_000_000),
            "rate-limit buckets kept per limit (clients idle for a minute are dropped first); bounds the limiter's"
                    + " memory");

    public static final Setting<String> TRUSTED_PROXIES = Setting.of(
                    "service.trusted-proxies",
                    "",
                    SettingType.anyText(),
                    "addresses of the proxies in front of the service, separated by commas: only from them is"
                            + " `X-Forwarded-For` believed for the client address")
            .accepting("empty, or addresses separated by commas");

    public static final Setting<String> ALERT_WEBHOOKS_FILE = Setting.of(
                    "service.alert-webhooks-file",
                    "",
                    SettingType.anyText(),
                    "creators' alert webhooks: a JSON file `{\"<creator id>\": {\"url\": \"https://...\", \"secret\": \"<at least 16 characters>\"}}`"
                            + " read at start; empty: alerts are not delivered ([api.md](api.md#alert-webhooks))")
            .accepting("empty, or a readable file of that shape");

    public static final Setting<Integer> ALERT_DELIVERY_ATTEMPTS = Setting.of(
            "service.alert-delivery-attempts",
            "6",
            SettingType.integer(1, 20),
            "attempts to deliver one alert to its webhook before giving up (network errors, 5xx, 408 and 429 are"
                    + " retried)");

    public static final Setting<Duration> ALERT_DELIVERY_BACKOFF = Setting.of(
            "service.alert-delivery-backoff",
            "1 s",
            SettingType.positiveDuration(),
            "wait before the second attempt; each further wait doubles (1, 2, 4, 8, 16 s at the defaults)");

    public static final Setting<String> ALERT_DELIVERY_GROUP = Setting.of(
            "service.alert-delivery-group",
            "engagement-alert-delivery",
            SettingType.text(),
            "consumer group the service reads `kafka.alerts-topic` with (one delivering service per group)");

    /** Every setting of the service, in the order of docs/configuration.md and {@code --help}. */
    public static final List<Setting<?>> ALL = all();

    /** The service's keys before it shared the job's names: refused, naming the current key. */
    static final Map<String, String> RENAMED = Map.of(
            "service.kafka-bootstrap-servers", KafkaSettings.BOOTSTRAP_SERVERS.key(),
            "service.input-topic", KafkaSettings.INPUT_TOPIC.key(),
            "service.catalog-topic", KafkaSettings.CATALOG_TOPIC.key(),
            "service.clickhouse-url", ClickHouseSettings.URL.key(),
            "service.clickhouse-ca-file", ClickHouseSettings.CA_FILE.key(),
            "service.clickhouse-database", ClickHouseSettings.DATABASE.key(),
            "service.clickhouse-user", ClickHouseSettings.USER.key(),
            "service.clickhouse-password", ClickHouseSettings.PASSWORD.key());

    private ServiceSettings() {}

    private static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(List.of(HOST, PORT, API_KEYS));
        all.addAll(List.of(KafkaSettings.BOOTSTRAP_SERVERS, KafkaSettings.INPUT_TOPIC, KafkaSettings.CATALOG_TOPIC));
        all.addAll(List.of(MAX_PENDING_EVENTS, KAFKA_LINGER, PRODUCE_TIMEOUT));
        all.addAll(ClickHouseSettings.CONNECTION);
        all.addAll(List.of(TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, USER_TOKEN_KEY));
        all.addAll(List.of(
                EVENTS_PER_MINUTE,
                BATCHES_PER_MINUTE,
                ANALYTICS_PER_MINUTE,
                ANALYTICS_MAX_CONCURRENT,
                ANALYTICS_MAX_WAITING,
                ANALYTICS_MAX_WAIT,
                ANALYTICS_CACHE_TTL,
                ANALYTICS_MAX_RESULT_ROWS,
                TRACKING_KEY_PER_MINUTE,
                AUTH_FAILURES_PER_MINUTE,
                RATE_LIMIT_CLIENTS,
                TRUSTED_PROXIES));
        all.addAll(List.of(
                KafkaSettings.ALERTS_TOPIC,
                ALERT_WEBHOOKS_FILE,
                ALERT_DELIVERY_ATTEMPTS,
                ALERT_DELIVERY_BACKOFF,
                ALERT_DELIVERY_GROUP));
        all.addAll(ValidationSettings.ALL);
        return List.copyOf(all);
    }
}
