package io.engagement.pipeline.sink;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.DeadLetterJson;
import io.engagement.pipeline.feedback.FeedbackMessages;
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
        return sink(config, new DeadLetterSerializer(config.dlqTopic), "-dlq");
    }

    public static KafkaSink<ContentMetrics> feedback(JobConfig config) {
        return sink(config, new FeedbackSerializer(config.feedbackTopic), "-feedback");
    }

    public static KafkaSink<ContentVelocity> velocityFeedback(JobConfig config) {
        return sink(config, new VelocitySerializer(config.feedbackTopic), "-velocity");
    }

    private static <T> KafkaSink<T> sink(JobConfig config, KafkaRecordSerializationSchema<T> serializer, String idSuffix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(config.deliveryGuarantee)
                .setTransactionalIdPrefix(config.transactionalIdPrefix + idSuffix)
                .setProperty("transaction.timeout.ms", Long.toString(config.transactionTimeout.toMillis()))
                .setProperty("enable.idempotence", "true")
                .setProperty("acks", "all")
                .build();
    }

    /** Named classes, not lambdas: Flink cannot extract types from a lambda serializer at sinkTo(). */
    static final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
        private final String topic;

        DeadLetterSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, DeadLetterJson.toJson(d));
        }
    }

    static final class VelocitySerializer implements KafkaRecordSerializationSchema<ContentVelocity> {
        private final String topic;

        VelocitySerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(ContentVelocity v, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, FeedbackMessages.key(v), FeedbackMessages.value(v));
        }
    }

    static final class FeedbackSerializer implements KafkaRecordSerializationSchema<ContentMetrics> {
        private final String topic;

        FeedbackSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(ContentMetrics m, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, FeedbackMessages.key(m), FeedbackMessages.value(m));
        }
    }
}
