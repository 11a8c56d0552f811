package io.engagement.pipeline.sink;

import io.engagement.pipeline.clickhouse.ClickHouseHttp;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Writes rows to one ClickHouse table over its HTTP interface, a batch per request as
 * {@code INSERT ... FORMAT TabSeparated} ({@link ClickHouseTable} renders the rows). At least once: a
 * batch is sent when it is full and when its oldest row has waited the flush interval, with one
 * request in flight while the next batch fills; before a checkpoint completes ({@link #flush}) the
 * rest is sent and every request awaited, so every row before a checkpoint is in ClickHouse when the
 * checkpoint counts; a restore replays the rest, and the tables' ReplacingMergeTree keys make
 * the replay idempotent (docs/guarantees.md).
 *
 * <p>Why not the JDBC sink: the jdbc-v2 driver re-parsed the statement and encoded every bound value
 * per row; on the stack benchmark that was 14 % of the TaskManager's CPU (docs/benchmarks.md). Text
 * rows built straight from the fields are what the driver sent anyway. Credentials go in a Basic auth
 * header, never in the URL (which ClickHouse logs).
 *
 * <p>A failed request is retried with back-off ({@code clickhouse.max-retries}); then the write or the
 * checkpoint fails and Flink restarts from the last checkpoint. {@link Writer#close()} never throws:
 * a failure while Flink is already tearing the task down would otherwise be fatal to the whole
 * TaskManager, and nothing unflushed counts as written anyway.
 */
public final class ClickHouseHttpSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final ClickHouseTable<T> table;
    private final String httpUrl;
    private final String user;
    private final String password;
    private final int batchSize;
    private final long flushIntervalMs;
    private final int maxRetries;
    private final boolean sendOnWatermark;
    static final long WATERMARK_SEND_SPACING_MS = 250;

    public ClickHouseHttpSink(ClickHouseTable<T> table, String httpUrl, String user, String password,
                              int batchSize, Duration flushInterval, int maxRetries) {
        this(table, httpUrl, user, password, batchSize, flushInterval, maxRetries, false);
    }

    /**
     * @param sendOnWatermark for tables of window rows: the rows a watermark fired arrive just before
     *     that watermark reaches the writer, so the watermark sends them at once instead of after the
     *     flush interval (at most one such send per {@link #WATERMARK_SEND_SPACING_MS}, so a backfill,
     *     whose watermarks fire windows several times a second, still sends few, large inserts)
     */
    public ClickHouseHttpSink(ClickHouseTable<T> table, String httpUrl, String user, String password,
                              int batchSize, Duration flushInterval, int maxRetries, boolean sendOnWatermark) {
        this.sendOnWatermark = sendOnWatermark;
        this.table = table;
        this.httpUrl = httpUrl.endsWith("/") ? httpUrl.substring(0, httpUrl.length() - 1) : httpUrl;
        this.user = user;
        this.password = password;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushInterval.toMillis();
        this.maxRetries = maxRetries;
    }

    public String table() {
        return table.table();
    }

    @Override
    public Writer<T> createWriter(WriterInitContext context) {
        return new Writer<>(this, context);
    }

    /** Buffers rows as text and sends them in batches. Runs in the task thread (timers too). */
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
        private final StringBuilder buffer = new StringBuilder(1 << 16);
        private int rows;
        private boolean timerPending;
        /** The batch sent and not yet answered (at most one), its body for a retry, its size and start. */
        private CompletableFuture<HttpResponse<String>> inFlight;
        private byte[] inFlightBody;
        private int inFlightRows;
        private long inFlightStart;
        private long lastSendStartNanos = System.nanoTime() - WATERMARK_SEND_SPACING_MS * 1_000_000;
        private IOException timerFailure;

        Writer(ClickHouseHttpSink<T> sink, WriterInitContext context) {
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
        }

        @Override
        public void write(T row, Context context) throws IOException {
            rethrowTimerFailure();
            sink.table.writeRow(buffer, row);
            rows++;
            if (rows >= sink.batchSize) {
                send();
            } else if (!timerPending) {
                timerPending = true;
                time.registerTimer(time.getCurrentProcessingTime() + sink.flushIntervalMs, ignored -> {
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
            if (sink.sendOnWatermark && rows > 0
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
            inFlightBody = buffer.toString().getBytes(StandardCharsets.UTF_8);
            inFlightRows = rows;
            inFlightStart = System.nanoTime();
            lastSendStartNanos = inFlightStart;
            inFlight = client.sendAsync(request(inFlightBody), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            rows = 0;
            buffer.setLength(0); // keeps its capacity for the next batch
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
                    if (attempt >= sink.maxRetries) {
                        throw new IOException("writing " + inFlightRows + " rows to ClickHouse table " + sink.table.table()
                                + " failed after " + (attempt + 1) + " attempts: " + problem, e);
                    }
                    retries.inc();
                    LOG.warn("insert into {} failed (attempt {} of {}), retrying: {}", sink.table.table(), attempt + 1,
                            sink.maxRetries + 1, problem);
                    try {
                        Thread.sleep(Math.min(10_000L, 200L << Math.min(attempt, 6)));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while retrying an insert into " + sink.table.table(), interrupted);
                    }
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
                    .header("Content-Type", "text/tab-separated-values; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        }
    }
}
