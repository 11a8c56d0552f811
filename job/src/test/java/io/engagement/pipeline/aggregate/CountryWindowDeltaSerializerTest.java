package io.engagement.pipeline.aggregate;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.engagement.pipeline.serde.SerializerTypeInfo;
import io.engagement.pipeline.testing.EveryField;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link CountryWindowDeltaSerializer} with Flink's serializer test suite, plus every field of {@link CountryWindowDelta} set by
 * reflection ({@link EveryField}), so a field added to the record but not to the serializer fails here.
 */
class CountryWindowDeltaSerializerTest extends SerializerTestBase<CountryWindowDelta> {

    CountryWindowDeltaSerializerTest() {
        super(EveryField.checker(CountryWindowDelta.class));
    }

    @Override
    protected TypeSerializer<CountryWindowDelta> createSerializer() {
        return new CountryWindowDeltaSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<CountryWindowDelta> getTypeClass() {
        return CountryWindowDelta.class;
    }

    @Override
    protected CountryWindowDelta[] getTestData() {
        CountryWindowDelta exactViewers = EveryField.set(CountryWindowDelta.class, 2);
        exactViewers.counters.viewers = new UniqueViewerSketch();
        exactViewers.counters.viewers.add("u:1");
        exactViewers.counters.viewers.add("u:2");
        CountryWindowDelta noViewers = EveryField.set(CountryWindowDelta.class, 4);
        noViewers.counters.viewers = null;
        return new CountryWindowDelta[] {
            EveryField.set(CountryWindowDelta.class, 1), exactViewers, noViewers, new CountryWindowDelta()
        };
    }

    @Test
    void everyFieldSurvivesARoundTripAndACopy() throws Exception {
        EveryField.assertRoundTripAndCopy(new CountryWindowDeltaSerializer(), CountryWindowDelta.class);
    }

    @Test
    void flinkPicksThisSerializerForTheType() {
        TypeInformation<CountryWindowDelta> type = TypeInformation.of(CountryWindowDelta.class);
        assertInstanceOf(SerializerTypeInfo.class, type);
        assertInstanceOf(CountryWindowDeltaSerializer.class, type.createSerializer(new SerializerConfigImpl()));
    }
}
