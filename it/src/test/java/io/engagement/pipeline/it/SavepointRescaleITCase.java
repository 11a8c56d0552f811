package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import io.engagement.pipeline.testing.ReferenceAggregation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade path: the job runs at parallelism 2, is stopped with a savepoint, resumed from it at
 * parallelism 1, stopped again, and resumed at parallelism 2, with new traffic arriving in between.
 * The final outputs must equal the independent reference, as if the job had never stopped.
 */
class SavepointRescaleITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final RealServers SERVERS = RealServers.perClass().scenarioTopics();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void stopWithSavepointAndRescaleTwoOneTwoChangesNothing(@TempDir Path checkpoints, @TempDir Path savepoints)
            throws Exception {
        PipelineScenario scenario = new PipelineScenario(SERVERS.kafka(), SERVERS.clickhouse());
        List<KafkaTestBroker.Outgoing> traffic = PipelineScenario.traffic(11);
        int third = traffic.size() / 3;
        List<List<KafkaTestBroker.Outgoing>> parts = List.of(
                traffic.subList(0, third),
                traffic.subList(third, 2 * third),
                traffic.subList(2 * third, traffic.size()));
        List<KafkaTestBroker.Outgoing> all = new ArrayList<>(traffic);
        all.addAll(PipelineScenario.flushMarkers());
        ReferenceAggregation reference = PipelineScenario.reference(all);
        JobConfig config = scenario.jobConfig();

        SERVERS.kafka().sendAll("engagement-events", parts.get(0));
        String savepoint = runThenSavepoint(config, checkpoints, savepoints, 2, null);
        SERVERS.kafka().sendAll("engagement-events", parts.get(1));
        savepoint = runThenSavepoint(config, checkpoints, savepoints, 1, savepoint);
        SERVERS.kafka().sendAll("engagement-events", parts.get(2));
        SERVERS.kafka().sendAll("engagement-events", PipelineScenario.flushMarkers());

        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient job = PipelineScenario.job(conf, 2, config, null).executeAsync("rescale-final");
        try {
            waitUntil(() -> scenario.complete(reference), 240);
            Thread.sleep(2_000);
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }
        scenario.assertMatchesReference(reference, all);
    }

    /** Runs until the job has written something, then stops it with a savepoint (no end-of-time drain). */
    private static String runThenSavepoint(
            JobConfig config, Path checkpoints, Path savepoints, int parallelism, String restoreFrom) throws Exception {
        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        long before = SERVERS.clickhouse().count("SELECT count() FROM engagement.engagement_events");
        JobClient job = PipelineScenario.job(conf, parallelism, config, null).executeAsync("rescale-p" + parallelism);
        waitUntil(() -> SERVERS.clickhouse().count("SELECT count() FROM engagement.engagement_events") > before, 120);
        Thread.sleep(1_500);
        String path = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        System.out.println("savepoint at parallelism " + parallelism + ": " + path);
        return path;
    }
}
