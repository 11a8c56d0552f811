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
 * The content rows' serializer, with Flink's serializer test suite, plus every field of
 * {@link ContentMetrics} set by reflection ({@link EveryField}), so a field added to the row but not
 * to the serializer fails here.
 */
class ContentMetricsSerializerTest extends SerializerTestBase<ContentMetrics> {

    ContentMetricsSerializerTest() {
        super(EveryField.checker(ContentMetrics.class));
    }

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
        ContentMetrics nonAscii = EveryField.set(ContentMetrics.class, 7);
        nonAscii.contentId = "ü-\u4e16\ud83d\ude00";
        nonAscii.creatorId = "";
        ContentMetrics nulls = new ContentMetrics();
        nulls.likes = -3; // net of unlikes: can be negative
        return new ContentMetrics[] {EveryField.set(ContentMetrics.class, 1), nonAscii, nulls};
    }

    @Test
    void everyFieldOfTheRowSurvivesARoundTripAndACopy() throws Exception {
        EveryField.assertRoundTripAndCopy(new ContentMetricsSerializer(), ContentMetrics.class);
    }

    @Test
    void flinkPicksThisSerializerForTheRowType() {
        TypeInformation<ContentMetrics> type = TypeInformation.of(ContentMetrics.class);
        assertInstanceOf(SerializerTypeInfo.class, type);
        assertInstanceOf(ContentMetricsSerializer.class, type.createSerializer(new SerializerConfigImpl()));
    }
}
