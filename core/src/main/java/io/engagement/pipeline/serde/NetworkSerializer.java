package io.engagement.pipeline.serde;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Base of the hand-written serializers of records that only cross shuffles and chained copies, never
 * state: Flink's PojoSerializer reads and writes every field through reflection, boxing numbers, and
 * initialises every field of a new instance the same way (docs/benchmarks.md). A subclass writes the
 * fields in its own order, which may change with the class (nothing restores it from a checkpoint),
 * and declares a {@code Snapshot} for Flink's contract. Subclasses keep no state, so one instance
 * serves every thread.
 */
public abstract class NetworkSerializer<T> extends TypeSerializer<T> {

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public final boolean equals(Object obj) {
        return obj != null && obj.getClass() == getClass();
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode();
    }

    /** A string array, null and null elements allowed. */
    protected static void writeStrings(String[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (String value : values) {
                StringValue.writeString(value, out);
            }
        }
    }

    protected static String[] readStrings(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        String[] values = new String[length];
        for (int i = 0; i < length; i++) {
            values[i] = StringValue.readString(in);
        }
        return values;
    }
}
