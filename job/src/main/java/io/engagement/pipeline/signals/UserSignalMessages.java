package io.engagement.pipeline.signals;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The JSON of the user-signals topic (docs/topics.md#user-signals), keyed by user id so the compacted
 * topic keeps each user's newest profile; an erasure is a tombstone (no value). Written with Jackson's
 * streaming generator: one message per changed user and bundle.
 */
public final class UserSignalMessages {

    public static final String TYPE = "user_signals";
    private static final JsonFactory JSON = new JsonFactory();

    private UserSignalMessages() {}

    public static byte[] key(UserSignalUpdate update) {
        return update.userId.getBytes(StandardCharsets.UTF_8);
    }

    /** The profile's JSON, or {@code null} (a tombstone) for an erased user. */
    public static byte[] value(UserSignalUpdate update) {
        if (update.erased) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("type", TYPE);
            json.writeStringField("user_id", update.userId);
            json.writeNumberField("version", update.version);
            json.writeStringField(
                    "as_of",
                    update.asOfMs == Long.MIN_VALUE
                            ? null
                            : Instant.ofEpochMilli(update.asOfMs).toString());
            json.writeBooleanField("suspect", update.suspect);
            affinities(json, "creators", update.creators);
            affinities(json, "categories", update.categories);
            affinities(json, "hashtags", update.hashtags);
            json.writeArrayFieldStart("recent_negatives");
            for (int i = 0; i < update.negativeContentIds.length; i++) {
                json.writeStartObject();
                json.writeStringField("content_id", update.negativeContentIds[i]);
                json.writeStringField("creator_id", update.negativeCreatorIds[i]);
                json.writeStringField("kind", update.negativeKinds[i]);
                json.writeStringField(
                        "at", Instant.ofEpochMilli(update.negativeTimesMs[i]).toString());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + update, e);
        }
        return bytes.toByteArray();
    }

    private static void affinities(JsonGenerator json, String field, Affinities affinities) throws IOException {
        json.writeArrayFieldStart(field);
        for (int i = 0; i < affinities.ids.length; i++) {
            json.writeStartObject();
            json.writeStringField("id", affinities.ids[i]);
            // Four significant decimals: enough to rank, and stable across runs of the same input.
            json.writeNumberField("score", Math.round(affinities.scores[i] * 10_000) / 10_000.0);
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
