package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.serde.NetworkSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of {@link CountryMetrics}, the rows the country windows fire to their writer
 * ({@link NetworkSerializer}: network only, never state). Every field in declaration order.
 */
public final class CountryMetricsSerializer extends NetworkSerializer<CountryMetrics> {

    @Override
    public CountryMetrics createInstance() {
        return new CountryMetrics();
    }

    @Override
    public CountryMetrics copy(CountryMetrics from) {
        CountryMetrics to = new CountryMetrics();
        to.grain = from.grain;
        to.windowStartMs = from.windowStartMs;
        to.windowEndMs = from.windowEndMs;
        to.contentId = from.contentId;
        to.creatorId = from.creatorId;
        to.country = from.country;
        to.version = from.version;
        to.provisional = from.provisional;
        to.views = from.views;
        to.uniqueViewers = from.uniqueViewers;
        to.watchTimeMs = from.watchTimeMs;
        to.completions = from.completions;
        to.completionRate = from.completionRate;
        return to;
    }

    @Override
    public void serialize(CountryMetrics m, DataOutputView out) throws IOException {
        StringValue.writeString(m.grain, out);
        out.writeLong(m.windowStartMs);
        out.writeLong(m.windowEndMs);
        StringValue.writeString(m.contentId, out);
        StringValue.writeString(m.creatorId, out);
        StringValue.writeString(m.country, out);
        out.writeLong(m.version);
        out.writeBoolean(m.provisional);
        out.writeLong(m.views);
        out.writeLong(m.uniqueViewers);
        out.writeLong(m.watchTimeMs);
        out.writeLong(m.completions);
        out.writeDouble(m.completionRate);
    }

    @Override
    public CountryMetrics deserialize(DataInputView in) throws IOException {
        CountryMetrics m = new CountryMetrics();
        m.grain = StringValue.readString(in);
        m.windowStartMs = in.readLong();
        m.windowEndMs = in.readLong();
        m.contentId = StringValue.readString(in);
        m.creatorId = StringValue.readString(in);
        m.country = StringValue.readString(in);
        m.version = in.readLong();
        m.provisional = in.readBoolean();
        m.views = in.readLong();
        m.uniqueViewers = in.readLong();
        m.watchTimeMs = in.readLong();
        m.completions = in.readLong();
        m.completionRate = in.readDouble();
        return m;
    }
}
