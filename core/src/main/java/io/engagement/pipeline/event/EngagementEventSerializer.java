package io.engagement.pipeline.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link EngagementEvent}, written by hand because every accepted event crosses
 * four shuffles and several chained copies: Flink's PojoSerializer reads and writes each field by
 * reflection and writes a null marker per field, which took about a tenth of the TaskManager's
 * samples in the profile (docs/benchmarks.md). Here a bit mask says which optional fields follow.
 *
 * <p>The event type is written as its ordinal, so this format is for data in flight between the
 * job's own tasks (which always run one build). No operator keeps events in state; one that starts
 * to must give the format a version first (the snapshot below) and write the type by name. In-flight
 * data is in no checkpoint either: checkpoints are aligned (unaligned ones would store buffers in
 * this format), and an upgrade restores from a savepoint, which is always aligned.
 *
 * <p>Not thread-safe: an instance reads strings through its own buffer, so {@link #duplicate()}
 * gives every user (each task's serializer is one) an instance of its own, as Flink requires of a
 * serializer with state.
 */
public final class EngagementEventSerializer extends TypeSerializer<EngagementEvent> {

    private static final int USER_ID = 1;
    private static final int WATCH_TIME = 1 << 1;
    private static final int CONTENT_DURATION = 1 << 2;
    private static final int PROGRESS = 1 << 3;
    private static final int IS_REWATCH = 1 << 4;
    private static final int REWATCH_VALUE = 1 << 5;
    private static final int TOTAL_WATCH_TIME = 1 << 6;
    private static final int LOOP_COUNT = 1 << 7;
    private static final int SOURCE = 1 << 8;
    private static final int DEVICE = 1 << 9;
    private static final int PLATFORM = 1 << 10;
    private static final int COUNTRY = 1 << 11;
    private static final int SOURCE_TOPIC = 1 << 12;
    private static final int EVENT_ID = 1 << 13;
    private static final int EVENT_TYPE = 1 << 14;
    private static final int CONTENT_ID = 1 << 15;
    private static final int CREATOR_ID = 1 << 16;
    private static final int SESSION_ID = 1 << 17;
    private static final int DEVICE_ID = 1 << 18;
    private static final int PROPERTIES = 1 << 19;
    private static final int EXPERIMENT = 1 << 20;
    private static final int VARIANT = 1 << 21;

    private static final EventType[] TYPES = EventType.values();

    /** The bytes of the string being read: one allocation per string (the string's own) instead of two. */
    private byte[] scratch = new byte[64];

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public EngagementEventSerializer duplicate() {
        return new EngagementEventSerializer();
    }

    @Override
    public EngagementEvent createInstance() {
        return new EngagementEvent();
    }

    @Override
    public EngagementEvent copy(EngagementEvent from) {
        EngagementEvent to = new EngagementEvent();
        to.eventId = from.eventId;
        to.eventType = from.eventType;
        to.contentId = from.contentId;
        to.creatorId = from.creatorId;
        to.userId = from.userId;
        to.sessionId = from.sessionId;
        to.eventTimeMs = from.eventTimeMs;
        to.watchTimeMs = from.watchTimeMs;
        to.contentDurationMs = from.contentDurationMs;
        to.progress = from.progress;
        to.isRewatch = from.isRewatch;
        to.totalWatchTimeMs = from.totalWatchTimeMs;
        to.loopCount = from.loopCount;
        to.source = from.source;
        to.device = from.device;
        to.platform = from.platform;
        to.country = from.country;
        to.deviceId = from.deviceId;
        // Never changed after validation: the arrays are shared, not copied.
        to.propertyKeys = from.propertyKeys;
        to.propertyValues = from.propertyValues;
        to.experiment = from.experiment;
        to.variant = from.variant;
        to.sourceTopic = from.sourceTopic;
        to.sourcePartition = from.sourcePartition;
        to.sourceOffset = from.sourceOffset;
        return to;
    }

    @Override
    public EngagementEvent copy(EngagementEvent from, EngagementEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EngagementEvent e, DataOutputView out) throws IOException {
        int present = (e.userId != null ? USER_ID : 0)
                | (e.watchTimeMs != null ? WATCH_TIME : 0)
                | (e.contentDurationMs != null ? CONTENT_DURATION : 0)
                | (e.progress != null ? PROGRESS : 0)
                | (e.isRewatch != null ? IS_REWATCH | (e.isRewatch ? REWATCH_VALUE : 0) : 0)
                | (e.totalWatchTimeMs != null ? TOTAL_WATCH_TIME : 0)
                | (e.loopCount != null ? LOOP_COUNT : 0)
                | (e.source != null ? SOURCE : 0)
                | (e.device != null ? DEVICE : 0)
                | (e.platform != null ? PLATFORM : 0)
                | (e.country != null ? COUNTRY : 0)
                | (e.sourceTopic != null ? SOURCE_TOPIC : 0)
                // Validated events always have these; the serializer still round-trips events that do not.
                | (e.eventId != null ? EVENT_ID : 0)
                | (e.eventType != null ? EVENT_TYPE : 0)
                | (e.contentId != null ? CONTENT_ID : 0)
                | (e.creatorId != null ? CREATOR_ID : 0)
                | (e.sessionId != null ? SESSION_ID : 0)
                | (e.deviceId != null ? DEVICE_ID : 0)
                | (e.propertyKeys != null ? PROPERTIES : 0)
                | (e.experiment != null ? EXPERIMENT : 0)
                | (e.variant != null ? VARIANT : 0);
        out.writeInt(present);
        writeIf(present, EVENT_ID, e.eventId, out);
        if ((present & EVENT_TYPE) != 0) {
            out.writeByte(e.eventType.ordinal());
        }
        writeIf(present, CONTENT_ID, e.contentId, out);
        writeIf(present, CREATOR_ID, e.creatorId, out);
        writeIf(present, USER_ID, e.userId, out);
        writeIf(present, SESSION_ID, e.sessionId, out);
        out.writeLong(e.eventTimeMs);
        if ((present & WATCH_TIME) != 0) {
            out.writeLong(e.watchTimeMs);
        }
        if ((present & CONTENT_DURATION) != 0) {
            out.writeLong(e.contentDurationMs);
        }
        if ((present & PROGRESS) != 0) {
            out.writeDouble(e.progress);
        }
        if ((present & TOTAL_WATCH_TIME) != 0) {
            out.writeLong(e.totalWatchTimeMs);
        }
        if ((present & LOOP_COUNT) != 0) {
            out.writeInt(e.loopCount);
        }
        writeIf(present, SOURCE, e.source, out);
        writeIf(present, DEVICE, e.device, out);
        writeIf(present, PLATFORM, e.platform, out);
        writeIf(present, COUNTRY, e.country, out);
        writeIf(present, SOURCE_TOPIC, e.sourceTopic, out);
        writeIf(present, DEVICE_ID, e.deviceId, out);
        writeIf(present, EXPERIMENT, e.experiment, out);
        writeIf(present, VARIANT, e.variant, out);
        if ((present & PROPERTIES) != 0) {
            out.writeInt(e.propertyKeys.length);
            for (int i = 0; i < e.propertyKeys.length; i++) {
                writeString(e.propertyKeys[i], out);
                writeString(e.propertyValues[i], out);
            }
        }
        out.writeInt(e.sourcePartition);
        out.writeLong(e.sourceOffset);
    }

    @Override
    public EngagementEvent deserialize(DataInputView in) throws IOException {
        EngagementEvent e = new EngagementEvent();
        int present = in.readInt();
        e.eventId = readIf(present, EVENT_ID, in);
        if ((present & EVENT_TYPE) != 0) {
            e.eventType = TYPES[in.readUnsignedByte()];
        }
        e.contentId = readIf(present, CONTENT_ID, in);
        e.creatorId = readIf(present, CREATOR_ID, in);
        e.userId = readIf(present, USER_ID, in);
        e.sessionId = readIf(present, SESSION_ID, in);
        e.eventTimeMs = in.readLong();
        if ((present & WATCH_TIME) != 0) {
            e.watchTimeMs = in.readLong();
        }
        if ((present & CONTENT_DURATION) != 0) {
            e.contentDurationMs = in.readLong();
        }
        if ((present & PROGRESS) != 0) {
            e.progress = in.readDouble();
        }
        if ((present & IS_REWATCH) != 0) {
            e.isRewatch = (present & REWATCH_VALUE) != 0;
        }
        if ((present & TOTAL_WATCH_TIME) != 0) {
            e.totalWatchTimeMs = in.readLong();
        }
        if ((present & LOOP_COUNT) != 0) {
            e.loopCount = in.readInt();
        }
        e.source = readIf(present, SOURCE, in);
        e.device = readIf(present, DEVICE, in);
        e.platform = readIf(present, PLATFORM, in);
        e.country = readIf(present, COUNTRY, in);
        e.sourceTopic = readIf(present, SOURCE_TOPIC, in);
        e.deviceId = readIf(present, DEVICE_ID, in);
        e.experiment = readIf(present, EXPERIMENT, in);
        e.variant = readIf(present, VARIANT, in);
        if ((present & PROPERTIES) != 0) {
            int n = in.readInt();
            e.propertyKeys = new String[n];
            e.propertyValues = new String[n];
            for (int i = 0; i < n; i++) {
                e.propertyKeys[i] = readString(in);
                e.propertyValues[i] = readString(in);
            }
        }
        e.sourcePartition = in.readInt();
        e.sourceOffset = in.readLong();
        return e;
    }

    @Override
    public EngagementEvent deserialize(EngagementEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private void writeIf(int present, int bit, String value, DataOutputView out) throws IOException {
        if ((present & bit) != 0) {
            writeString(value, out);
        }
    }

    private String readIf(int present, int bit, DataInputView in) throws IOException {
        return (present & bit) != 0 ? readString(in) : null;
    }

    /**
     * A string as its UTF-8 length (a varint) and bytes. Flink's {@code StringValue.readString}
     * reads char by char into a thread-local buffer, and the lookup of that thread-local in a task
     * thread's crowded map was a third of its cost in the profile. An ASCII string (every id of the
     * contract) is written char by char and read through this instance's buffer, so neither side
     * allocates an intermediate array (those were an eighth of the TaskManager's allocation in the
     * stack profile, docs/benchmarks.md).
     */
    static void writeString(String value, DataOutputView out) throws IOException {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) >= 0x80) {
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                writeLength(out, utf8.length);
                out.write(utf8);
                return;
            }
        }
        writeLength(out, length);
        // Byte by byte: DataOutputSerializer.writeBytes(String) of Flink 2.2 advances its position twice.
        for (int i = 0; i < length; i++) {
            out.writeByte(value.charAt(i));
        }
    }

    private static void writeLength(DataOutputView out, int length) throws IOException {
        while (length >= 0x80) {
            out.writeByte(length & 0x7F | 0x80);
            length >>>= 7;
        }
        out.writeByte(length);
    }

    String readString(DataInputView in) throws IOException {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            if (b < 0x80) {
                break;
            }
            if (shift > 21) {
                throw new IOException("string length does not fit an int");
            }
        }
        if (length < 0) {
            throw new IOException("negative string length");
        }
        byte[] bytes = length <= scratch.length ? scratch : (scratch = new byte[Math.max(length, 2 * scratch.length)]);
        in.readFully(bytes, 0, length);
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
        }
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof EngagementEventSerializer;
    }

    @Override
    public int hashCode() {
        return EngagementEventSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<EngagementEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; version 1 is the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EngagementEvent> {
        public Snapshot() {
            super(EngagementEventSerializer::new);
        }
    }
}
