package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;

import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.ReferenceAggregation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker (a real broker process, started by deploy/local/kafka.sh) is stopped mid-stream
 * and restarted 15 s later; the job recovers on its own and the final outputs equal the reference.
 */
class KafkaBrokerRestartITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void jobRecoversFromABrokerRestartWithoutLossOrDuplicates(@TempDir Path stackDir, @TempDir Path checkpoints)
            throws Exception {
        try (ClickHouseTestServer clickhouse = ClickHouseTestServer.startWithSchema();
                KafkaTestBroker kafka = KafkaTestBroker.startProcess(stackDir)) {
            PipelineScenario scenario = new PipelineScenario(kafka, clickhouse);
            scenario.createTopics();
            List<KafkaTestBroker.Outgoing> traffic = PipelineScenario.traffic(23);
            int half = traffic.size() / 2;
            List<KafkaTestBroker.Outgoing> all = new ArrayList<>(traffic);
            all.addAll(PipelineScenario.flushMarkers());
            ReferenceAggregation reference = PipelineScenario.reference(all);

            kafka.sendAll("engagement-events", traffic.subList(0, half));
            JobClient job = PipelineScenario.job(PipelineScenario.flinkConf(checkpoints), 2, scenario.jobConfig(), null)
                    .executeAsync("broker-restart-test");
            try {
                waitUntil(() -> clickhouse.count("SELECT count() FROM engagement.engagement_events") > 0, 120);
                kafka.stopProcess();
                Thread.sleep(15_000);
                kafka.restartProcess();
                kafka.awaitLeaders("engagement-events", java.time.Duration.ofSeconds(60));
                kafka.sendAll("engagement-events", traffic.subList(half, traffic.size()));
                kafka.sendAll("engagement-events", PipelineScenario.flushMarkers());
                waitUntil(() -> scenario.complete(reference), 300);
                Thread.sleep(2_000);
            } finally {
                PipelineScenario.cancelAndAwait(job);
            }
            scenario.assertMatchesReference(reference, all);
        }
    }
}
