package io.engagement.pipeline.event;

import java.util.Objects;

/** A rejected input message with the reason and where it came from; written to the dead-letter topic. */
public class DeadLetter {
    public RejectReason reason;
    /** Human-readable detail, e.g. which field was missing. */
    public String detail;
    /** The original message; UTF-8 text, or base64 when it was not valid UTF-8 (see payloadEncoding). */
    public String payload;
    /** {@code utf8}, {@code base64} or {@code none} for an empty message. */
    public String payloadEncoding;

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** Size of the original message in bytes. */
    public int payloadBytes;
    /**
     * True when {@link #payload} holds only the start of the message: escaped as JSON, a large payload
     * would exceed Kafka's record size limit, and a dead letter the producer refuses fails the job on
     * the same offset after every restart. The whole message stays at its source offset.
     */
    public boolean payloadTruncated;

    public DeadLetter() {}

    public DeadLetter(
            RejectReason reason,
            String detail,
            String payload,
            String payloadEncoding,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset) {
        this.reason = reason;
        this.detail = detail;
        this.payload = payload;
        this.payloadEncoding = payloadEncoding;
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter d)) {
            return false;
        }
        return sourcePartition == d.sourcePartition
                && sourceOffset == d.sourceOffset
                && reason == d.reason
                && Objects.equals(detail, d.detail)
                && Objects.equals(payload, d.payload)
                && Objects.equals(payloadEncoding, d.payloadEncoding)
                && Objects.equals(sourceTopic, d.sourceTopic)
                && payloadBytes == d.payloadBytes
                && payloadTruncated == d.payloadTruncated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, sourceTopic, sourcePartition, sourceOffset);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + detail + " @" + sourceTopic + "/" + sourcePartition + "@" + sourceOffset
                + '}';
    }
}
