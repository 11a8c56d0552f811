package io.engagement.pipeline.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/**
 * The content rows' serializer, with Flink's serializer test suite, plus a check over every public
 * field of {@link ContentMetrics} by reflection, so a field added to the row but not to the
 * serializer fails here.
 */
class ContentMetricsSerializerTest extends SerializerTestBase<ContentMetrics> {

    @Override
    protected TypeSerializer<ContentMetrics> createSerializer() {
        return new ContentMetricsSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ContentMetrics> getTypeClass() {
        return ContentMetrics.class;
    }

    @Override
    protected ContentMetrics[] getTestData() {
        ContentMetrics nonAscii = everyFieldSet(7);
        nonAscii.contentId = "ü-\u4e16\ud83d\ude00";
        nonAscii.creatorId = "";
        ContentMetrics nulls = new ContentMetrics();
        nulls.likes = -3; // net of unlikes: can be negative
        return new ContentMetrics[] {everyFieldSet(1), nonAscii, nulls};
    }

    /** ContentMetrics has no equals: the suite compares rows field by field. */
    ContentMetricsSerializerTest() {
        super(new DeeplyEqualsChecker()
                .withCustomCheck(
                        (a, b) -> a instanceof ContentMetrics && b instanceof ContentMetrics,
                        (a, b, checker) -> sameFields((ContentMetrics) a, (ContentMetrics) b)));
    }

    private static boolean sameFields(ContentMetrics a, ContentMetrics b) {
        try {
            for (Field f : rowFields()) {
                if (!Objects.equals(f.get(a), f.get(b))) {
                    return false;
                }
            }
            return true;
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Field> rowFields() {
        List<Field> fields = new ArrayList<>();
        for (Field f : ContentMetrics.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(f);
            }
        }
        return fields;
    }

    /** Every field set to a value that is not its default and differs from every other field's. */
    private static ContentMetrics everyFieldSet(int seed) {
        ContentMetrics m = new ContentMetrics();
        int n = seed * 1000;
        try {
            for (Field f : rowFields()) {
                n++;
                Class<?> t = f.getType();
                if (t == String.class) {
                    f.set(m, f.getName() + "-" + n);
                } else if (t == long.class) {
                    f.setLong(m, 1_000_000_000_000L + n);
                } else if (t == double.class) {
                    f.setDouble(m, n / 7.0);
                } else if (t == boolean.class) {
                    f.setBoolean(m, true);
                } else {
                    throw new AssertionError("field " + f.getName() + " has a type this test does not know: " + t
                            + "; teach ContentMetricsSerializer and this test about it");
                }
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        return m;
    }

    @Test
    void everyFieldOfTheRowSurvivesARoundTripAndACopy() throws Exception {
        ContentMetrics original = everyFieldSet(3);
        ContentMetricsSerializer serializer = new ContentMetricsSerializer();
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(original, out);
        ContentMetrics back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        ContentMetrics copy = serializer.copy(original);
        assertNotSame(original, copy);
        ContentMetrics empty = new ContentMetrics();
        for (Field f : rowFields()) {
            assertNotEquals(f.get(empty), f.get(original), "the test sets " + f.getName());
            assertEquals(f.get(original), f.get(back), "serialized " + f.getName());
            assertEquals(f.get(original), f.get(copy), "copied " + f.getName());
        }
    }

    @Test
    void flinkPicksThisSerializerForTheRowType() {
        TypeInformation<ContentMetrics> type = TypeInformation.of(ContentMetrics.class);
        assertInstanceOf(io.engagement.pipeline.serde.SerializerTypeInfo.class, type);
        assertInstanceOf(ContentMetricsSerializer.class, type.createSerializer(new SerializerConfigImpl()));
    }
}
