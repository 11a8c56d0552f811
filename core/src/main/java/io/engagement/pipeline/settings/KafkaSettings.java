package io.engagement.pipeline.settings;

import java.util.regex.Pattern;

/** The Kafka settings the job and the service share: one name and one meaning in both. */
public final class KafkaSettings {

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final String TOPIC_WORDS = "a Kafka topic name";
    private static final String TOPIC_ACCEPTED = "Kafka topic name: 1-249 of `a-z A-Z 0-9 . _ -`";

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.of(
            "kafka.bootstrap-servers",
            "127.0.0.1:9092",
            SettingType.matching(Pattern.compile("[^,:\\s]+:\\d{1,5}(,[^,:\\s]+:\\d{1,5})*"), "host:port[,host:port]"),
            "Kafka brokers");

    public static final Setting<String> INPUT_TOPIC = Setting.of(
                    "kafka.input-topic",
                    "engagement-events",
                    topic(),
                    "topic of the client events: the job reads it, the" + " service's tracking routes write it")
            .accepting(TOPIC_ACCEPTED);

    public static final Setting<String> ALERTS_TOPIC = Setting.of(
                    "kafka.alerts-topic",
                    "engagement-alerts",
                    topic(),
                    "topic of creator alerts (spikes, drops, days far off typical), keyed by creator: the job writes"
                            + " it, the service delivers it to creators' webhooks")
            .accepting(TOPIC_ACCEPTED);

    public static final Setting<String> CATALOG_TOPIC = Setting.of(
                    "kafka.catalog-topic",
                    "",
                    SettingType.optional(
                            "empty, or a Kafka topic name",
                            v -> TOPIC.matcher(v).matches()
                                    ? null
                                    : "must be a Kafka topic name, or empty for no catalogue (was '" + v + "')"),
                    "compacted topic of the content catalogue, the source of ownership"
                            + " ([metrics.md](metrics.md#ownership-the-content-catalogue)); the service's"
                            + " `PUT`/`DELETE /v1/catalog/{contentId}` write it. Empty = no catalogue: each content window"
                            + " takes the `creator_id` of its first event, and the catalogue routes answer 503")
            .accepting("empty, or a Kafka topic name");

    private KafkaSettings() {}

    /** A Kafka topic name. */
    public static SettingType<String> topic() {
        return SettingType.matching(TOPIC, TOPIC_WORDS);
    }
}
