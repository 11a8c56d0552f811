package io.engagement.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.TestWriterContext;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private static SinkWriter<Long> writer(int batchSize, int maxRetries) throws IOException {
        return writer(batchSize, maxRetries, false);
    }

    private static SinkWriter<Long> writer(int batchSize, int maxRetries, boolean sendOnWatermark) throws IOException {
        return new ClickHouseHttpSink<>(TABLE, clickhouse.httpUrl(), "default", "",
                new ClickHouseHttpSink.Batching(batchSize, 1 << 20, Duration.ofHours(1), maxRetries),
                sendOnWatermark ? Duration.ofMinutes(2) : ClickHouseHttpSink.NEVER_ON_WATERMARK).createWriter(new TestWriterContext());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWindowRowWriterSendsOnTheWatermarkOfALiveJobOnlyAnEventWriterWaitsForItsBatch() throws Exception {
        SinkWriter<Long> events = writer(1000, 0, false);
        SinkWriter<Long> windows = writer(1000, 0, true);
        long live = System.currentTimeMillis() - 30_000; // within the 2 min lag of writer(..., true)
        events.write(1L, null);
        events.writeWatermark(new Watermark(live));
        Thread.sleep(1_000);
        assertEquals(0, rows(), "an event writer sends on a full batch or after the flush interval (1 h here)");
        windows.write(2L, null);
        windows.write(3L, null);
        windows.writeWatermark(new Watermark(live));
        awaitRows(2);
        assertEquals(5, clickhouse.count("SELECT sum(id) FROM default.sink_test"), "the window rows, sent by the watermark");
        events.close();
        windows.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWindowRowWriterOfAJobCatchingUpWaitsForItsBatchLikeAnyWriter() throws Exception {
        SinkWriter<Long> windows = writer(3, 0, true);
        long catchingUp = System.currentTimeMillis() - Duration.ofHours(3).toMillis();
        windows.write(1L, null);
        windows.write(2L, null);
        windows.writeWatermark(new Watermark(catchingUp));
        Thread.sleep(1_000);
        assertEquals(0, rows(), "a watermark 3 h behind the clock is a catch-up: no insert per watermark");
        windows.write(3L, null); // the batch of 3 is full
        awaitRows(3);
        assertEquals(6, clickhouse.count("SELECT sum(id) FROM default.sink_test"));
        windows.close();
    }

    private static void awaitRows(long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (rows() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    record Kinds(String s, String maybe, long t, Long n, double d, Double dn, boolean b, Boolean bn, int i, long u) {}

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyColumnKindRoundTripsThroughClickHouse() throws Exception {
        clickhouse.http().execute("DROP TABLE IF EXISTS default.kinds");
        clickhouse.http().execute("CREATE TABLE default.kinds (s String, maybe Nullable(String), t DateTime, n Nullable(Int64),"
                + " d Float64, dn Nullable(Float64), b UInt8, bn Nullable(UInt8), i Int32, u UInt64) ENGINE = MergeTree ORDER BY i");
        ClickHouseTable<Kinds> kinds = new ClickHouseTable<Kinds>("default.kinds")
                .string("s", Kinds::s).nullableString("maybe", Kinds::maybe).dateTime("t", Kinds::t)
                .nullableInt64("n", Kinds::n).float64("d", Kinds::d).nullableFloat64("dn", Kinds::dn)
                .bool("b", Kinds::b).nullableBool("bn", Kinds::bn).int32("i", Kinds::i).uint64("u", Kinds::u);
        SinkWriter<Kinds> writer = new ClickHouseHttpSink<>(kinds, clickhouse.httpUrl(), "default", "",
                new ClickHouseHttpSink.Batching(100, 1 << 20, Duration.ofHours(1), 0), ClickHouseHttpSink.NEVER_ON_WATERMARK)
                .createWriter(new TestWriterContext());
        writer.write(new Kinds("tab\there, line\nbreak, back\\slash, é ü 日本 🎬", null, 1_764_000_000_999L, null,
                -1.5e-300, null, true, null, Integer.MIN_VALUE, Long.MAX_VALUE), null);
        writer.write(new Kinds("", "ok", 0L, Long.MIN_VALUE, Double.MAX_VALUE, -0.25, false, false, Integer.MAX_VALUE, 0L), null);
        writer.flush(false);
        writer.close();
        assertEquals(List.of(
                "tab\\there, line\\nbreak, back\\\\slash, é ü 日本 🎬\t\\N\t1764000000\t\\N\t-1.5e-300\t\\N\t1\t\\N\t-2147483648\t9223372036854775807",
                "\tok\t0\t-9223372036854775808\t1.7976931348623157e308\t-0.25\t0\t0\t2147483647\t0"),
                List.of(clickhouse.http().execute("SELECT s, maybe, toUInt32(t), n, d, dn, b, bn, i, u FROM default.kinds ORDER BY i FORMAT TabSeparated")
                        .strip().split("\n")));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyTableTheJobWritesHasTheColumnsItsWriterEncodes() throws Exception {
        clickhouse.http().execute("DROP DATABASE IF EXISTS cols");
        assertEquals(List.of(), clickhouse.jobTableMismatches("cols"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCheckBeforeSubmissionNamesADroppedColumn() throws Exception {
        clickhouse.http().execute("DROP DATABASE IF EXISTS dropped");
        assertEquals(List.of(), clickhouse.jobTableMismatches("dropped"));
        JobConfig config = JobConfig.fromSources(new String[] {"--clickhouse.url",
                "jdbc:clickhouse://" + clickhouse.httpUrl().replaceFirst("^https?://", "") + "?compress=false",
                "--clickhouse.database", "dropped"}, Map.of());
        ClickHouseOutputs.checkColumns(config); // the schema as applied: nothing to say
        clickhouse.http().execute("ALTER TABLE dropped.creator_metrics DROP COLUMN follows");
        IOException refused = assertThrows(IOException.class, () -> ClickHouseOutputs.checkColumns(config));
        assertTrue(refused.getMessage().contains("dropped.creator_metrics has no column follows"), refused.getMessage());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWriterRefusesToStartOnATableWithOtherColumnTypesNamingTheColumn() throws Exception {
        clickhouse.http().execute("DROP TABLE default.sink_test");
        clickhouse.http().execute("CREATE TABLE default.sink_test (id Int32, name String) ENGINE = MergeTree ORDER BY id");
        IOException refused = assertThrows(IOException.class, () -> writer(10, 0));
        assertTrue(refused.getMessage().contains("default.sink_test.id is Int32, the job writes Int64"), refused.getMessage());
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
}
