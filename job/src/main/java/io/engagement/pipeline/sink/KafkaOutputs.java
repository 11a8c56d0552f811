package io.engagement.pipeline.sink;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.DeadLetterJson;
import io.engagement.pipeline.feedback.FeedbackMessages;
import io.engagement.pipeline.settings.KafkaClientProperties;
import io.engagement.pipeline.velocity.ContentVelocity;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka sinks: dead letters and feedback. With exactly-once delivery each writes in Kafka
 * transactions committed on checkpoint, so a read_committed consumer never sees a record twice or a
 * record from a rolled-back attempt.
 */
public final class KafkaOutputs {

    private KafkaOutputs() {}

    public static KafkaSink<DeadLetter> deadLetters(JobConfig config) {
        return sink(
                config,
                new JsonRecordSerializer<DeadLetter>(config.dlqTopic, d -> null, DeadLetterJson::toJson),
                "-dlq");
    }

    public static KafkaSink<ContentMetrics> feedback(JobConfig config) {
        return sink(
                config,
                new JsonRecordSerializer<ContentMetrics>(
                        config.feedbackTopic, FeedbackMessages::key, FeedbackMessages::value),
                "-feedback");
    }

    public static KafkaSink<ContentVelocity> velocityFeedback(JobConfig config) {
        return sink(
                config,
                new JsonRecordSerializer<ContentVelocity>(
                        config.feedbackTopic, FeedbackMessages::key, FeedbackMessages::value),
                "-velocity");
    }

    /** Creator alerts, keyed by creator (the service delivers them to webhooks). */
    public static KafkaSink<io.engagement.pipeline.alerts.CreatorAlert> alerts(JobConfig config) {
        return sink(
                config,
                new JsonRecordSerializer<io.engagement.pipeline.alerts.CreatorAlert>(
                        config.alertsTopic,
                        io.engagement.pipeline.alerts.AlertMessages::key,
                        io.engagement.pipeline.alerts.AlertMessages::value),
                "-alerts");
    }

    /** Per-user signals, keyed by user id on a compacted topic; an erased user's tombstone has no value. */
    public static KafkaSink<io.engagement.pipeline.signals.UserSignalUpdate> userSignals(JobConfig config) {
        return sink(
                config,
                new JsonRecordSerializer<io.engagement.pipeline.signals.UserSignalUpdate>(
                        config.userSignalsTopic,
                        io.engagement.pipeline.signals.UserSignalMessages::key,
                        io.engagement.pipeline.signals.UserSignalMessages::value),
                "-user-signals");
    }

    private static <T> KafkaSink<T> sink(
            JobConfig config, KafkaRecordSerializationSchema<T> serializer, String idSuffix) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(KafkaClientProperties.toProperties(config.kafkaJobProperties))
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(config.deliveryGuarantee)
                .setTransactionalIdPrefix(config.transactionalIdPrefix + idSuffix)
                .setProperty("transaction.timeout.ms", Long.toString(config.transactionTimeout.toMillis()))
                .setProperty("enable.idempotence", "true")
                .setProperty("acks", "all")
                .build();
    }

    /**
     * A topic and how to turn a record into its key and value. A named class rather than a lambda
     * schema: Flink cannot extract the type of a lambda serializer at sinkTo().
     */
    static final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
        /** Bytes of a record; serializable so Flink can ship it with the sink. */
        interface Encoder<T> extends java.io.Serializable {
            byte[] encode(T record);
        }

        private final String topic;
        private final Encoder<T> key;
        private final Encoder<T> value;

        JsonRecordSerializer(String topic, Encoder<T> key, Encoder<T> value) {
            this.topic = topic;
            this.key = key;
            this.value = value;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, key.encode(record), value.encode(record));
        }
    }
}
