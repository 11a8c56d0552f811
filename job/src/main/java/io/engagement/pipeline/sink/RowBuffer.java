package io.engagement.pipeline.sink;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * The bytes of one batch of RowBinary rows, as the target of ClickHouse's own RowBinary serializer.
 * Not {@code ByteArrayOutputStream}: its methods are synchronized, and the serializer writes a few
 * bytes at a time, some forty calls per row, all from the task thread.
 */
final class RowBuffer extends OutputStream {

    private byte[] bytes = new byte[1 << 16];
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Empties the buffer and keeps its capacity for the next batch. */
    void reset() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
