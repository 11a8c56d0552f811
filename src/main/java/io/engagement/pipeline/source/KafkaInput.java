package io.engagement.pipeline.source;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.config.KafkaClientProperties;
import io.engagement.pipeline.event.ValidatedRecord;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The production source: the input topic, read by the job's consumer group, validated as it is read. */
public final class KafkaInput {

    private KafkaInput() {}

    public static KafkaSource<ValidatedRecord> source(JobConfig config) {
        KafkaSourceBuilder<ValidatedRecord> builder = builder(config);
        if (config.stopAtLatestOffsets) {
            // End of input: the watermark jumps to the end of time, so every open window fires before the job finishes.
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** The configured builder, for callers that bound the source (tests, backfills). */
    public static KafkaSourceBuilder<ValidatedRecord> builder(JobConfig config) {
        return KafkaSource.<ValidatedRecord>builder()
                // First, so that the job's own settings below cannot be overridden (JobConfig refuses them too).
                .setProperties(KafkaClientProperties.toProperties(config.kafkaProperties))
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.inputTopic)
                .setGroupId(config.groupId)
                .setStartingOffsets(startingOffsets(config.startingOffsets))
                .setDeserializer(new ValidatingDeserializer(config.validationRules, config.userIdPseudonymizer()))
                // Offsets are committed on checkpoint for monitoring (consumer lag); Flink restores
                // from its own checkpointed offsets, not from these.
                .setProperty("commit.offsets.on.checkpoint", "true")
                // Only read what producers committed, for producers that write transactionally.
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000");
    }

    @SuppressWarnings("deprecation") // OffsetsInitializer still takes the kafka-clients 3.x enum
    static OffsetsInitializer startingOffsets(String mode) {
        if (mode.startsWith(JobConfig.STARTING_OFFSETS_TIMESTAMP)) {
            return OffsetsInitializer.timestamp(
                    java.time.Instant.parse(mode.substring(JobConfig.STARTING_OFFSETS_TIMESTAMP.length())).toEpochMilli());
        }
        return switch (mode) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }
}
