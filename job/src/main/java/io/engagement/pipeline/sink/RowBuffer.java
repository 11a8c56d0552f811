package io.engagement.pipeline.sink;

import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one batch of RowBinary rows, as the target of ClickHouse's own RowBinary serializer.
 * Not {@code ByteArrayOutputStream}: its methods are synchronized, and the serializer writes a few
 * bytes at a time, some forty calls per row, all from the task thread.
 *
 * <p>Held in chunks of {@value #CHUNK} bytes, kept for the next batch, and sent as they are ({@link
 * #body}): a batch of up to {@code clickhouse.batch-mb} is never copied and never one array. A
 * contiguous, growing array was copied for every send and grew to twice the batch size; arrays that
 * large are "humongous" to G1 (larger than half a heap region), allocated in the old generation, and
 * they kept the TaskManager's heap so full that it collected several times a second
 * (docs/benchmarks.md, issue 20, twelfth session).
 */
final class RowBuffer extends OutputStream {

    /** Well below half of G1's smallest region (1 MB), so no chunk is a humongous object. */
    static final int CHUNK = 128 * 1024;

    private final List<byte[]> chunks = new ArrayList<>();
    /** The chunk being written, its index in {@link #chunks} and the bytes written to it. */
    private byte[] current;

    private int currentIndex;
    private int position;
    /** Bytes in the chunks before {@link #current}. */
    private int before;

    RowBuffer() {
        current = new byte[CHUNK];
        chunks.add(current);
    }

    @Override
    public void write(int b) {
        if (position == CHUNK) {
            nextChunk();
        }
        current[position++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            if (position == CHUNK) {
                nextChunk();
            }
            int n = Math.min(len, CHUNK - position);
            System.arraycopy(b, off, current, position, n);
            position += n;
            off += n;
            len -= n;
        }
    }

    int size() {
        return before + position;
    }

    /** A copy of the bytes in one array: for the rare paths that split a batch into rows. */
    byte[] toByteArray() {
        byte[] bytes = new byte[size()];
        int at = 0;
        for (int i = 0; i < currentIndex; i++) {
            System.arraycopy(chunks.get(i), 0, bytes, at, CHUNK);
            at += CHUNK;
        }
        System.arraycopy(current, 0, bytes, at, position);
        return bytes;
    }

    /**
     * The bytes as a request body, without a copy: valid until {@link #reset}, so the buffer must not
     * be written or reset while a request with this body may still be sending it.
     */
    HttpRequest.BodyPublisher body() {
        if (currentIndex == 0) {
            return HttpRequest.BodyPublishers.ofByteArray(current, 0, position);
        }
        HttpRequest.BodyPublisher[] parts = new HttpRequest.BodyPublisher[currentIndex + 1];
        for (int i = 0; i < currentIndex; i++) {
            parts[i] = HttpRequest.BodyPublishers.ofByteArray(chunks.get(i), 0, CHUNK);
        }
        parts[currentIndex] = HttpRequest.BodyPublishers.ofByteArray(current, 0, position);
        return HttpRequest.BodyPublishers.concat(parts);
    }

    /** Empties the buffer and keeps its chunks for the next batch. */
    void reset() {
        currentIndex = 0;
        current = chunks.get(0);
        position = 0;
        before = 0;
    }

    private void nextChunk() {
        before += CHUNK;
        currentIndex++;
        if (currentIndex == chunks.size()) {
            chunks.add(new byte[CHUNK]);
        }
        current = chunks.get(currentIndex);
        position = 0;
    }
}
