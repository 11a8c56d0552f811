package io.engagement.pipeline.aggregate;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The window accumulator's own serializer, for window state in RocksDB and for every partial that
 * crosses a shuffle. Flink's {@code PojoSerializer} it replaces sets and reads the 52 fields by
 * reflection and builds each instance through a reflective constructor: about a tenth of the task
 * threads' time on the stack benchmark (docs/benchmarks.md). State written by releases with the
 * POJO format restores through Flink's state migration: the snapshot resolves a
 * {@link PojoSerializerSnapshot} of this class as compatible after migration, so Flink reads the old
 * values with the restored POJO serializer and writes them in this format
 * ({@code StateSchemaCompatibilityTest}, {@code PreviousReleaseSavepointITCase}).
 *
 * <p>The format, in this order: the creator id (Flink's {@link StringValue} encoding, null
 * allowed); the counters as longs in {@link ContentCounter} order (the committed fixture of v6 fails
 * if that order changes), as many as the serializer's snapshot records (46 in v6); the pending plays (count, then the progress array with length,
 * -1 for null); the viewer sketch (exact hashes, DataSketches HLL image, legacy registers: each an
 * array with length, -1 for null; a leading flag for a null sketch); the watch-time sketch (zero
 * count, bucket indexes, bucket counts; a leading flag for null).
 *
 * <p>A new counter is appended to {@link ContentCounter}: the snapshot of earlier state records fewer
 * counters, restores a serializer that reads that many (the new ones read as 0) and resolves as
 * compatible after migration, so Flink rewrites the state with every counter. Anything else (a
 * reordered or removed counter, another field) needs a new snapshot version with a read path for this one.
 */
public final class ContentWindowAccumulatorSerializer extends TypeSerializer<ContentWindowAccumulator> {

    /** The counters this serializer reads and writes: every counter, or the first ones for older state. */
    private final ContentCounter[] counters;

    public ContentWindowAccumulatorSerializer() {
        this(ContentCounter.all().length);
    }

    /** A serializer of state written when {@link ContentCounter} had its first {@code counters} counters. */
    ContentWindowAccumulatorSerializer(int counters) {
        if (counters < 0 || counters > ContentCounter.all().length) {
            throw new IllegalArgumentException("state with " + counters + " counters; this build knows "
                    + ContentCounter.all().length + " (a counter was removed?)");
        }
        this.counters = java.util.Arrays.copyOf(ContentCounter.all(), counters);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<ContentWindowAccumulator> duplicate() {
        return this;
    }

    int counters() {
        return counters.length;
    }

    @Override
    public ContentWindowAccumulator createInstance() {
        return new ContentWindowAccumulator();
    }

    @Override
    public ContentWindowAccumulator copy(ContentWindowAccumulator from) {
        ContentWindowAccumulator to = new ContentWindowAccumulator();
        to.creatorId = from.creatorId;
        to.addCounters(from, 1); // to starts at zero: a copy of every counter
        to.pendingPlays = from.pendingPlays;
        to.pendingPlayProgress = from.pendingPlayProgress == null ? null : from.pendingPlayProgress.clone();
        to.viewers = copy(from.viewers);
        to.playWatchTimes = copy(from.playWatchTimes);
        return to;
    }

    /** A viewer sketch as this format writes it (also inside other network records: the country partials). */
    static void writeViewers(UniqueViewerSketch viewers, DataOutputView out) throws IOException {
        out.writeBoolean(viewers != null);
        if (viewers != null) {
            writeLongs(viewers.exactHashes, out);
            writeBytes(viewers.hll, out);
            writeBytes(viewers.registers, out);
        }
    }

    /** Reads into {@code viewers} (a new record's empty sketch); null if none was written. */
    static UniqueViewerSketch readViewers(DataInputView in, UniqueViewerSketch viewers) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        viewers.exactHashes = readLongs(in);
        viewers.hll = readBytes(in);
        viewers.registers = readBytes(in);
        return viewers;
    }

    static UniqueViewerSketch copy(UniqueViewerSketch from) {
        if (from == null) {
            return null;
        }
        UniqueViewerSketch to = new UniqueViewerSketch();
        to.exactHashes = from.exactHashes == null ? null : from.exactHashes.clone();
        to.hll = from.hll == null ? null : from.hll.clone();
        to.registers = from.registers == null ? null : from.registers.clone();
        return to;
    }

