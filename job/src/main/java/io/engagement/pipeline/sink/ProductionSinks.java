package io.engagement.pipeline.sink;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.topology.PipelineSinks;

/** The sinks of a real deployment: ClickHouse tables and Kafka topics named by the job configuration. */
public final class ProductionSinks {

    private ProductionSinks() {}

    public static PipelineSinks create(JobConfig config) {
        return new PipelineSinks(
                        ClickHouseOutputs.sink(config, ClickHouseOutputs.EVENTS),
                        ClickHouseOutputs.windowSink(config, ClickHouseOutputs.CONTENT_METRICS),
                        KafkaOutputs.feedback(config),
                        KafkaOutputs.deadLetters(config),
                        ClickHouseOutputs.sink(config, ClickHouseOutputs.DEAD_LETTERS),
                        ClickHouseOutputs.sink(config, ClickHouseOutputs.DUPLICATES),
                        ClickHouseOutputs.sink(config, ClickHouseOutputs.LATE_EVENTS),
                        ClickHouseOutputs.windowSink(config, ClickHouseOutputs.CONTENT_VELOCITY),
                        KafkaOutputs.velocityFeedback(config),
                        ClickHouseOutputs.windowSink(config, ClickHouseOutputs.SESSION_METRICS),
                        ClickHouseOutputs.windowSink(config, ClickHouseOutputs.CREATOR_METRICS),
                        ClickHouseOutputs.windowSink(config, ClickHouseOutputs.CONTENT_COUNTRY_METRICS),
                        ClickHouseOutputs.sink(config, ClickHouseOutputs.CONTENT_CATALOG),
                        ClickHouseOutputs.sink(config, ClickHouseOutputs.SUSPECT_ACTORS),
                        ClickHouseOutputs.windowSink(config, ClickHouseOutputs.CONTENT_RETENTION))
                .withAlerts(
                        KafkaOutputs.alerts(config),
                        ClickHouseOutputs.windowSink(config, ClickHouseOutputs.CREATOR_ALERTS))
                .withUserSignals(KafkaOutputs.userSignals(config))
                .withExperimentViews(ClickHouseOutputs.sink(config, ClickHouseOutputs.EXPERIMENT_VALIDATED_VIEWS));
    }
}
