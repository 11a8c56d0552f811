package io.engagement.pipeline.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.EventValidator;
import io.engagement.pipeline.event.RejectReason;
import io.engagement.pipeline.event.ValidationRules;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a content catalogue entry, one place for the job ({@link CatalogDeserializer}) and the
 * HTTP service (which checks an entry before it publishes it): a JSON entry is a change, an empty
 * value a deletion. Never throws on bad input: an entry that breaks a rule becomes a dead letter
 * ({@code invalid_catalog_entry}) with what is wrong. Jackson only, no Flink classes: the service
 * runs without them.
 */
public class CatalogEntryReader implements java.io.Serializable {

    /** More hashtags than this is not a hashtag list but a payload. */
    static final int MAX_HASHTAGS = 64;

    private final ValidationRules rules;
    private transient ObjectMapper mapper;

    public CatalogEntryReader(ValidationRules rules) {
        this.rules = rules;
    }

    /** One message of the catalogue topic (or an entry the HTTP service is asked to publish) as the job reads it. */
    public CatalogRecord read(byte[] key, byte[] value, String topic, int partition, long offset) {
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (value == null || value.length == 0) {
            if (keyText == null || keyText.isBlank()) {
                return rejected(
                        "a deletion (empty value) without a key names no content", "", topic, partition, offset, 0);
            }
            return CatalogRecord.of(CatalogEntry.deletion(keyText, offset));
        }
        String text = new String(value, StandardCharsets.UTF_8);
        if (value.length > rules.maxMessageBytes()) {
            return rejected(
                    "entry is " + value.length + " bytes, more than validation.max-message-bytes = "
                            + rules.maxMessageBytes(),
                    text.substring(0, Math.min(text.length(), 1_000)),
                    topic,
                    partition,
                    offset,
                    value.length);
        }
        try {
            CatalogEntry entry = parse(text, keyText);
            entry.version = offset;
            return CatalogRecord.of(entry);
        } catch (Invalid e) {
            return rejected(e.getMessage(), text, topic, partition, offset, value.length);
        }
    }

    private CatalogEntry parse(String text, String key) throws Invalid {
        JsonNode root;
        try {
            root = mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("not parseable as JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("entry is not a JSON object");
        }
        CatalogEntry e = new CatalogEntry();
        e.contentId = id(root, "content_id", true);
        if (key != null && !key.equals(e.contentId)) {
            // Compaction keeps the last value per key: an entry under another key would never be replaced.
            throw new Invalid("content_id '" + e.contentId + "' differs from the message key '" + key + "'");
        }
        e.creatorId = id(root, "creator_id", true);
        e.durationMs = duration(root.get("duration_ms"));
        e.publishedAtMs = time(root.get("published_at"));
        e.category = id(root, "category", false);
        e.soundId = id(root, "sound_id", false);
        e.hashtags = hashtags(root.get("hashtags"));
        return e;
    }

    private String id(JsonNode root, String field, boolean required) throws Invalid {
        JsonNode node = root.get(field);
        String value = null;
        if (node != null && !node.isNull()) {
            if (!node.isTextual() && !node.isIntegralNumber()) {
                throw new Invalid(field + " must be a string");
            }
            value = text(field, node.asText());
        }
        if (value == null && required) {
            throw new Invalid("missing required field '" + field + "'");
        }
        return value;
    }

    private String text(String field, String raw) throws Invalid {
        String problem = EventValidator.characterProblem(raw);
        if (problem != null) {
            throw new Invalid(field + " " + problem);
        }
        String value = raw.strip();
        if (value.length() > rules.maxIdLength()) {
            throw new Invalid(field + " is longer than " + rules.maxIdLength() + " characters");
        }
        return value.isEmpty() ? null : value;
    }

    private Long duration(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber()
                || !node.canConvertToLong()
                || node.asLong() < 0
                || node.asLong() > rules.maxContentDuration().toMillis()) {
            throw new Invalid("duration_ms must be a whole number of ms from 0 to "
                    + rules.maxContentDuration().toMillis());
        }
        return node.asLong();
    }

    private static Long time(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.asText()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                // worded below
            }
        }
        throw new Invalid("published_at must be epoch ms or an ISO-8601 instant");
    }

    private String[] hashtags(JsonNode node) throws Invalid {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.size() > MAX_HASHTAGS) {
            throw new Invalid("hashtags must be an array of at most " + MAX_HASHTAGS + " strings");
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : node) {
            if (!tag.isTextual()) {
                throw new Invalid("hashtags must be an array of at most " + MAX_HASHTAGS + " strings");
            }
            String value = text("hashtag", tag.asText());
            if (value != null && value.chars().anyMatch(Character::isWhitespace)) {
                // The content_catalog table keeps the tags space-separated.
                throw new Invalid("hashtag '" + value + "' contains whitespace");
            }
            if (value != null) {
                tags.add(value);
            }
        }
        return tags.toArray(String[]::new);
    }

    private static CatalogRecord rejected(
            String detail, String payload, String topic, int partition, long offset, int bytes) {
        DeadLetter d = new DeadLetter(
                RejectReason.INVALID_CATALOG_ENTRY,
                detail,
                payload,
                payload.isEmpty() ? "none" : "utf8",
                topic,
                partition,
                offset);
        d.payloadBytes = bytes;
        return CatalogRecord.rejected(d);
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            JsonFactory factory = JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(8).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();
            mapper = new ObjectMapper(factory);
        }
        return mapper;
    }

    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
