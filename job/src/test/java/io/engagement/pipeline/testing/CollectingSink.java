package io.engagement.pipeline.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * In-memory sink for topology tests on a MiniCluster (same JVM): records land in a static registry
 * under this sink's id, so the test can read them after the job finished.
 */
public final class CollectingSink<T> implements Sink<T> {

    private static final Map<String, List<Object>> RECORDS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        RECORDS.put(id, java.util.Collections.synchronizedList(new ArrayList<>()));
    }

    @SuppressWarnings("unchecked")
    public List<T> records() {
        synchronized (RECORDS.get(id)) {
            return new ArrayList<>((List<T>) (List<?>) RECORDS.get(id));
        }
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> target = RECORDS.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) {
                target.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
