package io.engagement.pipeline.event;

import io.engagement.pipeline.serde.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink type information of {@link EngagementEvent}: serialized by {@link EngagementEventSerializer}. */
public final class EngagementEventTypeInfo {

    private EngagementEventTypeInfo() {}

    /** Named on {@link EngagementEvent} with {@code @TypeInfo}, so type extraction finds it everywhere. */
    public static final class Factory extends TypeInfoFactory<EngagementEvent> {
        @Override
        public TypeInformation<EngagementEvent> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(EngagementEvent.class, EngagementEventSerializer::new);
        }
    }
}
