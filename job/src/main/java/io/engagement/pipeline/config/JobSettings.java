package io.engagement.pipeline.config;

import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.clickhouse.ClickHouseSettings;
import io.engagement.pipeline.event.ValidationSettings;
import io.engagement.pipeline.settings.KafkaSettings;
import io.engagement.pipeline.settings.Setting;
import io.engagement.pipeline.settings.SettingType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The job's settings, each declared once ({@link Setting}); {@link JobConfig} reads them. The settings
 * the job shares with the service and the tools (ClickHouse connection, Kafka brokers and topics,
 * validation limits) are declared where they belong and listed here in {@link #ALL}; docs/configuration.md
 * is written from this list ({@code ConfigurationDocsTest}).
 */
public final class JobSettings {

    /** {@code kafka.starting-offsets} of the form {@code timestamp:<ISO-8601 instant>}. */
    public static final String STARTING_OFFSETS_TIMESTAMP = "timestamp:";

    private static final SettingType<Set<Grain>> GRAINS_TYPE = new SettingType<>("", text -> {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must name at least one grain (minute, hour, day, week)");
        }
        Set<Grain> grains = EnumSet.noneOf(Grain.class);
        List<String> unknown = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                grains.add(Grain.valueOf(part.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                unknown.add(part.trim());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "has unknown grain '" + String.join("', '", unknown) + "' (minute, hour, day, week)");
        }
        if (grains.isEmpty()) {
            throw new IllegalArgumentException("must name at least one grain (minute, hour, day, week)");
        }
        return grains;
    });

    /** Kept as given (never trimmed): empty is off, else at least 32 characters. */
    private static final SettingType<String> HMAC_KEY_TYPE = new SettingType<>("", text -> {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.length() < 32) {
            throw new IllegalArgumentException(
                    "must be at least 32 characters (a random 256-bit key, e.g. openssl rand -hex 32)");
        }
        return text;
    });

    public static final Setting<String> JOB_NAME = Setting.of(
                    "job.name", "engagement-analytics", SettingType.text(), "Flink job name")
            .accepting("non-empty");

    public static final Setting<String> KAFKA_DLQ_TOPIC = Setting.of(
                    "kafka.dlq-topic",
                    "engagement-dlq",
                    KafkaSettings.topic(),
                    "dead-letter topic for rejected messages")
            .accepting("topic name");

    public static final Setting<String> KAFKA_FEEDBACK_TOPIC = Setting.of(
                    "kafka.feedback-topic",
                    "engagement-feedback",
                    KafkaSettings.topic(),
                    "topic the recommender reads score updates from")
            .accepting("topic name");

    public static final Setting<String> KAFKA_GROUP_ID = Setting.of(
                    "kafka.group-id", "engagement-pipeline", SettingType.text(), "consumer group of the Kafka source")
            .accepting("non-empty");

    public static final Setting<String> KAFKA_STARTING_OFFSETS = Setting.of(
                    "kafka.starting-offsets",
                    "committed",
                    SettingType.text("", JobSettings::startingOffsetsProblem),
                    "where a job without checkpoint/savepoint starts reading: the group's committed offsets (falling back to earliest), `earliest`, `latest`, or the first offset at or after a Kafka record timestamp (replays, [operations.md](operations.md#replay-and-backfill))")
            .accepting("`committed`, `earliest`, `latest`, `timestamp:<ISO-8601 instant>`");

    public static final Setting<String> KAFKA_STOPPING_OFFSETS = Setting.of(
                    "kafka.stopping-offsets",
                    "none",
                    SettingType.oneOf("none", "latest"),
                    "`none`: run forever. `latest`: a bounded run (backfill, benchmark) that stops at the offsets that were the newest when the job started; at the end the watermark jumps to the end of time, every open window fires and the job finishes")
            .accepting("`none`, `latest`");

    public static final Setting<String> KAFKA_DELIVERY_GUARANTEE = Setting.of(
                    "kafka.delivery-guarantee",
                    "exactly-once",
                    SettingType.oneOf("exactly-once", "at-least-once"),
                    "delivery of the DLQ and feedback topics: Kafka transactions committed on checkpoint, or plain at-least-once ([topics.md](topics.md))")
            .accepting("`exactly-once`, `at-least-once`");

    public static final Setting<String> KAFKA_TRANSACTIONAL_ID_PREFIX = Setting.of(
                    "kafka.transactional-id-prefix",
                    "engagement-pipeline",
                    SettingType.text(),
                    "prefix of the Kafka transactional ids (the sinks append `-dlq` / `-feedback`); unique per job")
            .accepting("non-empty");

    public static final Setting<Duration> KAFKA_TRANSACTION_TIMEOUT = Setting.of(
                    "kafka.transaction-timeout",
                    "10 min",
                    SettingType.positiveDuration(),
                    "Kafka producer `transaction.timeout.ms`")
            .accepting(
                    "positive duration; must exceed the checkpoint interval (checked at start-up) and not exceed the broker's `transaction.max.timeout.ms` (not checked)");

    public static final Setting<Integer> CLICKHOUSE_BATCH_SIZE = Setting.of(
                    "clickhouse.batch-size",
                    "100000",
                    SettingType.integer(1, Integer.MAX_VALUE),
                    "most rows per ClickHouse insert")
            .accepting("integer > 0");

    public static final Setting<Integer> CLICKHOUSE_BATCH_MB = Setting.of(
                    "clickhouse.batch-mb",
                    "16",
                    SettingType.integer(1, 1024),
                    "most megabytes of encoded rows per ClickHouse insert")
            .accepting("integer 1-1024");

    public static final Setting<Duration> CLICKHOUSE_FLUSH_INTERVAL = Setting.of(
                    "clickhouse.flush-interval",
                    "5 s",
                    SettingType.positiveDuration(),
                    "longest time a row waits in the batch (window rows go sooner while the job is live: docs/clickhouse.md)")
            .accepting("positive duration");

    public static final Setting<Integer> CLICKHOUSE_MAX_RETRIES = Setting.of(
                    "clickhouse.max-retries",
                    "5",
                    SettingType.integer(0, Integer.MAX_VALUE),
                    "retries of a failed insert logged as warnings; after them the writer keeps holding and retrying (back-off up to 30 s), logs each failure as an error and sets the table's `heldInserts` gauge; it never fails the job ([clickhouse.md](clickhouse.md#when-an-insert-fails))")
            .accepting("integer >= 0");

    public static final Setting<Duration> WATERMARK_OUT_OF_ORDERNESS = Setting.of(
                    "watermark.out-of-orderness",
                    "30 s",
                    SettingType.duration(),
                    "how far event times may go backwards before events count as late; a window fires this long after the highest event time passes its end")
            .accepting("duration >= 0");

    public static final Setting<Duration> WATERMARK_IDLENESS = Setting.of(
                    "watermark.idleness",
                    "1 min",
                    SettingType.positiveDuration(),
                    "a Kafka partition without valid events for this long is marked idle and stops holding back the watermark")
            .accepting("positive duration");

    public static final Setting<Duration> WINDOW_ALLOWED_LATENESS = Setting.of(
                    "window.allowed-lateness",
                    "5 min",
                    SettingType.duration(),
                    "late events within this bound update their windows (new `version`); later ones go to `late_events`")
            .accepting("duration >= 0");

    public static final Setting<String> LATENESS_START_HORIZON = Setting.of(
                    "lateness.start-horizon",
                    "auto",
                    SettingType.text("", JobSettings::startHorizonProblem),
                    "only for a job started without checkpoint or savepoint: events older than the horizon go to `late_events`, so they cannot reopen windows an earlier run finished ([guarantees.md](guarantees.md#starting-without-state)); `auto` reads the end of the newest window in `content_metrics` at submission (fails fast if ClickHouse does not answer)")
            .accepting("`auto`, `none`, or an ISO-8601 instant (`2026-03-02T10:00:00Z`)");

    public static final Setting<Set<Grain>> WINDOW_GRAINS = Setting.of(
                    "window.grains",
                    "minute,hour,day,week",
                    GRAINS_TYPE,
                    "tumbling window sizes to compute (creator and country rows only for `hour`, `day`, `week`)")
            .accepting("comma-separated subset of `minute`, `hour`, `day`, `week` (case-insensitive)");

    public static final Setting<Integer> WINDOW_PRE_AGGREGATION_MAX_ENTRIES = Setting.of(
                    "window.pre-aggregation.max-entries",
                    "20000",
                    SettingType.integer(0, Integer.MAX_VALUE),
                    "partials (key and window) a subtask folds on the heap before the shuffle to each window stage; flushed before the watermark that closes their window, before every checkpoint barrier and when full; the larger grains' (fed by the finest grain's firings) also right after the next watermark when they hold a live firing ([guarantees.md](guarantees.md#pre-aggregation)); `0` sends every record alone (the record-by-record data flow, for A/B measurements)")
            .accepting("integer >= 0");

    public static final Setting<Duration> WINDOW_PROVISIONAL_INTERVAL = Setting.of(
                    "window.provisional-interval",
                    "30 s",
                    SettingType.duration(),
                    "how often (processing time) an open window that received events publishes its running value as a provisional row, replaced by the final row when the window closes, each content or creator at its own phase within the interval (so not all at one instant); the hour, day and week of a cascade publish on each firing of the minute, so every open window shows within about this interval plus a checkpoint ([metrics.md](metrics.md#provisional-rows), the cost in [benchmarks.md](benchmarks.md#fresh-within-a-minute-issue-24-2026-12-06)); only for input no older than `watermark.out-of-orderness` plus this interval (live traffic; a replay or backlog fires none); `0` publishes rows only when windows close")
            .accepting("duration >= 0");

    public static final Setting<Duration> SESSION_GAP = Setting.of(
                    "session.gap",
                    "30 min",
                    SettingType.positiveDuration(),
                    "a viewing session ends after this much event-time inactivity")
            .accepting("positive duration");

    public static final Setting<Duration> SESSION_MAX_DURATION = Setting.of(
                    "session.max-duration",
                    "4 h",
                    SettingType.atMostDays(SettingType.positiveDuration(), 7),
                    "a session ends when it has lasted this long (last event - first event), even without a gap; the next event starts a new session. Keeps a session id reused forever from holding a window open forever")
            .accepting("positive duration, at most 7 d");

    public static final Setting<Integer> SESSION_BUNDLE_MAX_EVENTS = Setting.of(
                    "session.bundle.max-events",
                    "10000",
                    SettingType.integer(1, Integer.MAX_VALUE),
                    "events a subtask of the session stage keeps on the heap before applying them, each session's events between one state read and one write; applied before every watermark and checkpoint barrier, at the end of input and when full")
            .accepting("integer >= 1");

    public static final Setting<Boolean> VIEWS_VALIDATION = Setting.of(
                    "views.validation",
                    "off",
                    SettingType.onOff(),
                    "`on`: view starts and play ends pass the session, device and user gates; content and creator rows count validated views, completions and watch time beside the raw ones and compute their rates and scores, velocity and trending over them, flagged actors go to `suspect_actors` ([metrics.md](metrics.md#validated-views-bot-traffic-does-not-count)). Off by default until the gates' cost is brought down ([benchmarks.md](benchmarks.md)); off, the validated columns stay 0")
            .accepting("`on` or `off`");

    public static final Setting<Integer> VIEWS_MAX_STARTS_PER_MINUTE = Setting.of(
                    "views.max-starts-per-minute",
                    "40",
                    SettingType.integer(1, Integer.MAX_VALUE),
                    "view starts one session, device or user may make in an event-time minute; above it the actor is flagged for the minute and none of its views, completions or watch time of the minute are validated")
            .accepting("integer >= 1");

    public static final Setting<Duration> VIEWS_REPEAT_SPAN = Setting.of(
                    "views.repeat-span",
                    "30 s",
                    SettingType.duration(),
                    "a viewer's view starts of one content closer together than this count once as validated views")
            .accepting("duration >= 0");

    public static final Setting<Duration> VIEWS_PLAYBACK_SLACK = Setting.of(
                    "views.playback-slack",
                    "5 s",
                    SettingType.duration(),
                    "how much a play's reported watch time may exceed the time since its view start before the play counts as impossible")
            .accepting("duration >= 0");

    public static final Setting<Double> TRENDING_MIN_VIEWS_PER_HOUR = Setting.of(
                    "trending.min-views-per-hour",
                    "100",
                    SettingType.positiveNumber(),
                    "views per hour over the last 24 h from which rising content is flagged `trending` (seed 002)")
            .accepting("positive number");

    public static final Setting<Boolean> ALERTS = Setting.of(
                    "alerts",
                    "on",
                    SettingType.onOff(),
                    "`on`: creator alerts are evaluated in the stream on every content minute and creator day as it closes ([metrics.md](metrics.md#creator-alerts)) and written to `kafka.alerts-topic` and `creator_alerts`")
            .accepting("`on` or `off`");

    public static final Setting<Double> ALERTS_SPIKE_FACTOR = Setting.of(
                    "alerts.spike-factor",
                    "4",
                    SettingType.factor(),
                    "a content's closed minute with at least this many times its typical minute's views (and `alerts.min-spike-views`) raises a `spike`")
            .accepting("number above 1");

    public static final Setting<Integer> ALERTS_MIN_SPIKE_VIEWS = Setting.of(
                    "alerts.min-spike-views",
                    "50",
                    SettingType.integer(1, Integer.MAX_VALUE),
                    "a spike needs at least this many views in its minute, so a content with one view a minute does not alert at four")
            .accepting("integer >= 1");

    public static final Setting<Double> ALERTS_DROP_FACTOR = Setting.of(
                    "alerts.drop-factor",
                    "4",
                    SettingType.factor(),
                    "a content's last 10 minutes with at most 1/this of their typical views raise a `drop` (also when no view comes at all)")
            .accepting("number above 1");

    public static final Setting<Double> ALERTS_MIN_TYPICAL_VIEWS_PER_MINUTE = Setting.of(
                    "alerts.min-typical-views-per-minute",
                    "5",
                    SettingType.positiveNumber(),
                    "drops are watched only on contents whose typical minute has at least this many views")
            .accepting("positive number");

    public static final Setting<Double> ALERTS_CREATOR_DAY_FACTOR = Setting.of(
                    "alerts.creator-day-factor",
                    "3",
                    SettingType.factor(),
                    "a creator's closed day with at least this many times (`day_high`) or at most 1/this (`day_low`) of its typical day's views")
            .accepting("number above 1");

    public static final Setting<Integer> ALERTS_MIN_CREATOR_DAY_VIEWS = Setting.of(
                    "alerts.min-creator-day-views",
                    "100",
                    SettingType.integer(1, Integer.MAX_VALUE),
                    "creator day alerts only where the day (`day_high`) or the typical day (`day_low`) has at least this many views")
            .accepting("integer >= 1");

    public static final Setting<String> KAFKA_USER_SIGNALS_TOPIC = Setting.of(
                    "kafka.user-signals-topic",
                    "engagement-user-signals",
                    KafkaSettings.topic(),
                    "compacted topic of per-user signals, keyed by user id: each user's profile (decayed affinities, recent negative items) within seconds of its events, a tombstone on erasure ([topics.md](topics.md#user-signals))")
            .accepting("topic name");

    public static final Setting<String> KAFKA_ERASURES_TOPIC = Setting.of(
                    "kafka.erasures-topic",
                    "engagement-erasures",
                    SettingType.optional(
                            "empty, or a Kafka topic name",
                            v -> v.matches("[a-zA-Z0-9._-]{1,249}")
                                    ? null
                                    : "must be a Kafka topic name, or empty for none (was '" + v + "')"),
                    "topic of erasure requests (`deploy/erase-user.sh --kafka ...` writes them): the job drops the user's signal state and writes a tombstone to `kafka.user-signals-topic`. Empty = none: a user's state then only expires (`user-signals.state-ttl`)")
            .accepting("empty, or a Kafka topic name");

    public static final Setting<Boolean> USER_SIGNALS = Setting.of(
                    "user-signals",
                    "on",
                    SettingType.onOff(),
                    "`on`: per-user signals for the recommender, updated within seconds of each event ([metrics.md](metrics.md#per-user-signals)), on `kafka.user-signals-topic`")
            .accepting("`on` or `off`");

    public static final Setting<Duration> USER_SIGNALS_HALF_LIFE = Setting.of(
                    "user-signals.half-life",
                    "7 d",
                    SettingType.positiveDuration(),
                    "event time after which a signal's weight in a user's affinities has halved")
            .accepting("positive duration");

    public static final Setting<Duration> USER_SIGNALS_STATE_TTL = Setting.of(
                    "user-signals.state-ttl",
                    "30 d",
                    SettingType.positiveDuration(),
                    "a user's signal state is dropped after this long (processing time) without a signal (Flink state TTL); the topic keeps the last profile")
            .accepting("positive duration");

    public static final Setting<Integer> USER_SIGNALS_MAX_ENTRIES = Setting.of(
                    "user-signals.max-entries",
                    "50",
                    SettingType.integer(1, 10_000),
                    "affinities kept per user and dimension (creators, categories, hashtags); a new one replaces the weakest")
            .accepting("integer 1..10000");

    public static final Setting<Integer> USER_SIGNALS_RECENT_NEGATIVES = Setting.of(
                    "user-signals.recent-negatives",
                    "20",
                    SettingType.integer(0, 1_000),
                    "negative items (quick skips, not interested, hides, reports, unfollows) kept per user, newest first")
            .accepting("integer 0..1000");

    public static final Setting<Duration> USER_SIGNALS_QUICK_SKIP = Setting.of(
                    "user-signals.quick-skip",
                    "3 s",
                    SettingType.duration(),
                    "a play left with less watch time than this is a quick skip: a negative signal, not a watch")
            .accepting("duration >= 0");

    public static final Setting<Duration> USER_SIGNALS_EMIT_INTERVAL = Setting.of(
                    "user-signals.emit-interval",
                    "1 s",
                    SettingType.positiveDuration(),
                    "how long a user's signals may wait on the heap before they are applied and the user's update written (one update per changed user per interval); also applied before every checkpoint")
            .accepting("positive duration");

    public static final Setting<Integer> USER_SIGNALS_BUNDLE_MAX = Setting.of(
                    "user-signals.bundle.max-signals",
                    "10000",
                    SettingType.integer(1, Integer.MAX_VALUE),
                    "signals a subtask keeps on the heap before applying them (each user's between one state read and one write)")
            .accepting("integer >= 1");

    public static final Setting<Duration> DEDUP_HORIZON = Setting.of(
                    "dedup.horizon",
                    "6 h",
                    SettingType.positiveDuration(),
                    "an event id seen again within this time (processing time) is a duplicate")
            .accepting("positive duration");

    public static final Setting<String> PRIVACY_USER_ID_HMAC_KEY = Setting.of(
                    "privacy.user-id-hmac-key",
                    "",
                    HMAC_KEY_TYPE,
                    "pseudonymisation: every `user_id` is replaced, as it is validated and before anything is written, by the first 128 bits of HMAC-SHA256(key, id) in hex (`event/UserIdPseudonymizer`). Unique viewers, sessions and watch history work unchanged (one id, one pseudonym); the `\"user_id\"` values inside dead-letter payloads are replaced the same way, and a payload that is not text is withheld. Changing the key starts new pseudonyms: uniques and sessions across the change count a user twice.")
            .accepting("empty, or at least 32 characters")
            .secret();

    /** Every setting of the job, in the order of docs/configuration.md and {@code --help}. */
    public static final List<Setting<?>> ALL = all();

    private JobSettings() {}

    private static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(List.of(
                JOB_NAME,
                KafkaSettings.BOOTSTRAP_SERVERS,
                KafkaSettings.INPUT_TOPIC,
                KafkaSettings.CATALOG_TOPIC,
                KAFKA_DLQ_TOPIC,
                KAFKA_FEEDBACK_TOPIC,
                KafkaSettings.ALERTS_TOPIC,
                KAFKA_USER_SIGNALS_TOPIC,
                KAFKA_ERASURES_TOPIC,
                KAFKA_GROUP_ID,
                KAFKA_STARTING_OFFSETS,
                KAFKA_STOPPING_OFFSETS,
                KAFKA_DELIVERY_GUARANTEE,
                KAFKA_TRANSACTIONAL_ID_PREFIX,
                KAFKA_TRANSACTION_TIMEOUT));
        all.addAll(ClickHouseSettings.CONNECTION);
        all.addAll(List.of(
                CLICKHOUSE_BATCH_SIZE,
                CLICKHOUSE_BATCH_MB,
                CLICKHOUSE_FLUSH_INTERVAL,
                CLICKHOUSE_MAX_RETRIES,
                WATERMARK_OUT_OF_ORDERNESS,
                WATERMARK_IDLENESS,
                WINDOW_ALLOWED_LATENESS,
                LATENESS_START_HORIZON,
                WINDOW_GRAINS,
                WINDOW_PRE_AGGREGATION_MAX_ENTRIES,
                WINDOW_PROVISIONAL_INTERVAL,
                SESSION_GAP,
                SESSION_MAX_DURATION,
                SESSION_BUNDLE_MAX_EVENTS,
                VIEWS_VALIDATION,
                VIEWS_MAX_STARTS_PER_MINUTE,
                VIEWS_REPEAT_SPAN,
                VIEWS_PLAYBACK_SLACK,
                TRENDING_MIN_VIEWS_PER_HOUR,
                ALERTS,
                ALERTS_SPIKE_FACTOR,
                ALERTS_MIN_SPIKE_VIEWS,
                ALERTS_DROP_FACTOR,
                ALERTS_MIN_TYPICAL_VIEWS_PER_MINUTE,
                ALERTS_CREATOR_DAY_FACTOR,
                ALERTS_MIN_CREATOR_DAY_VIEWS,
                USER_SIGNALS,
                USER_SIGNALS_HALF_LIFE,
                USER_SIGNALS_STATE_TTL,
                USER_SIGNALS_MAX_ENTRIES,
                USER_SIGNALS_RECENT_NEGATIVES,
                USER_SIGNALS_QUICK_SKIP,
                USER_SIGNALS_EMIT_INTERVAL,
                USER_SIGNALS_BUNDLE_MAX,
                DEDUP_HORIZON,
                PRIVACY_USER_ID_HMAC_KEY));
        all.addAll(ValidationSettings.ALL);
        return List.copyOf(all);
    }

    static String startingOffsetsProblem(String value) {
        if (List.of("committed", "earliest", "latest").contains(value)) {
            return null;
        }
        if (value.startsWith(STARTING_OFFSETS_TIMESTAMP)) {
            try {
                Instant.parse(value.substring(STARTING_OFFSETS_TIMESTAMP.length()));
                return null;
            } catch (java.time.format.DateTimeParseException e) {
                return "timestamp must be an ISO-8601 instant such as timestamp:2026-03-02T00:00:00Z (was '" + value
                        + "')";
            }
        }
        return "must be one of committed, earliest, latest, timestamp:<instant> (was '" + value + "')";
    }

    static String startHorizonProblem(String value) {
        if (value.equals("auto") || value.equals("none")) {
            return null;
        }
        try {
            Instant.parse(value);
            return null;
        } catch (RuntimeException e) {
            return "must be auto, none or an ISO-8601 instant such as 2026-03-02T10:00:00Z (was '" + value + "')";
        }
    }
}
