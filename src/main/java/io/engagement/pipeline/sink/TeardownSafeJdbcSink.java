package io.engagement.pipeline.sink;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * The JDBC sink with one change: closing its writer never throws. The JDBC writer remembers a failed
 * background flush (ClickHouse down) and rethrows it from {@code close()}; when that happens while
 * Flink is already failing the task over, Flink treats it as a fatal error and shuts down the whole
 * TaskManager, which a standalone cluster does not restart. Nothing is lost by logging instead: rows
 * only count as written once a checkpoint's flush (or the end-of-input flush) succeeded, and those
 * flushes still fail loudly; a restore replays everything after the last checkpoint.
 */
public final class TeardownSafeJdbcSink<T>
        implements Sink<T>, SupportsWriterState<T, JdbcWriterState>, SupportsCommitter<JdbcCommitable> {

    private static final Logger LOG = LoggerFactory.getLogger(TeardownSafeJdbcSink.class);

    private final JdbcSink<T> delegate;
    private final String table;

    public TeardownSafeJdbcSink(JdbcSink<T> delegate, String table) {
        this.delegate = delegate;
        this.table = table;
    }

    @Override
    public Writer<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(delegate.createWriter(context), table);
    }

    @Override
    public Writer<T> restoreWriter(WriterInitContext context, Collection<JdbcWriterState> state) throws IOException {
        return new Writer<>(delegate.restoreWriter(context, state), table);
    }

    @Override
    public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context) throws IOException {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    /** Delegates everything; only {@link #close()} turns a failure into a warning. */
    static final class Writer<T>
            implements StatefulSinkWriter<T, JdbcWriterState>, CommittingSinkWriter<T, JdbcCommitable> {
        private final JdbcWriter<T> delegate;
        private final String table;

        Writer(JdbcWriter<T> delegate, String table) {
            this.delegate = delegate;
            this.table = table;
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            delegate.write(element, context);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            delegate.flush(endOfInput);
        }

        @Override
        public Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
            return delegate.prepareCommit();
        }

        @Override
        public List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } catch (Exception e) {
                LOG.warn("Closing the ClickHouse writer for {} failed; rows after the last checkpoint are replayed on restore", table, e);
            }
        }
    }
}
