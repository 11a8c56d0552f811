package io.engagement.pipeline.event;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written event serializer, with Flink's own serializer test suite (round trips, copies,
 * snapshots, concurrent use), plus a check over every field of the class by reflection, so a field
 * added to {@link EngagementEvent} but not to the serializer fails here.
 */
class EngagementEventSerializerTest extends SerializerTestBase<EngagementEvent> {

    @Override
    protected TypeSerializer<EngagementEvent> createSerializer() {
        return new EngagementEventSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<EngagementEvent> getTypeClass() {
        return EngagementEvent.class;
    }

    @Override
    protected EngagementEvent[] getTestData() {
        EngagementEvent minimal = new EngagementEvent();
        minimal.eventId = "e1";
        minimal.eventType = EventType.IMPRESSION;
        minimal.contentId = "c1";
        minimal.creatorId = "k1";
        minimal.sessionId = "s1";
        minimal.eventTimeMs = 1_700_000_000_000L;
        EngagementEvent full = everyFieldSet();
        EngagementEvent notRewatch = everyFieldSet();
        notRewatch.isRewatch = false;
        notRewatch.eventType = EventType.CLICK;
        notRewatch.userId = "ü-\u4e16\ud83d\ude00"; // non-ASCII survives
        // Lengths that take one, two and three bytes of the varint, an empty string, and a
        // non-ASCII string whose UTF-8 length differs from its length in chars.
        EngagementEvent longStrings = everyFieldSet();
        longStrings.eventId = "x".repeat(127);
        longStrings.contentId = "y".repeat(128);
        longStrings.userId = "\u00e9".repeat(9_000);
        longStrings.country = "";
        return new EngagementEvent[] {minimal, full, notRewatch, longStrings, new EngagementEvent()};
    }

    /** Every field of the class set to a value that is not its default, by reflection. */
    private static EngagementEvent everyFieldSet() {
        EngagementEvent e = new EngagementEvent();
        int n = 1;
        try {
            for (Field f : EngagementEvent.class.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                n++;
                Class<?> t = f.getType();
                Object value;
                if (t == String.class) {
                    value = f.getName() + "-" + n;
                } else if (t == long.class || t == Long.class) {
                    value = 1_000_000_000_000L + n;
                } else if (t == int.class || t == Integer.class) {
                    value = 100 + n;
                } else if (t == Double.class || t == double.class) {
                    value = n / 7.0;
                } else if (t == Boolean.class || t == boolean.class) {
                    value = true;
                } else if (t == EventType.class) {
                    value = EventType.SWIPE_AWAY;
                } else if (t == String[].class) {
                    value = new String[] {f.getName() + "-a", "\u00e9-" + n};
                } else {
                    throw new AssertionError("field " + f.getName() + " has a type this test does not know: " + t
                            + "; teach the serializer and this test about it");
                }
                f.set(e, value);
            }
        } catch (IllegalAccessException ex) {
            throw new AssertionError(ex);
        }
        return e;
    }

    @Test
    void everyFieldOfTheEventSurvivesARoundTripAndACopy() throws Exception {
        EngagementEvent original = everyFieldSet();
        DataOutputSerializer out = new DataOutputSerializer(256);
        EngagementEventSerializer serializer = new EngagementEventSerializer();
        serializer.serialize(original, out);
        EngagementEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        EngagementEvent copy = serializer.copy(original);
        for (Field f : EngagementEvent.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            assertNotNull(f.get(original), f.getName());
            assertTrue(java.util.Objects.deepEquals(f.get(original), f.get(back)), "serialized " + f.getName());
            assertTrue(java.util.Objects.deepEquals(f.get(original), f.get(copy)), "copied " + f.getName());
        }
    }

    @Test
    void flinkPicksThisSerializerForTheEventType() {
        TypeInformation<EngagementEvent> type = TypeInformation.of(EngagementEvent.class);
        assertInstanceOf(io.engagement.pipeline.serde.SerializerTypeInfo.class, type);
        assertInstanceOf(EngagementEventSerializer.class, type.createSerializer(new SerializerConfigImpl()));
    }
}
