package io.engagement.pipeline.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The dead-letter topic's JSON format (docs/topics.md). */
public final class DeadLetterJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetterJson() {}

    public static byte[] toJson(DeadLetter d) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("reason", d.reason.code());
        json.put("detail", d.detail);
        json.put("payload", d.payload);
        json.put("payload_encoding", d.payloadEncoding);
        json.put("source_topic", d.sourceTopic);
        json.put("source_partition", d.sourcePartition);
        json.put("source_offset", d.sourceOffset);
        json.put("payload_bytes", d.payloadBytes);
        json.put("payload_truncated", d.payloadTruncated);
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + d, e);
        }
    }
}