    static WatchTimeSketch copy(WatchTimeSketch from) {
        if (from == null) {
            return null;
        }
        WatchTimeSketch to = new WatchTimeSketch();
        to.zeroCount = from.zeroCount;
        to.bucketIndexes = from.bucketIndexes == null ? null : from.bucketIndexes.clone();
        to.bucketCounts = from.bucketCounts == null ? null : from.bucketCounts.clone();
        return to;
    }

    @Override
    public ContentWindowAccumulator copy(ContentWindowAccumulator from, ContentWindowAccumulator reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ContentWindowAccumulator a, DataOutputView out) throws IOException {
        StringValue.writeString(a.creatorId, out);
        if (counters.length == ContentCounter.all().length) {
            a.writeCounters(out);
        } else {
            for (ContentCounter counter : counters) {
                out.writeLong(a.counter(counter));
            }
        }
        out.writeInt(a.pendingPlays);
        writeDoubles(a.pendingPlayProgress, out);
        writeViewers(a.viewers, out);
        WatchTimeSketch watchTimes = a.playWatchTimes;
        out.writeBoolean(watchTimes != null);
        if (watchTimes != null) {
            out.writeLong(watchTimes.zeroCount);
            writeInts(watchTimes.bucketIndexes, out);
            writeLongs(watchTimes.bucketCounts, out);
        }
    }

    @Override
    public ContentWindowAccumulator deserialize(DataInputView in) throws IOException {
        ContentWindowAccumulator a = new ContentWindowAccumulator();
        a.creatorId = StringValue.readString(in);
        if (counters.length == ContentCounter.all().length) {
            a.readCounters(in);
        } else {
            for (ContentCounter counter : counters) {
                a.setCounter(counter, in.readLong());
            }
        }
        a.pendingPlays = in.readInt();
        a.pendingPlayProgress = readDoubles(in);
        a.viewers = readViewers(in, a.viewers);
        if (in.readBoolean()) {
            WatchTimeSketch watchTimes = a.playWatchTimes;
            watchTimes.zeroCount = in.readLong();
            watchTimes.bucketIndexes = readInts(in);
            watchTimes.bucketCounts = readLongs(in);
        } else {
            a.playWatchTimes = null;
        }
        return a;
    }

    @Override
    public ContentWindowAccumulator deserialize(ContentWindowAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeLongs(long[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (long value : values) {
                out.writeLong(value);
            }
        }
    }

    private static long[] readLongs(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static void writeInts(int[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (int value : values) {
                out.writeInt(value);
            }
        }
    }

    private static int[] readInts(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static void writeDoubles(double[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (double value : values) {
                out.writeDouble(value);
            }
        }
    }

    private static double[] readDoubles(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    private static void writeBytes(byte[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            out.write(values);
        }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] values = new byte[length];
        in.readFully(values);
        return values;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ContentWindowAccumulatorSerializer other && other.counters.length == counters.length;
    }

    @Override
    public int hashCode() {
        return 31 * ContentWindowAccumulatorSerializer.class.hashCode() + counters.length;
    }

    @Override
    public TypeSerializerSnapshot<ContentWindowAccumulator> snapshotConfiguration() {
        return new Snapshot(counters.length);
    }

    /**
     * Version 1: the number of counters of the format above. Earlier state of this serializer with
     * fewer counters, and state of the POJO format (releases before this serializer), are compatible
     * after migration: Flink reads it with the serializer the old snapshot restores and rewrites it.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<ContentWindowAccumulator> {
        private int counters;

        /** For Flink, which reads the rest with {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(int counters) {
            this.counters = counters;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(counters);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
                throws IOException {
            if (readVersion != 1) {
                throw new IOException(
                        "window accumulator serializer snapshot version " + readVersion + " is newer than this build");
            }
            counters = in.readInt();
        }

        @Override
        public TypeSerializer<ContentWindowAccumulator> restoreSerializer() {
            return new ContentWindowAccumulatorSerializer(counters);
        }

        @Override
        public TypeSerializerSchemaCompatibility<ContentWindowAccumulator> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ContentWindowAccumulator> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof Snapshot old) {
                if (old.counters == counters) {
                    return TypeSerializerSchemaCompatibility.compatibleAsIs();
                }
                return old.counters < counters
                        ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                        : TypeSerializerSchemaCompatibility.incompatible();
            }
            if (oldSerializerSnapshot instanceof PojoSerializerSnapshot<ContentWindowAccumulator> pojo
                    && pojo.restoreSerializer().createInstance() instanceof ContentWindowAccumulator) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
