package io.engagement.pipeline.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

/**
 * Records with every field set, by reflection, and compared field by field: the check that a
 * hand-written serializer misses no field of its class, so a field added to the record but not to
 * its serializer fails the record's serializer test. Nested records of this project are filled and
 * compared the same way.
 */
public final class EveryField {

    private EveryField() {}

    /** An instance of {@code type} with every field set to a non-default value, different for each field and seed. */
    public static <T> T set(Class<T> type, int seed) {
        try {
            T record = type.getDeclaredConstructor().newInstance();
            int n = seed * 1000;
            for (Field f : fields(type)) {
                n++;
                f.set(record, valueOf(f, n, seed));
            }
            return record;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object valueOf(Field f, int n, int seed) {
        Class<?> t = f.getType();
        if (t == String.class) {
            return f.getName() + "-" + n;
        } else if (t == long.class || t == Long.class) {
            return 1_000_000_000_000L + n;
        } else if (t == int.class || t == Integer.class) {
            return 100 + n;
        } else if (t == double.class || t == Double.class) {
            return n / 7.0;
        } else if (t == boolean.class || t == Boolean.class) {
            return true;
        } else if (t == String[].class) {
            return new String[] {f.getName() + "-a", "\u00e9-" + n, null};
        } else if (t == long[].class) {
            return new long[] {n, -n, Long.MAX_VALUE};
        } else if (t == byte[].class) {
            return new byte[] {(byte) n, 0, -1};
        } else if (t.isEnum()) {
            Object[] constants = t.getEnumConstants();
            return constants[(n + seed) % constants.length];
        } else if (isProjectRecord(t)) {
            return set(t, n);
        }
        throw new AssertionError("field " + f.getName() + " has a type this test does not know: " + t
                + "; teach the serializer and EveryField about it");
    }

    /** True when every field of {@code a} and {@code b} is equal, arrays by content, nested records field by field. */
    public static boolean same(Object a, Object b) {
        if (a == null || b == null || !isProjectRecord(a.getClass())) {
            return Objects.deepEquals(a, b);
        }
        if (a.getClass() != b.getClass()) {
            return false;
        }
        try {
            for (Field f : fields(a.getClass())) {
                if (!same(f.get(a), f.get(b))) {
                    return false;
                }
            }
            return true;
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** For Flink's {@code SerializerTestBase}: records of {@code type} compared with {@link #same}. */
    public static DeeplyEqualsChecker checker(Class<?> type) {
        return new DeeplyEqualsChecker()
                .withCustomCheck((a, b) -> type.isInstance(a) && type.isInstance(b), (a, b, c) -> same(a, b));
    }

    /**
     * A record with every field set survives {@code serializer}'s round trip and copy, field by field,
     * and the copy shares no mutable nested record with the original.
     */
    public static <T> void assertRoundTripAndCopy(TypeSerializer<T> serializer, Class<T> type) throws Exception {
        T original = set(type, 3);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(original, out);
        T back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        T copy = serializer.copy(original);
        assertNotSame(original, copy);
        T empty = type.getDeclaredConstructor().newInstance();
        for (Field f : fields(type)) {
            assertTrue(!same(f.get(empty), f.get(original)), "the test sets " + f.getName());
            assertTrue(same(f.get(original), f.get(back)), "serialized " + f.getName());
            assertTrue(same(f.get(original), f.get(copy)), "copied " + f.getName());
            if (isProjectRecord(f.getType()) || f.getType().isArray()) {
                assertNotSame(f.get(original), f.get(copy), "copied " + f.getName() + " is shared");
            }
        }
        assertArrayEquals(
                out.getCopyOfBuffer(), serialized(serializer, back), "the record read back writes the same bytes");
    }

    private static <T> byte[] serialized(TypeSerializer<T> serializer, T record) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        return out.getCopyOfBuffer();
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            int modifiers = f.getModifiers();
            if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }

    private static boolean isProjectRecord(Class<?> type) {
        return !type.isEnum() && !type.isArray() && type.getName().startsWith("io.engagement.");
    }
}
