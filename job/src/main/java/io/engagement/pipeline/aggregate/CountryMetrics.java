package io.engagement.pipeline.aggregate;

import static io.engagement.pipeline.metrics.EngagementFormulas.completionRate;

import io.engagement.pipeline.serde.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** One content's metrics in one country and window: one row of ClickHouse table {@code content_country_metrics}. */
@TypeInfo(CountryMetrics.TypeInfoFactory.class)
public class CountryMetrics {
    public String grain;
    public long windowStartMs;
    public long windowEndMs;
    public String contentId;
    public String creatorId;
    public String country;
    public long version;
    /** Fired before the window closed: the running value, replaced by the final row (version 0). */
    public boolean provisional;

    public long views;
    public long uniqueViewers;
    public long watchTimeMs;
    public long completions;
    public double completionRate;

    public CountryMetrics() {}

    /** Written by {@link CountryMetricsSerializer}, not as a POJO. */
    public static final class TypeInfoFactory
            extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<CountryMetrics> {
        @Override
        public TypeInformation<CountryMetrics> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(CountryMetrics.class, CountryMetricsSerializer::new);
        }
    }

    public static CountryMetrics of(
            Grain grain,
            long windowStartMs,
            long windowEndMs,
            String contentId,
            String country,
            CountryWindowAccumulator acc,
            long version) {
        CountryMetrics m = new CountryMetrics();
        m.grain = grain.code();
        m.windowStartMs = windowStartMs;
        m.windowEndMs = windowEndMs;
        m.contentId = contentId;
        m.creatorId = acc.creatorId;
        m.country = country;
        m.version = version;
        m.views = acc.views;
        m.uniqueViewers = acc.viewers.estimate();
        m.watchTimeMs = acc.watchTimeMs;
        m.completions = acc.completions;
        m.completionRate = completionRate(acc.completions, acc.views);
        return m;
    }

    @Override
    public String toString() {
        return "CountryMetrics{" + grain + ' ' + contentId + '/' + country + " @" + windowStartMs + " v" + version
                + " views=" + views + '}';
    }
}
