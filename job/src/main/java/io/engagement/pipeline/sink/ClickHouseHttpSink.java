package io.engagement.pipeline.sink;

import com.clickhouse.client.api.data_formats.RowBinaryFormatSerializer;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.RejectReason;
import io.engagement.pipeline.settings.SecretRef;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows to one ClickHouse table over its HTTP interface, a batch per request as
 * {@code INSERT ... FORMAT RowBinary} ({@link ClickHouseTable} encodes the rows). At least once: a
 * batch is sent when it is full (rows or bytes) and when its oldest row has waited the flush interval, with one
 * request in flight while the next batch fills; before a checkpoint barrier ({@link Writer#flush},
 * which Flink calls before the task forwards the barrier) the rest is sent, and in the checkpoint's
 * synchronous part ({@link Writer#snapshotState}, after the barrier has gone downstream) every request
 * is awaited, so every row before a checkpoint is in ClickHouse when the checkpoint counts, and the
 * operators downstream of the writer's task do not wait for ClickHouse before they see the barrier; a
 * restore replays the rest, and the tables' ReplacingMergeTree keys make the replay idempotent
 * (docs/guarantees.md). The writer keeps no state: it is stateful to Flink only to have that call
 * ({@link SupportsWriterState}), and every snapshot is empty.
 *
 * <p>Why not the JDBC sink: the jdbc-v2 driver re-parsed the statement and encoded every bound value
 * per row; on the stack benchmark that was 14 % of the TaskManager's CPU (docs/benchmarks.md). Rows
 * encoded straight from the fields by the driver's own RowBinary serializer, in batches as large as
 * the flush interval allows, cost neither (docs/clickhouse.md, "How the job writes"). Credentials go
 * in a Basic auth header, never in the URL (which ClickHouse logs).
 *
 * <p>A failed insert is classified ({@link #refusesRows}). Refused for its data (a row ClickHouse
 * cannot take): the batch is split in halves until the refused rows are alone; each goes to the
 * dead letters ({@code sink_rejected}, the server's message, the row's RowBinary bytes) and every
 * other row is written. Anything else (the server away, a network error, too many parts, a full disk,
 * a read-only replica, a schema changed under the job): the writer holds, retrying with back-off
 * (200 ms doubling, at most 30 s) for as long as it takes, and the job back-pressures instead of
 * failing over into a restart loop; {@code clickhouse.max-retries} attempts on, each failure is
 * logged as an error and the table's {@code heldInserts} gauge is 1. {@link Writer#close()} never throws:
 * a failure while Flink is already tearing the task down would otherwise be fatal to the whole
 * TaskManager, and nothing unflushed counts as written anyway.
 */
public final class ClickHouseHttpSink<T> implements Sink<T>, SupportsWriterState<T, Void> {

    private static final long serialVersionUID = 1L;

    /**
     * When a batch is sent: at {@code maxRows} rows or {@code maxBytes} of encoded rows, or when its
     * oldest row has waited {@code flushInterval}; a failed insert is retried {@code maxRetries} times.
     */
    public record Batching(int maxRows, long maxBytes, Duration flushInterval, int maxRetries)
            implements java.io.Serializable {
        public Batching {
            if (maxRows <= 0
                    || maxBytes <= 0
                    || flushInterval.isNegative()
                    || flushInterval.isZero()
                    || maxRetries < 0) {
                throw new IllegalArgumentException("invalid ClickHouse batching " + maxRows + " rows, " + maxBytes
                        + " bytes, " + flushInterval + ", " + maxRetries + " retries");
            }
        }
    }

    /** For {@code liveWatermarkLag}: a writer whose rows never go on the watermark. */
    public static final Duration NEVER_ON_WATERMARK = Duration.ZERO;

    static final long WATERMARK_SEND_SPACING_MS = 250;

    private final ClickHouseTable<T> table;
    private final String httpUrl;
    private final String user;
    /** Read where the sink runs (the TaskManager), never carried in the job graph ({@link SecretRef}). */
    private final SecretRef password;
    /** PEM certificates trusted for an {@code https://} URL, read where the writer runs; null: the JVM's trust store. */
    private final String caFile;

    private final Batching batching;
    private final long liveWatermarkLagMs;
    /** Where rows ClickHouse refuses go (the dead_letters table); null for that table's own writer. */
    private final ClickHouseTable<DeadLetter> rejects;

    /**
     * @param liveWatermarkLag for tables of window rows: while the watermark is at most this far behind
     *     the wall clock (the job is live), the rows a watermark fired, which arrive just before it,
     *     are sent when it arrives instead of after the flush interval (at most one such send per
     *     {@link #WATERMARK_SEND_SPACING_MS}). Further behind, the job is catching up and they wait
     *     for a full batch or the flush interval like any row. {@link #NEVER_ON_WATERMARK} for other tables.
     */
    public ClickHouseHttpSink(
            ClickHouseTable<T> table,
            String httpUrl,
            String user,
            String password,
            Batching batching,
            Duration liveWatermarkLag) {
        this(
                table,
                httpUrl,
                user,
                password.isEmpty()
                        ? SecretRef.none("clickhouse.password")
                        : SecretRef.literal("clickhouse.password", password),
                batching,
                liveWatermarkLag,
                null);
    }

    /** @param rejects the dead-letter table refused rows go to; null: refused rows are logged and counted only */
    public ClickHouseHttpSink(
            ClickHouseTable<T> table,
            String httpUrl,
            String user,
            SecretRef password,
            Batching batching,
            Duration liveWatermarkLag,
            ClickHouseTable<DeadLetter> rejects) {
        this(table, httpUrl, user, password, batching, liveWatermarkLag, rejects, null);
    }

    /** @param caFile PEM file of the CA certificates to trust for an {@code https://} URL (clickhouse.ca-file); null: the JVM's */
    public ClickHouseHttpSink(
            ClickHouseTable<T> table,
            String httpUrl,
            String user,
            SecretRef password,
            Batching batching,
            Duration liveWatermarkLag,
            ClickHouseTable<DeadLetter> rejects,
            String caFile) {
        this.caFile = caFile;
        this.rejects = rejects;
        this.table = table;
        this.httpUrl = httpUrl.endsWith("/") ? httpUrl.substring(0, httpUrl.length() - 1) : httpUrl;
        this.user = user;
        this.password = password;
        this.batching = batching;
        this.liveWatermarkLagMs = liveWatermarkLag.toMillis();
    }

    public String table() {
        return table.table();
    }

    @Override
    public Writer<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(this, context);
    }

    /** Nothing to restore: every snapshot is empty (rows after the last checkpoint are replayed from Kafka). */
    @Override
    public Writer<T> restoreWriter(WriterInitContext context, java.util.Collection<Void> recoveredState)
            throws IOException {
        return createWriter(context);
    }

    @Override
    public SimpleVersionedSerializer<Void> getWriterStateSerializer() {
        return NoWriterState.INSTANCE;
    }

    /** The serializer of a writer state that never has an element. */
    private enum NoWriterState implements SimpleVersionedSerializer<Void> {
        INSTANCE;

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Void state) {
            return new byte[0];
        }

        @Override
        public Void deserialize(int version, byte[] serialized) {
            return null;
        }
    }

    /**
     * Fails, naming the table and every column, when the table's columns are not what the writer
     * encodes: RowBinary carries no types, so a wrong width would corrupt rows instead of failing.
     * Run by every writer when it starts (a restore into a changed schema) and by the job before it
     * is submitted ({@link ClickHouseOutputs#checkColumns}).
     *
     * @param retries of a DESCRIBE that fails (server unreachable), with the inserts' back-off
     */
    void checkColumns(int retries) throws IOException {
        ClickHouseHttp http = new ClickHouseHttp(httpUrl, user, password.resolve(), caFile);
        String describe;
        for (int attempt = 0; ; attempt++) {
            try {
                describe = http.execute("DESCRIBE TABLE " + table.table() + " FORMAT TabSeparated");
                break;
            } catch (IOException e) {
                if (attempt >= retries) {
                    throw new IOException(
                            "cannot read the columns of ClickHouse table " + table.table() + " at " + httpUrl
                                    + " (clickhouse.url, clickhouse.database; the tables come from sql/ddl/ through ApplySchema): "
                                    + ClickHouseHttp.oneLine(e),
                            e);
                }
                backOff(attempt, table.table());
            }
        }
        List<String> problems = table.mismatches(describe);
        if (!problems.isEmpty()) {
            throw new IOException("ClickHouse table " + table.table() + " does not have the columns the job writes"
                    + " (apply sql/ddl/ with ApplySchema): " + String.join("; ", problems));
        }
    }

    /**
     * ClickHouse error codes of an insert refused for the data it carries, not for the server's state:
     * the rows that cause them are refused whenever they are sent. CANNOT_PARSE_TEXT (6),
     * CANNOT_PARSE_INPUT_ASSERTION_FAILED (27), ATTEMPT_TO_READ_AFTER_EOF (32), CANNOT_READ_ALL_DATA (33),
     * CANNOT_PARSE_DATE (38), CANNOT_PARSE_DATETIME (41), TYPE_MISMATCH (53), ARGUMENT_OUT_OF_BOUND (69),
     * CANNOT_CONVERT_TYPE (70), CANNOT_PARSE_NUMBER (72), INCORRECT_DATA (117), TOO_LARGE_STRING_SIZE
     * (131), VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE (321), CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN (349),
     * FUNCTION_THROW_IF_VALUE_IS_NON_ZERO (395, a materialized view's check), VIOLATED_CONSTRAINT (469).
     */
    static final java.util.Set<Integer> DATA_ERROR_CODES =
            java.util.Set.of(6, 27, 32, 33, 38, 41, 53, 69, 70, 72, 117, 131, 321, 349, 395, 469);

    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("Code: (\\d+)");

    /**
     * Whether ClickHouse's answer refuses the batch for rows in it (then the rows are found and set
     * aside); every other failure is the server's state, and the writer holds until it passes.
     */
    static boolean refusesRows(int status, String body) {
        if (status == 200 || body == null) {
            return false;
        }
        java.util.regex.Matcher code = ERROR_CODE.matcher(body);
        return code.find() && DATA_ERROR_CODES.contains(Integer.parseInt(code.group(1)));
    }

    /** The wait before retry {@code attempt + 1}: 200 ms doubling, at most 30 s. */
    private static void backOff(int attempt, String table) throws IOException {
        try {
            Thread.sleep(Math.min(30_000L, 200L << Math.min(attempt, 8)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while retrying a request to ClickHouse table " + table, interrupted);
        }
    }

    /**
     * The dead letter of a row ClickHouse refused: reason {@code sink_rejected}, the server's message,
     * the row's RowBinary bytes (base64, re-insertable with {@code FORMAT RowBinary}), and as its
     * identity the table and a hash of the row, so a replay of the same refusal replaces the row.
     */
    static DeadLetter rejectedRow(String table, byte[] row, String message) {
        boolean truncated = row.length > 48 * 1024;
        byte[] kept = truncated ? java.util.Arrays.copyOf(row, 48 * 1024) : row;
        String detail = "ClickHouse refused this row of " + table + ": " + message;
        DeadLetter d = new DeadLetter(
                RejectReason.SINK_REJECTED,
                detail.length() > 1_000 ? detail.substring(0, 1_000) : detail,
                java.util.Base64.getEncoder().encodeToString(kept),
                "base64",
                "clickhouse:" + table,
                0,
                java.util.Arrays.hashCode(row) & 0xffffffffL | ((long) row.length << 32) & Long.MAX_VALUE);
        d.payloadBytes = row.length;
        d.payloadTruncated = truncated;
        return d;
    }

    /** Buffers rows in RowBinary and sends them in batches. Runs in the task thread (timers too). */
    public static final class Writer<T> implements StatefulSinkWriter<T, Void> {
        private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

        private final ClickHouseHttpSink<T> sink;
        private final ProcessingTimeService time;
        private final HttpClient client;
        private final URI insertUri;
        private final String authorization;
        private final Counter rowsWritten;
        private final Counter batchesWritten;
        private final Counter retries;
        private final Counter rowsRejected;
        private volatile int held;
        private volatile long lastBatchRows;
        private volatile long lastBatchMillis;
        /** The batch being filled, and the one in flight: swapped on each send, never copied. */
        private RowBuffer buffer = new RowBuffer();

        private RowBuffer sending = new RowBuffer();
        private RowBinaryFormatSerializer rowBinary = new RowBinaryFormatSerializer(buffer);
        private int rows;
        /** Where each buffered row ends in the buffer: to split a refused batch into rows. */
        private int[] rowEnds = new int[1024];

        private boolean timerPending;
        /** The batch sent and not yet answered (at most one; its body is {@link #sending}), its size and start. */
        private CompletableFuture<HttpResponse<String>> inFlight;

        private int[] inFlightRowEnds;
        private int inFlightRows;
        private long inFlightStart;
        private long lastSendStartNanos = System.nanoTime() - WATERMARK_SEND_SPACING_MS * 1_000_000;
        private IOException timerFailure;

        Writer(ClickHouseHttpSink<T> sink, WriterInitContext context) throws IOException {
            this.client = io.engagement.pipeline.clickhouse.ClickHouseTls.client(sink.caFile);
            this.sink = sink;
            this.time = context.getProcessingTimeService();
            this.insertUri = URI.create(
                    sink.httpUrl + "/?query=" + URLEncoder.encode(sink.table.insertSql(), StandardCharsets.UTF_8));
            this.authorization = ClickHouseHttp.basicAuthorization(sink.user, sink.password.resolve());
            var metrics = context.metricGroup().addGroup("clickhouse_table", sink.table.table());
            this.rowsWritten = metrics.counter("rowsWritten");
            this.batchesWritten = metrics.counter("batchesWritten");
            this.retries = metrics.counter("batchRetries");
            this.rowsRejected = metrics.counter("rowsRejected");
            metrics.gauge("heldInserts", () -> held);
            metrics.gauge("lastBatchRows", () -> lastBatchRows);
            metrics.gauge("lastBatchMillis", () -> lastBatchMillis);
            // Retried like an insert: a writer restarting while ClickHouse is briefly away waits for it.
            sink.checkColumns(sink.batching.maxRetries());
        }

        @Override
        public void write(T row, Context context) throws IOException {
            rethrowTimerFailure();
            sink.table.writeRow(rowBinary, row);
            if (rows == rowEnds.length) {
                rowEnds = java.util.Arrays.copyOf(rowEnds, rows * 2);
            }
            rowEnds[rows] = buffer.size();
            rows++;
            if (rows >= sink.batching.maxRows() || buffer.size() >= sink.batching.maxBytes()) {
                send();
            } else if (!timerPending) {
                timerPending = true;
                time.registerTimer(
                        time.getCurrentProcessingTime()
                                + sink.batching.flushInterval().toMillis(),
                        ignored -> {
                            timerPending = false;
                            try {
                                send();
                            } catch (IOException e) {
                                timerFailure = e; // reported by the next write or checkpoint flush
                            }
                        });
            }
        }

        @Override
        public void writeWatermark(org.apache.flink.api.common.eventtime.Watermark watermark) throws IOException {
            if (rows > 0
                    && sink.liveWatermarkLagMs > 0
                    && watermark.getTimestamp() >= System.currentTimeMillis() - sink.liveWatermarkLagMs
                    && System.nanoTime() - lastSendStartNanos >= WATERMARK_SEND_SPACING_MS * 1_000_000) {
                rethrowTimerFailure();
                send();
            }
        }

        /**
         * Sends what is buffered. Before a barrier that is all: the task forwards the barrier next and
         * {@link #snapshotState} waits for ClickHouse. At the end of input it waits here.
         */
        @Override
        public void flush(boolean endOfInput) throws IOException {
            rethrowTimerFailure();
            send();
            if (endOfInput) {
                awaitInFlight();
            }
        }

        /**
         * The checkpoint's synchronous part: waits for the batch {@link #flush} sent before the barrier
         * (holding, with retries, as long as ClickHouse does not take it), so the checkpoint cannot
         * complete before every row ahead of its barrier is written. No state: the list is empty.
         */
        @Override
        public List<Void> snapshotState(long checkpointId) throws IOException {
            rethrowTimerFailure();
            awaitInFlight();
            return List.of();
        }

        @Override
        public void close() {
            if (rows > 0 || inFlight != null) {
                LOG.info(
                        "closing the ClickHouse writer of {} with {} unflushed rows{}: a restore replays them",
                        sink.table.table(),
                        rows,
                        inFlight == null ? "" : " and a batch of " + inFlightRows + " in flight");
            }
            if (inFlight != null) {
                inFlight.cancel(true);
            }
        }

        private void rethrowTimerFailure() throws IOException {
            if (timerFailure != null) {
                IOException failure = timerFailure;
                timerFailure = null;
                throw failure;
            }
        }

        /**
         * Starts sending the buffered rows, after the batch sent before has been answered: one request
         * in flight while the next batch fills, so the task thread does not wait for ClickHouse unless
         * a batch fills faster than ClickHouse takes the one before.
         */
        private void send() throws IOException {
            if (rows == 0) {
                return;
            }
            awaitInFlight();
            RowBuffer filled = buffer;
            buffer = sending; // empty since the batch before was answered; keeps its chunks
            sending = filled;
            rowBinary = new RowBinaryFormatSerializer(buffer);
            inFlightRowEnds = java.util.Arrays.copyOf(rowEnds, rows);
            inFlightRows = rows;
            inFlightStart = System.nanoTime();
            lastSendStartNanos = inFlightStart;
            inFlight = client.sendAsync(
                    request(insertUri, sending.body()), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            rows = 0;
        }

        /**
         * Waits for the batch in flight and sees it written ({@link #insert}), in the task thread,
         * before anything else is sent. {@link #snapshotState} calls it in every checkpoint, so a
         * checkpoint counts only rows ClickHouse has taken (or set aside as refused).
         */
        private void awaitInFlight() throws IOException {
            if (inFlight == null) {
                return;
            }
            CompletableFuture<HttpResponse<String>> answer = inFlight;
            inFlight = null;
            insert(insertUri, sink.table.table(), Body.of(sending), inFlightRowEnds, answer, true);
            lastBatchMillis = (System.nanoTime() - inFlightStart) / 1_000_000;
            lastBatchRows = inFlightRows;
            batchesWritten.inc();
            sending.reset();
            inFlightRowEnds = null;
        }

        /**
         * Sees {@code body} (rows ending at {@code rowEnds}) into {@code table}: {@code first} is the
         * answer to a request already sent (or null). A refusal for the data splits the rows in halves
         * until each refused row is alone ({@code splitRefused}), then sets it aside; any other failure
         * holds: retried with back-off until it succeeds or the task is cancelled.
         */
        private void insert(
                URI uri,
                String table,
                Body body,
                int[] rowEnds,
                CompletableFuture<HttpResponse<String>> first,
                boolean splitRefused)
                throws IOException {
            for (int attempt = 0; ; attempt++) {
                String problem;
                String refusal = null;
                try {
                    HttpResponse<String> response = attempt == 0 && first != null
                            ? first.get()
                            : client.send(
                                    request(uri, body.publisher().get()),
                                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    if (response.statusCode() == 200) {
                        if (uri == insertUri) {
                            rowsWritten.inc(rowEnds.length);
                        }
                        held = 0;
                        return;
                    }
                    problem = "ClickHouse answered " + response.statusCode() + " to an insert of " + rowEnds.length
                            + " rows into " + table + ": " + response.body().trim();
                    if (refusesRows(response.statusCode(), response.body())) {
                        refusal = response.body().trim();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing to ClickHouse table " + table, e);
                } catch (IOException | ExecutionException e) {
                    problem = e instanceof ExecutionException ? String.valueOf(e.getCause()) : e.getMessage();
                }
                if (refusal != null) {
                    held = 0;
                    if (splitRefused) {
                        setAsideRefused(body.bytes().get(), rowEnds, refusal);
                    } else {
                        // A dead letter refused itself: it has nowhere else to go but the log.
                        LOG.error(
                                "ClickHouse refused a row of {}; logged here, not stored: {} (row, base64: {})",
                                table,
                                problem,
                                java.util.Base64.getEncoder()
                                        .encodeToString(body.bytes().get()));
                    }
                    return;
                }
                retries.inc();
                if (attempt < sink.batching.maxRetries()) {
                    LOG.warn("insert into {} failed (attempt {}), retrying: {}", table, attempt + 1, problem);
                } else {
                    held = 1;
                    LOG.error(
                            "insert into {} failed {} times; holding the pipeline and retrying until ClickHouse takes it"
                                    + " (nothing is dropped, the job does not restart): {}",
                            table,
                            attempt + 1,
                            problem);
                }
                backOff(attempt, table);
            }
        }

        /** A batch refused for its data: its halves are inserted, down to single refused rows, which go to the dead letters. */
        private void setAsideRefused(byte[] body, int[] rowEnds, String message) throws IOException {
            if (rowEnds.length == 1) {
                reject(body, message);
                return;
            }
            int half = rowEnds.length / 2;
            int split = rowEnds[half - 1];
            int[] left = java.util.Arrays.copyOf(rowEnds, half);
            int[] right = new int[rowEnds.length - half];
            for (int i = 0; i < right.length; i++) {
                right[i] = rowEnds[half + i] - split;
            }
            insert(
                    insertUri,
                    sink.table.table(),
                    Body.of(java.util.Arrays.copyOfRange(body, 0, split)),
                    left,
                    null,
                    true);
            insert(
                    insertUri,
                    sink.table.table(),
                    Body.of(java.util.Arrays.copyOfRange(body, split, body.length)),
                    right,
                    null,
                    true);
        }

        /** One row ClickHouse refuses: a dead letter with the server's message and the row's bytes, and the job goes on. */
        private void reject(byte[] row, String message) throws IOException {
            rowsRejected.inc();
            LOG.warn(
                    "ClickHouse refused a row of {} ({} bytes); it goes to the dead letters: {}",
                    sink.table.table(),
                    row.length,
                    ClickHouseHttp.oneLine(new IOException(message)));
            if (sink.rejects == null) {
                return;
            }
            DeadLetter deadLetter = rejectedRow(sink.table.table(), row, message);
            RowBuffer encoded = new RowBuffer();
            sink.rejects.writeRow(new RowBinaryFormatSerializer(encoded), deadLetter);
            byte[] bytes = encoded.toByteArray();
            URI uri = URI.create(
                    sink.httpUrl + "/?query=" + URLEncoder.encode(sink.rejects.insertSql(), StandardCharsets.UTF_8));
            insert(uri, sink.rejects.table(), Body.of(bytes), new int[] {bytes.length}, null, false);
        }

        private HttpRequest request(URI uri, HttpRequest.BodyPublisher body) {
            return HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/octet-stream")
                    .POST(body)
                    .build();
        }

        /**
         * An insert's body: sent as it is (a batch from its buffer's chunks, {@link RowBuffer#body}), and
         * copied into one array only when a refused batch is split into rows.
         */
        private record Body(
                java.util.function.Supplier<HttpRequest.BodyPublisher> publisher,
                java.util.function.Supplier<byte[]> bytes) {
            static Body of(byte[] bytes) {
                return new Body(() -> HttpRequest.BodyPublishers.ofByteArray(bytes), () -> bytes);
            }

            static Body of(RowBuffer buffer) {
                return new Body(buffer::body, buffer::toByteArray);
            }
        }
    }
}
