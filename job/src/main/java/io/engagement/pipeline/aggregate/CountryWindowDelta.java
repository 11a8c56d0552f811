package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.serde.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What one firing of a (content, country) window adds to its previous firing: the counters' difference
 * and the whole viewer sketch (a union is idempotent, so sending it again counts nobody twice). The
 * larger country windows are built from these, so an event updates one country window, not three.
 */
@TypeInfo(CountryWindowDelta.TypeInfoFactory.class)
public class CountryWindowDelta {
    public String contentId;
    public String country;
    public CountryWindowAccumulator counters;

    public CountryWindowDelta() {}

    /** Written by {@link CountryWindowDeltaSerializer}, not as a POJO. */
    public static final class TypeInfoFactory
            extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<CountryWindowDelta> {
        @Override
        public TypeInformation<CountryWindowDelta> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(CountryWindowDelta.class, CountryWindowDeltaSerializer::new);
        }
    }

    public CountryWindowDelta(String contentId, String country, CountryWindowAccumulator counters) {
        this.contentId = contentId;
        this.country = country;
        this.counters = counters;
    }
}
