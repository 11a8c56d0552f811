package io.engagement.pipeline.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.engagement.pipeline.event.RejectReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Erasure requests: a user id as the outputs name it; anything else a dead letter saying why. */
class ErasureDeserializerTest {

    private static ErasureRecord read(ErasureDeserializer d, String value) {
        return d.read(value == null ? null : value.getBytes(StandardCharsets.UTF_8), "erasures", 0, 7);
    }

    @Test
    void aRequestNamesTheUser() {
        ErasureRecord r = read(new ErasureDeserializer(), "{\"user_id\":\"u-42\",\"requested_by\":\"dpo\"}");
        assertEquals("u-42", r.userId);
        assertNull(r.rejected);
    }

    @Test
    void anythingElseIsADeadLetterWithItsReason() {
        ErasureDeserializer d = new ErasureDeserializer();
        String[][] cases = {
            {null, "empty message: an erasure request is {\"user_id\": \"...\"}"},
            {"{}", "missing required field 'user_id'"},
            {"{\"user_id\":\"\"}", "user_id is empty"},
            {"{\"user_id\":42}", "not a JSON object: user_id must be a string"},
            {"[1]", "not a JSON object: expected an object"},
            {"{\"user_id\":\"a\",\"user_id\":\"b\"}", "not a JSON object: Duplicate field 'user_id'"},
            {"{\"user_id\":\"" + "x".repeat(300) + "\"}", "user_id is longer than 256 characters"},
        };
        for (String[] c : cases) {
            ErasureRecord r = read(d, c[0]);
            assertNull(r.userId, c[1]);
            assertEquals(RejectReason.INVALID_ERASURE_REQUEST, r.rejected.reason);
            assertEquals(c[1], r.rejected.detail);
            assertEquals("erasures", r.rejected.sourceTopic);
            assertEquals(7, r.rejected.sourceOffset);
        }
    }
}
