package io.engagement.pipeline.signals;

import io.engagement.pipeline.serde.NetworkSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of {@link UserSignal}, the slim record about a third of the events send to the
 * per-user stage ({@link NetworkSerializer}: network only, never state; the per-user bundle keeps
 * signals on the heap). Strings as {@link StringValue}, the kind by its ordinal (-1 for none).
 */
public final class UserSignalSerializer extends NetworkSerializer<UserSignal> {

    private static final SignalKind[] KINDS = SignalKind.values();

    @Override
    public UserSignal createInstance() {
        return new UserSignal();
    }

    @Override
    public UserSignal copy(UserSignal from) {
        UserSignal to = new UserSignal();
        to.userId = from.userId;
        to.contentId = from.contentId;
        to.creatorId = from.creatorId;
        to.category = from.category;
        to.hashtags = from.hashtags == null ? null : from.hashtags.clone();
        to.kind = from.kind;
        to.weight = from.weight;
        to.eventTimeMs = from.eventTimeMs;
        return to;
    }

    @Override
    public void serialize(UserSignal s, DataOutputView out) throws IOException {
        StringValue.writeString(s.userId, out);
        StringValue.writeString(s.contentId, out);
        StringValue.writeString(s.creatorId, out);
        StringValue.writeString(s.category, out);
        writeStrings(s.hashtags, out);
        out.writeByte(s.kind == null ? -1 : s.kind.ordinal());
        out.writeDouble(s.weight);
        out.writeLong(s.eventTimeMs);
    }

    @Override
    public UserSignal deserialize(DataInputView in) throws IOException {
        UserSignal s = new UserSignal();
        s.userId = StringValue.readString(in);
        s.contentId = StringValue.readString(in);
        s.creatorId = StringValue.readString(in);
        s.category = StringValue.readString(in);
        s.hashtags = readStrings(in);
        byte kind = in.readByte();
        s.kind = kind < 0 ? null : KINDS[kind];
        s.weight = in.readDouble();
        s.eventTimeMs = in.readLong();
        return s;
    }
}
