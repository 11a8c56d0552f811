package io.engagement.pipeline.sink;

import io.engagement.pipeline.clickhouse.ClickHouseHttp;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.clickhouse.client.api.data_formats.RowBinaryFormatSerializer;

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

/**
 * Writes rows to one ClickHouse table over its HTTP interface, a batch per request as
 * {@code INSERT ... FORMAT RowBinary} ({@link ClickHouseTable} encodes the rows). At least once: a
 * batch is sent when it is full (rows or bytes) and when its oldest row has waited the flush interval, with one
 * request in flight while the next batch fills; before a checkpoint completes ({@link #flush}) the
 * rest is sent and every request awaited, so every row before a checkpoint is in ClickHouse when the
 * checkpoint counts; a restore replays the rest, and the tables' ReplacingMergeTree keys make
 * the replay idempotent (docs/guarantees.md).
 *
 * <p>Why not the JDBC sink: the jdbc-v2 driver re-parsed the statement and encoded every bound value
 * per row; on the stack benchmark that was 14 % of the TaskManager's CPU (docs/benchmarks.md). Rows
 * encoded straight from the fields by the driver's own RowBinary serializer, in batches as large as
 * the flush interval allows, cost neither (docs/clickhouse.md, "How the job writes"). Credentials go
 * in a Basic auth header, never in the URL (which ClickHouse logs).
 *
 * <p>A failed request is retried with back-off ({@code clickhouse.max-retries}); then the write or the
 * checkpoint fails and Flink restarts from the last checkpoint. {@link Writer#close()} never throws:
 * a failure while Flink is already tearing the task down would otherwise be fatal to the whole
 * TaskManager, and nothing unflushed counts as written anyway.
 */
