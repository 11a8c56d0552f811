package io.engagement.pipeline.serde;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Base of the hand-written serializers of records that only cross shuffles and chained copies, never
 * state: Flink's PojoSerializer reads and writes every field through reflection, boxing numbers, and
 * initialises every field of a new instance the same way (docs/benchmarks.md). A subclass writes the
 * fields in its own order, which may change with the class (nothing restores it from a checkpoint).
 * Subclasses keep no state and have a public no-argument constructor: one instance serves every
 * thread, and the snapshot Flink's contract asks for names the class only.
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

    @Override
    public final TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(getClass());
    }

    /** The serializer's class, restored by its no-argument constructor; compatible as long as the class is the same. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private Class<?> serializerClass;

        /** For Flink's reflective instantiation before {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(Class<?> serializerClass) {
            this.serializerClass = serializerClass;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(serializerClass.getName());
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
                throws IOException {
            String name = in.readUTF();
            try {
                serializerClass = Class.forName(name, false, userCodeClassLoader);
            } catch (ClassNotFoundException e) {
                throw new IOException("serializer class " + name + " not found", e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<T> restoreSerializer() {
            try {
                return (TypeSerializer<T>)
                        serializerClass.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot instantiate " + serializerClass.getName(), e);
            }
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
            return oldSnapshot instanceof Snapshot<T> old && old.serializerClass == serializerClass
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
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
