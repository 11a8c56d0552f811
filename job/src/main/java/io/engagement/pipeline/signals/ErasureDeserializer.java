package io.engagement.pipeline.signals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.RejectReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the erasures topic ({@code deploy/erase-user.sh --kafka} writes it): {@code {"user_id": "..."}},
 * the user as the job's outputs name it: with {@code privacy.user-id-hmac-key} set, the pseudonym, the
 * same id the tool deletes from the tables. Never throws: a message that is not such a request is a
 * dead letter ({@code invalid_erasure_request}).
 */
public class ErasureDeserializer implements KafkaRecordDeserializationSchema<ErasureRecord> {

    /** Longer ids are not user ids (the events' id limit is lower). */
    static final int MAX_USER_ID_LENGTH = 256;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public ErasureDeserializer() {}

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ErasureRecord> out) {
        out.collect(read(record.value(), record.topic(), record.partition(), record.offset()));
    }

    ErasureRecord read(byte[] value, String topic, int partition, long offset) {
        ErasureRecord r = new ErasureRecord();
        String problem;
        String userId = null;
        if (value == null || value.length == 0) {
            problem = "empty message: an erasure request is {\"user_id\": \"...\"}";
        } else if (value.length > 4096) {
            problem = "more than 4096 bytes";
        } else {
            try (JsonParser parser = JSON.createParser(value)) {
                userId = userIdOf(parser);
                problem = userId == null ? "missing required field 'user_id'" : idProblem(userId);
            } catch (IOException | IllegalArgumentException e) {
                problem = "not a JSON object: "
                        + e.getMessage().lines().findFirst().orElse("");
            }
        }
        if (problem == null) {
            r.userId = userId;
            return r;
        }
        String payload =
                value == null ? "" : new String(value, 0, Math.min(value.length, 4096), StandardCharsets.UTF_8);
        DeadLetter d = new DeadLetter(
                RejectReason.INVALID_ERASURE_REQUEST,
                problem,
                payload,
                payload.isEmpty() ? "none" : "utf8",
                topic,
                partition,
                offset);
        d.payloadBytes = value == null ? 0 : value.length;
        r.rejected = d;
        return r;
    }

    private static String userIdOf(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("expected an object");
        }
        String userId = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (field.equals("user_id")) {
                if (token != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("user_id must be a string");
                }
                userId = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        if (parser.nextToken() != null) {
            throw new IllegalArgumentException("trailing content after the object");
        }
        return userId;
    }

    private static String idProblem(String userId) {
        if (userId.isBlank()) {
            return "user_id is empty";
        }
        if (userId.length() > MAX_USER_ID_LENGTH) {
            return "user_id is longer than " + MAX_USER_ID_LENGTH + " characters";
        }
        if (userId.chars().anyMatch(Character::isISOControl)) {
            return "user_id contains control characters";
        }
        return null;
    }

    @Override
    public TypeInformation<ErasureRecord> getProducedType() {
        return TypeInformation.of(ErasureRecord.class);
    }
}
