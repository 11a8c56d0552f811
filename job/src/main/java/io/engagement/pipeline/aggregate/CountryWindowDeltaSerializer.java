package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.serde.NetworkSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of {@link CountryWindowDelta}, the country partials and window deltas ({@link
 * NetworkSerializer}: network only; the country windows' own state keeps the accumulator's POJO
 * format). The accumulator's viewer sketch is written as the content accumulator's format writes it.
 */
public final class CountryWindowDeltaSerializer extends NetworkSerializer<CountryWindowDelta> {

    @Override
    public CountryWindowDelta createInstance() {
        return new CountryWindowDelta();
    }

    /** A deep copy: a window merges a partial's sketch into its own, never into the partial's. */
    @Override
    public CountryWindowDelta copy(CountryWindowDelta from) {
        CountryWindowAccumulator counters = from.counters == null ? null : CountryWindowAggregate.copy(from.counters);
        return new CountryWindowDelta(from.contentId, from.country, counters);
    }

    @Override
    public void serialize(CountryWindowDelta d, DataOutputView out) throws IOException {
        StringValue.writeString(d.contentId, out);
        StringValue.writeString(d.country, out);
        CountryWindowAccumulator counters = d.counters;
        out.writeBoolean(counters != null);
        if (counters != null) {
            StringValue.writeString(counters.creatorId, out);
            out.writeLong(counters.views);
            out.writeLong(counters.watchTimeMs);
            out.writeLong(counters.completions);
            ContentWindowAccumulatorSerializer.writeViewers(counters.viewers, out);
        }
    }

    @Override
    public CountryWindowDelta deserialize(DataInputView in) throws IOException {
        CountryWindowDelta d = new CountryWindowDelta();
        d.contentId = StringValue.readString(in);
        d.country = StringValue.readString(in);
        if (in.readBoolean()) {
            CountryWindowAccumulator counters = new CountryWindowAccumulator();
            counters.creatorId = StringValue.readString(in);
            counters.views = in.readLong();
            counters.watchTimeMs = in.readLong();
            counters.completions = in.readLong();
            counters.viewers = ContentWindowAccumulatorSerializer.readViewers(in, counters.viewers);
            d.counters = counters;
        }
        return d;
    }
}
