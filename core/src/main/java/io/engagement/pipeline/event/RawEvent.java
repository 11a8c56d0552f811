package io.engagement.pipeline.event;

import java.util.Objects;

/**
 * One message as read from the input topic, before validation. Keeps the source coordinates so a
 * rejected message can be traced back to its exact Kafka offset in the dead-letter topic.
 */
public class RawEvent {
    /** The message value as read; {@code null} for an empty (tombstone) message. */
    public byte[] payload;

    public String topic;
    public int partition;
    public long offset;

    public RawEvent() {}

    public RawEvent(byte[] payload, String topic, int partition, long offset) {
        this.payload = payload;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    @Override
    public String toString() {
        return "RawEvent{" + topic + "/" + partition + "@" + offset + '}';
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawEvent other)) {
            return false;
        }
        return partition == other.partition
                && offset == other.offset
                && Objects.equals(topic, other.topic)
                && java.util.Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }
}
