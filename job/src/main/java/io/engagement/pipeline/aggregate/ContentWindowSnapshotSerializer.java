package io.engagement.pipeline.aggregate;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The content partials' serializer: every partial and window delta crosses a shuffle or a chained
 * copy through it (never state). Format version 1: content id and creator id ({@link StringValue},
 * null allowed), window start, end and version as longs, then a flag and the counters in
 * {@link ContentWindowAccumulatorSerializer}'s format.
 */
public final class ContentWindowSnapshotSerializer extends TypeSerializer<ContentWindowSnapshot> {

    // Network only: always every counter of this build.
    private static final ContentWindowAccumulatorSerializer COUNTERS = new ContentWindowAccumulatorSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<ContentWindowSnapshot> duplicate() {
        return this;
    }

    @Override
    public ContentWindowSnapshot createInstance() {
        return new ContentWindowSnapshot();
    }

    @Override
    public ContentWindowSnapshot copy(ContentWindowSnapshot from) {
        ContentWindowSnapshot to = new ContentWindowSnapshot();
        to.contentId = from.contentId;
        to.creatorId = from.creatorId;
        to.windowStartMs = from.windowStartMs;
        to.windowEndMs = from.windowEndMs;
        to.version = from.version;
        to.counters = from.counters == null ? null : COUNTERS.copy(from.counters);
        return to;
    }

    @Override
    public ContentWindowSnapshot copy(ContentWindowSnapshot from, ContentWindowSnapshot reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ContentWindowSnapshot s, DataOutputView out) throws IOException {
        StringValue.writeString(s.contentId, out);
        StringValue.writeString(s.creatorId, out);
        out.writeLong(s.windowStartMs);
        out.writeLong(s.windowEndMs);
        out.writeLong(s.version);
        out.writeBoolean(s.counters != null);
        if (s.counters != null) {
            COUNTERS.serialize(s.counters, out);
        }
    }

    @Override
    public ContentWindowSnapshot deserialize(DataInputView in) throws IOException {
        ContentWindowSnapshot s = new ContentWindowSnapshot();
        s.contentId = StringValue.readString(in);
        s.creatorId = StringValue.readString(in);
        s.windowStartMs = in.readLong();
        s.windowEndMs = in.readLong();
        s.version = in.readLong();
        s.counters = in.readBoolean() ? COUNTERS.deserialize(in) : null;
        return s;
    }

    @Override
    public ContentWindowSnapshot deserialize(ContentWindowSnapshot reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ContentWindowSnapshotSerializer;
    }

    @Override
    public int hashCode() {
        return ContentWindowSnapshotSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<ContentWindowSnapshot> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 is the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ContentWindowSnapshot> {
        public Snapshot() {
            super(ContentWindowSnapshotSerializer::new);
        }
    }
}
