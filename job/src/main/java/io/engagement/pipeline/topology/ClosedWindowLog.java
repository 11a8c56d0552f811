package io.engagement.pipeline.topology;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where partials go that reach a window after its allowed lateness (the windows' late side output).
 * Lateness is decided before the windows on the same watermark ({@code late_events}), so this happens
 * only when a watermark overtook a record (an input resuming after idleness). The events themselves are
 * in {@code engagement_events} already; a partial folds several events, so it has no event row of its
 * own for {@code late_events}: it is counted ({@code window_closed_partials}) and logged with its window.
 */
final class ClosedWindowLog<T> implements Sink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ClosedWindowLog.class);

    private final String windows;

    ClosedWindowLog(String windows) {
        this.windows = windows;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Counter closed = context.metricGroup().addGroup("engagement").counter("window_closed_partials");
        return new SinkWriter<>() {
            @Override
            public void write(T partial, Context context) {
                closed.inc();
                LOG.warn(
                        "{}: a partial reached its window after the allowed lateness and is not counted there"
                                + " (window end {}, watermark {}): {}",
                        windows,
                        context.timestamp(),
                        context.currentWatermark(),
                        partial);
            }

            @Override
            public void flush(boolean endOfInput) {
                // nothing buffered
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }
}