public final class ClickHouseHttpSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /**
     * When a batch is sent: at {@code maxRows} rows or {@code maxBytes} of encoded rows, or when its
     * oldest row has waited {@code flushInterval}; a failed insert is retried {@code maxRetries} times.
     */
    public record Batching(int maxRows, long maxBytes, Duration flushInterval, int maxRetries) implements java.io.Serializable {
        public Batching {
            if (maxRows <= 0 || maxBytes <= 0 || flushInterval.isNegative() || flushInterval.isZero() || maxRetries < 0) {
                throw new IllegalArgumentException("invalid ClickHouse batching " + maxRows + " rows, " + maxBytes + " bytes, "
                        + flushInterval + ", " + maxRetries + " retries");
            }
        }
    }

    /** For {@code liveWatermarkLag}: a writer whose rows never go on the watermark. */
    public static final Duration NEVER_ON_WATERMARK = Duration.ZERO;
    static final long WATERMARK_SEND_SPACING_MS = 250;

    private final ClickHouseTable<T> table;
    private final String httpUrl;
    private final String user;
    private final String password;
    private final Batching batching;
    private final long liveWatermarkLagMs;

    /**
     * @param liveWatermarkLag for tables of window rows: while the watermark is at most this far behind
     *     the wall clock (the job is live), the rows a watermark fired, which arrive just before it,
     *     are sent when it arrives instead of after the flush interval (at most one such send per
     *     {@link #WATERMARK_SEND_SPACING_MS}). Further behind, the job is catching up and they wait
     *     for a full batch or the flush interval like any row. {@link #NEVER_ON_WATERMARK} for other tables.
     */
    public ClickHouseHttpSink(ClickHouseTable<T> table, String httpUrl, String user, String password,
                              Batching batching, Duration liveWatermarkLag) {
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

    /**
     * Fails, naming the table and every column, when the table's columns are not what the writer
     * encodes: RowBinary carries no types, so a wrong width would corrupt rows instead of failing.
     * Run by every writer when it starts (a restore into a changed schema) and by the job before it
     * is submitted ({@link ClickHouseOutputs#checkColumns}).
     *
     * @param retries of a DESCRIBE that fails (server unreachable), with the inserts' back-off
     */
    void checkColumns(int retries) throws IOException {
        ClickHouseHttp http = new ClickHouseHttp(httpUrl, user, password);
        String describe;
        for (int attempt = 0; ; attempt++) {
            try {
                describe = http.execute("DESCRIBE TABLE " + table.table() + " FORMAT TabSeparated");
                break;
            } catch (IOException e) {
                if (attempt >= retries) {
                    throw new IOException("cannot read the columns of ClickHouse table " + table.table() + " at " + httpUrl
                            + " (clickhouse.url, clickhouse.database; the tables come from sql/ddl/ through ApplySchema): "
                            + ClickHouseHttp.oneLine(e), e);
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

    /** The wait before retry {@code attempt + 1}: 200 ms doubling, at most 10 s. */
    private static void backOff(int attempt, String table) throws IOException {
        try {
            Thread.sleep(Math.min(10_000L, 200L << Math.min(attempt, 6)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while retrying a request to ClickHouse table " + table, interrupted);
        }
    }

    /** Buffers rows in RowBinary and sends them in batches. Runs in the task thread (timers too). */
    public static final class Writer<T> implements SinkWriter<T> {
        private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

        private final ClickHouseHttpSink<T> sink;
        private final ProcessingTimeService time;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI insertUri;
        private final String authorization;
        private final Counter rowsWritten;
        private final Counter batchesWritten;
        private final Counter retries;
        private volatile long lastBatchRows;
        private volatile long lastBatchMillis;
        private final RowBuffer buffer = new RowBuffer();
        private final RowBinaryFormatSerializer rowBinary = new RowBinaryFormatSerializer(buffer);
        private int rows;
        private boolean timerPending;
        /** The batch sent and not yet answered (at most one), its body for a retry, its size and start. */
        private CompletableFuture<HttpResponse<String>> inFlight;
        private byte[] inFlightBody;
        private int inFlightRows;
        private long inFlightStart;
        private long lastSendStartNanos = System.nanoTime() - WATERMARK_SEND_SPACING_MS * 1_000_000;
        private IOException timerFailure;

        Writer(ClickHouseHttpSink<T> sink, WriterInitContext context) throws IOException {
            this.sink = sink;
            this.time = context.getProcessingTimeService();
            this.insertUri = URI.create(sink.httpUrl + "/?query=" + URLEncoder.encode(sink.table.insertSql(), StandardCharsets.UTF_8));
            this.authorization = ClickHouseHttp.basicAuthorization(sink.user, sink.password);
            var metrics = context.metricGroup().addGroup("clickhouse_table", sink.table.table());
            this.rowsWritten = metrics.counter("rowsWritten");
            this.batchesWritten = metrics.counter("batchesWritten");
            this.retries = metrics.counter("batchRetries");
            metrics.gauge("lastBatchRows", () -> lastBatchRows);
            metrics.gauge("lastBatchMillis", () -> lastBatchMillis);
            // Retried like an insert: a writer restarting while ClickHouse is briefly away waits for it.
            sink.checkColumns(sink.batching.maxRetries());
        }

        @Override
        public void write(T row, Context context) throws IOException {
            rethrowTimerFailure();
            sink.table.writeRow(rowBinary, row);
            rows++;
            if (rows >= sink.batching.maxRows() || buffer.size() >= sink.batching.maxBytes()) {
                send();
            } else if (!timerPending) {
                timerPending = true;
                time.registerTimer(time.getCurrentProcessingTime() + sink.batching.flushInterval().toMillis(), ignored -> {
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
            if (rows > 0 && sink.liveWatermarkLagMs > 0
                    && watermark.getTimestamp() >= System.currentTimeMillis() - sink.liveWatermarkLagMs
                    && System.nanoTime() - lastSendStartNanos >= WATERMARK_SEND_SPACING_MS * 1_000_000) {
                rethrowTimerFailure();
                send();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            rethrowTimerFailure();
            send();
            awaitInFlight();
        }

        @Override
        public void close() {
            if (rows > 0 || inFlight != null) {
                LOG.info("closing the ClickHouse writer of {} with {} unflushed rows{}: a restore replays them", sink.table.table(),
                        rows, inFlight == null ? "" : " and a batch of " + inFlightRows + " in flight");
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
            inFlightBody = buffer.toByteArray();
            inFlightRows = rows;
            inFlightStart = System.nanoTime();
            lastSendStartNanos = inFlightStart;
            inFlight = client.sendAsync(request(inFlightBody), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            rows = 0;
            buffer.reset(); // keeps its capacity for the next batch
        }

        /**
         * Waits for the batch in flight; a failed attempt is retried here, in the task thread, with
         * back-off ({@code clickhouse.max-retries}), before anything else is sent. {@link #flush}
         * calls it before every checkpoint, so a checkpoint counts only rows ClickHouse has answered.
         */
        private void awaitInFlight() throws IOException {
            if (inFlight == null) {
                return;
            }
            CompletableFuture<HttpResponse<String>> answer = inFlight;
            inFlight = null;
            for (int attempt = 0; ; attempt++) {
                try {
                    HttpResponse<String> response = attempt == 0 ? answer.get()
                            : client.send(request(inFlightBody), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    if (response.statusCode() == 200) {
                        break;
                    }
                    throw new IOException("ClickHouse answered " + response.statusCode() + " to an insert of " + inFlightRows
                            + " rows into " + sink.table.table() + ": " + response.body().trim());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing to ClickHouse table " + sink.table.table(), e);
                } catch (IOException | ExecutionException e) {
                    String problem = e instanceof ExecutionException ? String.valueOf(e.getCause()) : e.getMessage();
                    if (attempt >= sink.batching.maxRetries()) {
                        throw new IOException("writing " + inFlightRows + " rows to ClickHouse table " + sink.table.table()
                                + " failed after " + (attempt + 1) + " attempts: " + problem, e);
                    }
                    retries.inc();
                    LOG.warn("insert into {} failed (attempt {} of {}), retrying: {}", sink.table.table(), attempt + 1,
                            sink.batching.maxRetries() + 1, problem);
                    backOff(attempt, sink.table.table());
                }
            }
            lastBatchMillis = (System.nanoTime() - inFlightStart) / 1_000_000;
            lastBatchRows = inFlightRows;
            rowsWritten.inc(inFlightRows);
            batchesWritten.inc();
            inFlightBody = null;
        }

        private HttpRequest request(byte[] body) {
            return HttpRequest.newBuilder(insertUri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        }
    }
}
