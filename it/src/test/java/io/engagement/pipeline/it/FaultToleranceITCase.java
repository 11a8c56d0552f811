package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.testing.FailureInjector;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import io.engagement.pipeline.testing.ReferenceAggregation;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InternalMiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once results under failure: the production source, topology and sinks on a MiniCluster
 * against real Kafka and ClickHouse, with crashes injected at random points (each after a completed
 * checkpoint, so the job restores from it) or ClickHouse frozen mid-stream. The final ClickHouse
 * aggregates (FINAL), the feedback topic as a read_committed consumer sees it and the dead-letter
 * topic must equal {@link ReferenceAggregation}, computed independently from the produced messages.
 * Reproduce a run with {@code -Dfaults.seed=<seed printed by the test>}.
 */
class FaultToleranceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Fresh servers per test: one test freezes and stops ClickHouse. */
    @RegisterExtension
    static final RealServers SERVERS = RealServers.perTest().scenarioTopics();

    private PipelineScenario scenario;

    @BeforeEach
    void createScenario() {
        scenario = new PipelineScenario(SERVERS.kafka(), SERVERS.clickhouse());
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void twoCrashesAtRandomPointsLeaveResultsIdenticalToTheReference(@TempDir Path checkpoints) throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        List<KafkaTestBroker.Outgoing> sent = send(seed);
        Random random = new Random(seed);
        long total = sent.size();
        long first = (long) (total * (0.2 + 0.25 * random.nextDouble()));
        long second = (long) (total * (0.55 + 0.3 * random.nextDouble()));
        System.out.printf(
                "fault injection: seed %d, %d messages, crashes after %d and %d records%n", seed, total, first, second);
        FailureInjector.arm(List.of(first, second));

        run(checkpoints, sent, () -> {});

        assertEquals(2, FailureInjector.crashes(), "both injected crashes must have happened");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void taskManagerKilledAtARandomPointIsReplacedAndResultsAreIdentical(@TempDir Path checkpoints) throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        List<KafkaTestBroker.Outgoing> sent = send(seed);
        long killAfterRows = 500 + new Random(seed).nextInt(3_000);
        System.out.printf("task manager kill: seed %d, after %d raw rows in ClickHouse%n", seed, killAfterRows);
        FailureInjector.arm(List.of());
        run(checkpoints, sent, () -> {
            waitUntil(
                    () -> SERVERS.clickhouse().count("SELECT count() FROM engagement.engagement_events")
                            >= killAfterRows,
                    120);
            // The whole TaskManager process state (slots, RocksDB instances, Kafka clients) is gone.
            MiniCluster cluster = miniCluster();
            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            cluster.startTaskManager();
        });
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void clickHouseFrozenThenDownForAMinuteCostsNoRestartAndLosesNothing(@TempDir Path checkpoints) throws Exception {
        List<KafkaTestBroker.Outgoing> sent = send(7);
        FailureInjector.arm(List.of());
        run(
                checkpoints,
                sent,
                () -> {
                    // A stalled host: the server is frozen (SIGSTOP), connections hang, the sink backpressures.
                    waitUntil(
                            () -> SERVERS.clickhouse().count("SELECT count() FROM engagement.engagement_events") > 0,
                            60);
                    SERVERS.clickhouse().pause();
                    Thread.sleep(20_000);
                    SERVERS.clickhouse().resume();
                    // An outage: the server is down for a minute; inserts fail, the sinks hold and retry with
                    // back-off (the job back-pressures; no failover, no restart loop) until ClickHouse is back.
                    SERVERS.clickhouse().shutDown();
                    Thread.sleep(60_000);
                    SERVERS.clickhouse().startAgain();
                },
                true);
    }

    /** MiniClusterExtension exposes no MiniCluster; its internal extension does (Flink test utilities). */
    private static MiniCluster miniCluster() throws Exception {
        Field internal = MiniClusterExtension.class.getDeclaredField("internalMiniClusterExtension");
        internal.setAccessible(true);
        return ((InternalMiniClusterExtension) internal.get(FLINK)).getMiniCluster();
    }

    private List<KafkaTestBroker.Outgoing> send(long seed) throws Exception {
        List<KafkaTestBroker.Outgoing> sent = new ArrayList<>(PipelineScenario.traffic(seed));
        sent.addAll(PipelineScenario.flushMarkers());
        SERVERS.kafka().sendAll("engagement-events", sent);
        return sent;
    }

    private void run(Path checkpoints, List<KafkaTestBroker.Outgoing> sent, ThrowingRunnable duringRun)
            throws Exception {
        run(checkpoints, sent, duringRun, false);
    }

    /** @param noRestart the job must ride out {@code duringRun} without failing over once */
    private void run(
            Path checkpoints, List<KafkaTestBroker.Outgoing> sent, ThrowingRunnable duringRun, boolean noRestart)
            throws Exception {
        ReferenceAggregation reference = PipelineScenario.reference(sent);
        JobClient job = PipelineScenario.job(
                        PipelineScenario.flinkConf(checkpoints),
                        2,
                        scenario.jobConfig(),
                        new FailureInjector<ValidatedRecord>(4))
                .executeAsync("fault-tolerance-test");
        try {
            duringRun.run();
            waitUntil(() -> scenario.complete(reference), 240);
            Thread.sleep(2_000); // anything extra (a duplicate) would show up now
            if (noRestart) {
                assertEquals(
                        0,
                        miniCluster()
                                .getExecutionGraph(job.getJobID())
                                .get(30, TimeUnit.SECONDS)
                                .getStatusTimestamp(org.apache.flink.api.common.JobStatus.RESTARTING),
                        "the job restarted");
            }
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }
        scenario.assertMatchesReference(reference, sent);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
