package io.engagement.pipeline;

import io.engagement.pipeline.catalog.CatalogRecord;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.config.KafkaPreflight;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.settings.KafkaClientProperties;
import io.engagement.pipeline.sink.ClickHouseOutputs;
import io.engagement.pipeline.sink.ProductionSinks;
import io.engagement.pipeline.source.KafkaInput;
import io.engagement.pipeline.topology.EngagementPipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point submitted to the Flink cluster: reads the job configuration, wires the Kafka source and
 * the production sinks into {@link EngagementPipeline}, and runs it. Runtime settings (state backend,
 * checkpointing, restart strategy) come from the cluster's config.yaml (flink-conf/config.yaml).
 */
public final class EngagementJob {

    /** Long enough for a broker behind a load balancer, short enough that a wrong address fails the submission. */
    private static final Duration KAFKA_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private EngagementJob() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(JobConfig.usage());
            return;
        }
        JobConfig config;
        long startHorizonMs;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        try {
            config = JobConfig.fromSources(args, System.getenv());
            checkRuntimeSettings(env.getCheckpointConfig(), config);
            KafkaPreflight.check(config, KAFKA_CHECK_TIMEOUT);
            checkClickHouseTables(config);
            startHorizonMs = StartHorizon.resolve(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (!config.kafkaProperties.isEmpty()) {
            System.out.println("Kafka client properties: " + KafkaClientProperties.describe(config.kafkaProperties));
        }
        if (startHorizonMs != StartHorizon.NONE) {
            System.out.println(
                    "lateness.start-horizon: if this job starts without a checkpoint or savepoint, events before "
                            + Instant.ofEpochMilli(startHorizonMs) + " go to late_events");
        }
        build(env, config, startHorizonMs);
        env.execute(config.jobName);
    }

    /** The ClickHouse tables' columns against what the writers encode, before the job is submitted. */
    private static void checkClickHouseTables(JobConfig config) {
        try {
            ClickHouseOutputs.checkColumns(config);
        } catch (java.io.IOException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Adds the production topology to {@code env}; also used by the integration tests. */
    public static void build(StreamExecutionEnvironment env, JobConfig config, long startHorizonMs) {
        EngagementPipeline.configure(env);
        DataStream<ValidatedRecord> input = env.fromSource(
                        KafkaInput.source(config), EngagementPipeline.watermarks(config), "Kafka: " + config.inputTopic)
                .uid("kafka-source");
        new EngagementPipeline(config, ProductionSinks.create(config), startHorizonMs)
                .build(input, catalogue(env, config), erasures(env, config));
    }

    /** The content catalogue topic as read, or {@code null} when the job runs without one. */
    public static DataStream<CatalogRecord> catalogue(StreamExecutionEnvironment env, JobConfig config) {
        return config.catalogTopic == null
                ? null
                : env.fromSource(
                                KafkaInput.catalogSource(config),
                                KafkaInput.sideInputWatermarks(),
                                "Kafka: " + config.catalogTopic)
                        .uid("kafka-catalog-source");
    }

    /** The erasure requests, or {@code null} when user signals are off or no erasures topic is set. */
    public static DataStream<io.engagement.pipeline.signals.ErasureRecord> erasures(
            StreamExecutionEnvironment env, JobConfig config) {
        return config.userSignalRules == null || config.erasuresTopic == null
                ? null
                : env.fromSource(
                                KafkaInput.erasureSource(config),
                                KafkaInput.sideInputWatermarks(),
                                "Kafka: " + config.erasuresTopic)
                        .uid("kafka-erasures-source");
    }

    /**
     * Exactly-once output needs checkpoints: Kafka transactions commit on checkpoint, and without them
     * the feedback topic would never become visible to read_committed consumers.
     */
    static void checkRuntimeSettings(CheckpointConfig checkpoints, JobConfig config) {
        if (config.deliveryGuarantee != DeliveryGuarantee.EXACTLY_ONCE) {
            return;
        }
        if (!checkpoints.isCheckpointingEnabled()) {
            throw new ConfigException("execution.checkpointing.interval is not set: exactly-once delivery "
                    + "(kafka.delivery-guarantee) needs checkpointing; set it in flink-conf/config.yaml");
        }
        if (checkpoints.getCheckpointingConsistencyMode() != CheckpointingMode.EXACTLY_ONCE) {
            throw new ConfigException("execution.checkpointing.mode must be EXACTLY_ONCE for exactly-once delivery");
        }
        if (config.transactionTimeout.toMillis() <= checkpoints.getCheckpointInterval()) {
            throw new ConfigException("kafka.transaction-timeout (" + config.transactionTimeout
                    + ") must exceed execution.checkpointing.interval (" + checkpoints.getCheckpointInterval()
                    + " ms)");
        }
    }
}
