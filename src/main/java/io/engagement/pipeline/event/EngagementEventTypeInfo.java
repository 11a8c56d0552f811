package io.engagement.pipeline.event;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information of {@link EngagementEvent}: serialized by {@link EngagementEventSerializer}. */
public final class EngagementEventTypeInfo extends TypeInformation<EngagementEvent> {

    public static final EngagementEventTypeInfo INSTANCE = new EngagementEventTypeInfo();

    /** Named on {@link EngagementEvent} with {@code @TypeInfo}, so type extraction finds it everywhere. */
    public static final class Factory extends TypeInfoFactory<EngagementEvent> {
        @Override
        public TypeInformation<EngagementEvent> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<EngagementEvent> getTypeClass() {
        return EngagementEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<EngagementEvent> createSerializer(SerializerConfig config) {
        return new EngagementEventSerializer();
    }

    @Override
    public String toString() {
        return "EngagementEvent";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof EngagementEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return EngagementEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof EngagementEventTypeInfo;
    }
}
