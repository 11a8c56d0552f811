package io.engagement.pipeline.source;

import io.engagement.pipeline.catalog.CatalogDeserializer;
import io.engagement.pipeline.catalog.CatalogRecord;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.settings.KafkaClientProperties;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
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
                .setProperties(KafkaClientProperties.toProperties(config.kafkaJobProperties))
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

    /**
     * The content catalogue topic, read from its beginning by every start without state (a compacted
     * topic holds every content's newest entry), then followed. Bounded like the input in bounded runs.
     */
    public static KafkaSource<CatalogRecord> catalogSource(JobConfig config) {
        KafkaSourceBuilder<CatalogRecord> builder = KafkaSource.<CatalogRecord>builder()
                .setProperties(KafkaClientProperties.toProperties(config.kafkaJobProperties))
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.catalogTopic)
                .setGroupId(config.groupId + "-catalog")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new CatalogDeserializer(config.validationRules))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000");
        if (config.stopAtLatestOffsets) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * The erasures topic (deploy/erase-user.sh writes it), read by the job's group from its committed
     * offsets (earliest on a first start: a request written while the job was down still counts), then
     * followed. Bounded like the input in bounded runs.
     */
    public static KafkaSource<io.engagement.pipeline.signals.ErasureRecord> erasureSource(JobConfig config) {
        KafkaSourceBuilder<io.engagement.pipeline.signals.ErasureRecord> builder =
                KafkaSource.<io.engagement.pipeline.signals.ErasureRecord>builder()
                        .setProperties(KafkaClientProperties.toProperties(config.kafkaJobProperties))
                        .setBootstrapServers(config.bootstrapServers)
                        .setTopics(config.erasuresTopic)
                        .setGroupId(config.groupId + "-erasures")
                        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new io.engagement.pipeline.signals.ErasureDeserializer())
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .setProperty("isolation.level", "read_committed")
                        .setProperty("partition.discovery.interval.ms", "60000");
        if (config.stopAtLatestOffsets) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * A side input (the catalogue, the erasure requests) never holds event time back: its records are
     * not events in time, and a quiet side input must not stop the windows (a join's watermark is the
     * smaller of its two inputs'). So it is marked idle, and a join's watermark is the events' alone.
     * Not a watermark of {@code Long.MAX_VALUE}: while the events' partitions are idle (a pause in the
     * traffic longer than {@code watermark.idleness}) a join takes the watermark of its active inputs
     * only, which would then be MAX, and every open window behind it would close for good
     * ({@code IdleInputWithCatalogueITCase}).
     */
    public static <T> WatermarkStrategy<T> sideInputWatermarks() {
        return WatermarkStrategy.<T>forGenerator(context -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(T entry, long timestamp, WatermarkOutput output) {
                output.markIdle();
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }

    @SuppressWarnings("deprecation") // OffsetsInitializer still takes the kafka-clients 3.x enum
    static OffsetsInitializer startingOffsets(String mode) {
        if (mode.startsWith(JobConfig.STARTING_OFFSETS_TIMESTAMP)) {
            return OffsetsInitializer.timestamp(
                    java.time.Instant.parse(mode.substring(JobConfig.STARTING_OFFSETS_TIMESTAMP.length()))
                            .toEpochMilli());
        }
        return switch (mode) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }
}
