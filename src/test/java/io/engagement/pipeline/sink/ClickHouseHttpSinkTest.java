package io.engagement.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.testing.ClickHouseTestServer;

import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ClickHouse writer against a real ClickHouse server: one batch in flight while the next fills,
 * and {@code flush} (run before every checkpoint) returns only when ClickHouse has answered every
 * batch, so a checkpoint can never count rows ClickHouse does not have. The server is frozen with
 * SIGSTOP to hold a request in flight.
 */
class ClickHouseHttpSinkTest {

    private static ClickHouseTestServer clickhouse;
    private static final ClickHouseTable<Long> TABLE = new ClickHouseTable<Long>("default.sink_test")
            .int64("id", id -> id)
            .string("name", id -> "row " + id);

    @BeforeAll
    static void start() throws Exception {
        clickhouse = ClickHouseTestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        clickhouse.close();
    }

    @BeforeEach
    void table() throws Exception {
        clickhouse.http().execute("DROP TABLE IF EXISTS default.sink_test");
        clickhouse.http().execute("CREATE TABLE default.sink_test (id Int64, name String) ENGINE = MergeTree ORDER BY id");
    }

    private static SinkWriter<Long> writer(int batchSize, int maxRetries) {
        return writer(batchSize, maxRetries, false);
    }

    private static SinkWriter<Long> writer(int batchSize, int maxRetries, boolean sendOnWatermark) {
        return new ClickHouseHttpSink<>(TABLE, clickhouse.httpUrl(), "default", "", batchSize, Duration.ofHours(1), maxRetries,
                sendOnWatermark).createWriter(new Context());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWindowRowWriterSendsWhenTheWatermarkArrivesAnEventWriterWaitsForItsBatch() throws Exception {
        SinkWriter<Long> events = writer(1000, 0, false);
        SinkWriter<Long> windows = writer(1000, 0, true);
        events.write(1L, null);
        events.writeWatermark(new org.apache.flink.api.common.eventtime.Watermark(1));
        Thread.sleep(1_000);
        assertEquals(0, rows(), "an event writer sends on a full batch or after the flush interval (1 h here)");
        windows.write(2L, null);
        windows.write(3L, null);
        windows.writeWatermark(new org.apache.flink.api.common.eventtime.Watermark(2));
        long deadline = System.currentTimeMillis() + 10_000;
        while (rows() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(5, clickhouse.count("SELECT sum(id) FROM default.sink_test"), "the window rows, sent by the watermark");
        events.close();
        windows.close();
    }

    private static long rows() throws Exception {
        return clickhouse.count("SELECT count() FROM default.sink_test");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBatchIsInFlightWhileTheNextFillsAndFlushWaitsForClickHouse() throws Exception {
        SinkWriter<Long> writer = writer(2, 0);
        clickhouse.pause();
        try {
            // A full batch while ClickHouse answers nothing: it is sent without waiting. Then a row and a
            // flush (what a checkpoint does), in another thread: it must wait for the batch in flight.
            writer.write(1L, null);
            writer.write(2L, null);
            CompletableFuture<Void> flushed = CompletableFuture.runAsync(() -> {
                try {
                    writer.write(3L, null);
                    writer.flush(false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> flushed.get(2, TimeUnit.SECONDS),
                    "flush must not return while a batch is unanswered");
            clickhouse.resume();
            flushed.get(30, TimeUnit.SECONDS);
        } finally {
            clickhouse.resume();
        }
        // Everything flush returned for is in ClickHouse, once.
        assertEquals(3, rows());
        assertEquals(6, clickhouse.count("SELECT sum(id) FROM default.sink_test"));
        writer.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBatchClickHouseRefusesFailsTheFlushAfterItsRetries() throws Exception {
        SinkWriter<Long> writer = writer(1, 1);
        clickhouse.http().execute("DROP TABLE default.sink_test");
        writer.write(1L, null); // sent at once; refused: the table is gone
        Exception failure = assertThrows(Exception.class, () -> writer.flush(false));
        assertTrue(failure.getMessage().contains("failed after 2 attempts"), failure.getMessage());
        assertTrue(failure.getMessage().contains("default.sink_test"), failure.getMessage());
        writer.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rowsBelowTheBatchSizeWaitForFlush() throws Exception {
        SinkWriter<Long> writer = writer(1000, 0);
        for (long id = 1; id <= 10; id++) {
            writer.write(id, null);
        }
        assertEquals(0, rows());
        writer.flush(false);
        assertEquals(10, rows());
        assertFalse(rows() > 10);
        writer.close();
    }

    /** What the writer uses of its context: the processing-time service and the metric group. */
    private static final class Context implements WriterInitContext {
        private final TestProcessingTimeService time = new TestProcessingTimeService();

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MailboxExecutor getMailboxExecutor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ProcessingTimeService getProcessingTimeService() {
            return time;
        }

        @Override
        public SinkWriterMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSinkWriterMetricGroup();
        }

        @Override
        public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isObjectReuseEnabled() {
            return false;
        }

        @Override
        public <IN> TypeSerializer<IN> createInputSerializer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return OptionalLong.empty();
        }

        @Override
        public JobInfo getJobInfo() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TaskInfo getTaskInfo() {
            throw new UnsupportedOperationException();
        }
    }
}
