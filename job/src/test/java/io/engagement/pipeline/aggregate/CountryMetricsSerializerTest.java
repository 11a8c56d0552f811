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
 * {@link CountryMetricsSerializer} with Flink's serializer test suite, plus every field of {@link CountryMetrics} set by
 * reflection ({@link EveryField}), so a field added to the record but not to the serializer fails here.
 */
class CountryMetricsSerializerTest extends SerializerTestBase<CountryMetrics> {

    CountryMetricsSerializerTest() {
        super(EveryField.checker(CountryMetrics.class));
    }

    @Override
    protected TypeSerializer<CountryMetrics> createSerializer() {
        return new CountryMetricsSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<CountryMetrics> getTypeClass() {
        return CountryMetrics.class;
    }

    @Override
    protected CountryMetrics[] getTestData() {
        CountryMetrics unknownCountry = EveryField.set(CountryMetrics.class, 2);
        unknownCountry.country = "";
        return new CountryMetrics[] {EveryField.set(CountryMetrics.class, 1), unknownCountry, new CountryMetrics()};
    }

    @Test
    void everyFieldSurvivesARoundTripAndACopy() throws Exception {
        EveryField.assertRoundTripAndCopy(new CountryMetricsSerializer(), CountryMetrics.class);
    }

    @Test
    void flinkPicksThisSerializerForTheType() {
        TypeInformation<CountryMetrics> type = TypeInformation.of(CountryMetrics.class);
        assertInstanceOf(SerializerTypeInfo.class, type);
        assertInstanceOf(CountryMetricsSerializer.class, type.createSerializer(new SerializerConfigImpl()));
    }
}
