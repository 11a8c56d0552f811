package io.engagement.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.clickhouse.ApplySchema;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.testing.ClickHouseTestServer;
import io.engagement.pipeline.testing.TestWriterContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ClickHouse writer against a real ClickHouse server: one batch in flight while the next fills,
 * and {@code flush} (run before every checkpoint) returns only when ClickHouse has answered every
 * batch, so a checkpoint can never count rows ClickHouse does not have. The server is frozen with
 * SIGSTOP to hold a request in flight.
 */
class ClickHouseHttpSinkITCase {

    private static ClickHouseTestServer clickhouse;
    private static final ClickHouseTable<Long> TABLE =
            new ClickHouseTable<Long>("default.sink_test").int64("id", id -> id).string("name", id -> "row " + id);

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
        clickhouse
                .http()
                .execute("CREATE TABLE default.sink_test (id Int64, name String) ENGINE = MergeTree ORDER BY id");
    }

    /** A step that may throw, run in another thread (a writer call that must or must not block). */
    private interface Step {
        void run() throws Exception;
    }

    private static CompletableFuture<Void> inAnotherThread(Step step) {
        return CompletableFuture.runAsync(() -> {
            try {
                step.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** What a checkpoint does to a writer: flush before the barrier, then the synchronous snapshot. */
    private static void checkpoint(SinkWriter<?> writer) throws IOException, InterruptedException {
        writer.flush(false);
        ((StatefulSinkWriter<?, ?>) writer).snapshotState(1);
    }

    private static SinkWriter<Long> writer(int batchSize, int maxRetries) throws IOException {
        return writer(batchSize, maxRetries, false);
    }

    private static SinkWriter<Long> writer(int batchSize, int maxRetries, boolean sendOnWatermark) throws IOException {
        return new ClickHouseHttpSink<>(
                        TABLE,
                        clickhouse.httpUrl(),
                        "default",
                        "",
                        new ClickHouseHttpSink.Batching(batchSize, 1 << 20, Duration.ofHours(1), maxRetries),
                        sendOnWatermark ? Duration.ofMinutes(2) : ClickHouseHttpSink.NEVER_ON_WATERMARK)
                .createWriter(new TestWriterContext());
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
        assertEquals(
                5, clickhouse.count("SELECT sum(id) FROM default.sink_test"), "the window rows, sent by the watermark");
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

    record Kinds(
            String s,
            String maybe,
            long t,
            Long n,
            double d,
            Double dn,
            boolean b,
            Boolean bn,
            int i,
            long u,
            String[] a) {}

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyColumnKindRoundTripsThroughClickHouse() throws Exception {
        clickhouse.http().execute("DROP TABLE IF EXISTS default.kinds");
        clickhouse
                .http()
                .execute("CREATE TABLE default.kinds (s String, maybe Nullable(String), t DateTime, n Nullable(Int64),"
                        + " d Float64, dn Nullable(Float64), b UInt8, bn Nullable(UInt8), i Int32, u UInt64, a Array(String))"
                        + " ENGINE = MergeTree ORDER BY i");
        ClickHouseTable<Kinds> kinds = new ClickHouseTable<Kinds>("default.kinds")
                .string("s", Kinds::s)
                .nullableString("maybe", Kinds::maybe)
                .dateTime("t", Kinds::t)
                .nullableInt64("n", Kinds::n)
                .float64("d", Kinds::d)
                .nullableFloat64("dn", Kinds::dn)
                .bool("b", Kinds::b)
                .nullableBool("bn", Kinds::bn)
                .int32("i", Kinds::i)
                .uint64("u", Kinds::u)
                .stringArray("a", Kinds::a);
        SinkWriter<Kinds> writer = new ClickHouseHttpSink<>(
                        kinds,
                        clickhouse.httpUrl(),
                        "default",
                        "",
                        new ClickHouseHttpSink.Batching(100, 1 << 20, Duration.ofHours(1), 0),
                        ClickHouseHttpSink.NEVER_ON_WATERMARK)
                .createWriter(new TestWriterContext());
        writer.write(
                new Kinds(
                        "tab\there, line\nbreak, back\\slash, é ü 日本 🎬",
                        null,
                        1_764_000_000_999L,
                        null,
                        -1.5e-300,
                        null,
                        true,
                        null,
                        Integer.MIN_VALUE,
                        Long.MAX_VALUE,
                        new String[] {"plan", "é'ü", ""}),
                null);
        writer.write(
                new Kinds(
                        "",
                        "ok",
                        0L,
                        Long.MIN_VALUE,
                        Double.MAX_VALUE,
                        -0.25,
                        false,
                        false,
                        Integer.MAX_VALUE,
                        0L,
                        null),
                null);
        checkpoint(writer);
        writer.close();
        // TabSeparated escapes a tab, a newline, a backslash and a single quote with a backslash.
        assertEquals(
                List.of(
                        "tab\\there, line\\nbreak, back\\\\slash, é ü 日本 🎬\t\\N\t1764000000\t\\N\t-1.5e-300\t\\N\t1\t\\N\t-2147483648\t9223372036854775807\t3\tplan\té\\'ü\t\tend",
                        "\tok\t0\t-9223372036854775808\t1.7976931348623157e308\t-0.25\t0\t0\t2147483647\t0\t0\t\t\t\tend"),
                List.of(clickhouse
                        .http()
                        .execute(
                                "SELECT s, maybe, toUInt32(t), n, d, dn, b, bn, i, u, length(a), a[1], a[2], a[3], 'end'"
                                        + " FROM default.kinds ORDER BY i FORMAT TabSeparated")
                        .strip()
                        .split("\n")));
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
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--clickhouse.url",
                    "jdbc:clickhouse://" + clickhouse.httpUrl().replaceFirst("^https?://", "") + "?compress=false",
                    "--clickhouse.database",
                    "dropped"
                },
                Map.of());
        ClickHouseOutputs.checkColumns(config); // the schema as applied: nothing to say
        clickhouse.http().execute("ALTER TABLE dropped.creator_metrics DROP COLUMN follows");
        IOException refused = assertThrows(IOException.class, () -> ClickHouseOutputs.checkColumns(config));
        assertTrue(
                refused.getMessage().contains("dropped.creator_metrics has no column follows"), refused.getMessage());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWriterRefusesToStartOnATableWithOtherColumnTypesNamingTheColumn() throws Exception {
        clickhouse.http().execute("DROP TABLE default.sink_test");
        clickhouse
                .http()
                .execute("CREATE TABLE default.sink_test (id Int32, name String) ENGINE = MergeTree ORDER BY id");
        IOException refused = assertThrows(IOException.class, () -> writer(10, 0));
        assertTrue(
                refused.getMessage().contains("default.sink_test.id is Int32, the job writes Int64"),
                refused.getMessage());
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
            CompletableFuture<Void> flushed = inAnotherThread(() -> {
                writer.write(3L, null);
                checkpoint(writer);
            });
            assertThrows(
                    TimeoutException.class,
                    () -> flushed.get(2, TimeUnit.SECONDS),
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
    void theFlushBeforeTheBarrierSendsWithoutWaitingAndTheCheckpointWaitsForClickHouse() throws Exception {
        SinkWriter<Long> writer = writer(10, 0);
        clickhouse.pause();
        CompletableFuture<Void> snapshot;
        try {
            writer.write(1L, null);
            writer.write(2L, null);
            // Before the barrier: the rows are sent, and the task goes on to forward the barrier.
            CompletableFuture<Void> flushed = inAnotherThread(() -> writer.flush(false));
            flushed.get(10, TimeUnit.SECONDS);
            // The checkpoint's synchronous part must not return while ClickHouse has not taken them.
            snapshot = inAnotherThread(() -> ((StatefulSinkWriter<?, ?>) writer).snapshotState(1));
            assertThrows(
                    TimeoutException.class,
                    () -> snapshot.get(2, TimeUnit.SECONDS),
                    "the checkpoint must not complete while its rows are unanswered");
            clickhouse.resume();
            snapshot.get(30, TimeUnit.SECONDS);
        } finally {
            clickhouse.resume();
        }
        assertEquals(2, rows());
        writer.close();
    }

    /**
     * A table gone (a schema changed under the job) is the server's state, not the rows': the writer
     * holds and retries, past its warnings, instead of failing the job into a restart loop, and the
     * batch lands once the table is back.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aBatchTheServerCannotTakeHoldsUntilItCan() throws Exception {
        SinkWriter<Long> writer = writer(1, 1);
        clickhouse.http().execute("DROP TABLE default.sink_test");
        writer.write(7L, null); // sent at once; refused: the table is gone
        CompletableFuture<Void> flushed = inAnotherThread(() -> checkpoint(writer));
        Thread.sleep(4_000); // several attempts, past clickhouse.max-retries (1)
        assertFalse(flushed.isDone(), "the writer holds instead of failing");
        clickhouse
                .http()
                .execute("CREATE TABLE default.sink_test (id Int64, name String) ENGINE = MergeTree ORDER BY id");
        flushed.get(60, TimeUnit.SECONDS);
        assertEquals(1, rows());
        writer.close();
    }

    /**
     * A row ClickHouse refuses for its data (here a materialized view's check) is found by splitting
     * the batch, goes to the dead letters with the server's message and its bytes, and every other
     * row of the batch is written.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aRowClickHouseRefusesGoesToTheDeadLettersAndEveryOtherRowIsWritten() throws Exception {
        ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl"));
        // A view that refuses id 13 (as a view's parse or check of a real table would): ClickHouse then
        // refuses every insert holding that row. Its own table gets only the rows of inserts it took.
        clickhouse
                .http()
                .execute("CREATE MATERIALIZED VIEW default.sink_test_guard ENGINE = MergeTree ORDER BY id"
                        + " AS SELECT id, throwIf(id = 13) AS refused FROM default.sink_test");
        try {
            SinkWriter<Long> writer = new ClickHouseHttpSink<>(
                            TABLE,
                            clickhouse.httpUrl(),
                            "default",
                            io.engagement.pipeline.settings.SecretRef.none("clickhouse.password"),
                            new ClickHouseHttpSink.Batching(100, 1 << 20, Duration.ofHours(1), 1),
                            ClickHouseHttpSink.NEVER_ON_WATERMARK,
                            ClickHouseOutputs.DEAD_LETTERS)
                    .createWriter(new TestWriterContext());
            for (long id = 1; id <= 20; id++) {
                writer.write(id, null);
            }
            checkpoint(writer);
            // Every other row was taken once: 19 rows, 1 + ... + 20 - 13 = 197.
            assertEquals(
                    List.of("19\t19\t197"),
                    clickhouse.rows("SELECT count(), uniqExact(id), sum(id) FROM default.sink_test_guard"));
            // The base table has every good row too (a refused attempt may leave rows there, 13 included:
            // ClickHouse writes the table before its views, so an insert is not atomic across a view).
            assertEquals(List.of("19"), clickhouse.rows("SELECT uniqExact(id) FROM default.sink_test WHERE id != 13"));
            List<String> deadLetters = clickhouse.rows("SELECT reason, source_topic, position(detail, 'Code: 395') > 0,"
                    + " payload_encoding, payload_bytes FROM engagement.dead_letters");
            assertEquals(List.of("sink_rejected\tclickhouse:default.sink_test\t1\tbase64\t15"), deadLetters);
            // The payload is the row as RowBinary: Int64 13 little-endian, then the string "row 13" with its length.
            String payload = clickhouse
                    .rows("SELECT payload FROM engagement.dead_letters")
                    .get(0);
            byte[] row = java.util.Base64.getDecoder().decode(payload);
            byte[] expected = {13, 0, 0, 0, 0, 0, 0, 0, 6, 'r', 'o', 'w', ' ', '1', '3'};
            assertArrayEquals(expected, row);
            writer.close();
        } finally {
            clickhouse.http().execute("DROP TABLE IF EXISTS default.sink_test_guard");
        }
    }

    @Test
    void insertFailuresAreClassifiedByTheServersErrorCode() {
        assertTrue(
                ClickHouseHttpSink.refusesRows(500, "Code: 27, e.displayText() = DB::Exception: Cannot parse input"));
        assertTrue(ClickHouseHttpSink.refusesRows(
                500, "Code: 395, e.displayText() = DB::Exception: Value passed to 'throwIf'"));
        assertFalse(ClickHouseHttpSink.refusesRows(500, "Code: 252, e.displayText() = DB::Exception: Too many parts"));
        assertFalse(ClickHouseHttpSink.refusesRows(
                500, "Code: 60, e.displayText() = DB::Exception: Table default.t doesn't exist"));
        assertFalse(ClickHouseHttpSink.refusesRows(
                500, "Code: 243, e.displayText() = DB::Exception: Cannot reserve 1.00 MiB"));
        assertFalse(ClickHouseHttpSink.refusesRows(503, "Service Unavailable"));
        assertFalse(ClickHouseHttpSink.refusesRows(200, ""));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rowsBelowTheBatchSizeWaitForFlush() throws Exception {
        SinkWriter<Long> writer = writer(1000, 0);
        for (long id = 1; id <= 10; id++) {
            writer.write(id, null);
        }
        assertEquals(0, rows());
        checkpoint(writer);
        assertEquals(10, rows());
        assertFalse(rows() > 10);
        writer.close();
    }
}
