package io.engagement.pipeline.signals;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.engagement.pipeline.serde.SerializerTypeInfo;
import io.engagement.pipeline.testing.EveryField;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link UserSignalSerializer} with Flink's serializer test suite, plus every field of {@link UserSignal} set by
 * reflection ({@link EveryField}), so a field added to the record but not to the serializer fails here.
 */
class UserSignalSerializerTest extends SerializerTestBase<UserSignal> {

    UserSignalSerializerTest() {
        super(EveryField.checker(UserSignal.class));
    }

    @Override
    protected TypeSerializer<UserSignal> createSerializer() {
        return new UserSignalSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<UserSignal> getTypeClass() {
        return UserSignal.class;
    }

    @Override
    protected UserSignal[] getTestData() {
        UserSignal anonymousOfNoCatalogue = EveryField.set(UserSignal.class, 2);
        anonymousOfNoCatalogue.category = null;
        anonymousOfNoCatalogue.hashtags = null;
        anonymousOfNoCatalogue.kind = SignalKind.values()[SignalKind.values().length - 1];
        return new UserSignal[] {EveryField.set(UserSignal.class, 1), anonymousOfNoCatalogue, new UserSignal()};
    }

    @Test
    void everyFieldSurvivesARoundTripAndACopy() throws Exception {
        EveryField.assertRoundTripAndCopy(new UserSignalSerializer(), UserSignal.class);
    }

    @Test
    void flinkPicksThisSerializerForTheType() {
        TypeInformation<UserSignal> type = TypeInformation.of(UserSignal.class);
        assertInstanceOf(SerializerTypeInfo.class, type);
        assertInstanceOf(UserSignalSerializer.class, type.createSerializer(new SerializerConfigImpl()));
    }
}
