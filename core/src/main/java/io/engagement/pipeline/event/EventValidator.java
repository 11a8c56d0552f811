package io.engagement.pipeline.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Parses and validates one raw message against the event contract (docs/events.md). Pure: the only
 * input besides the message is the current time, so every rule is unit-testable. Never throws on bad
 * input; every rejection carries a {@link RejectReason} and a detail naming the offending field.
 */
public final class EventValidator implements Serializable {

    /** Events are flat objects; a client's own nested metadata needs a few levels, not hundreds. */
    static final int MAX_NESTING_DEPTH = 32;
    /** Longer than any number an event has (a 64-bit integer is 20 characters); defends BigDecimal parsing. */
    static final int MAX_NUMBER_LENGTH = 64;

    static final int MAX_FIELD_NAME_LENGTH = 256;

    private final ValidationRules rules;
    private final UserIdPseudonymizer pseudonymizer;
    /**
     * Fails on anything after the first JSON value (by default Jackson reads the first object of
     * "{...}\n{...}" and ignores the rest, which would silently lose every event but the first) and on
     * a field given twice (by default the last one wins, so {"event_type":"view_start",...,
     * "event_type":"like"} would be a like): both are malformed_json. The read constraints bound the
     * work one hostile message can cause.
     */
    private final transient ObjectMapper mapper;
    /**
     * The same limits without Jackson's duplicate detection (a hash set of names per object), for the
     * flat fast path, which detects a repeated field itself (a bit per contract field, a set only
     * for fields outside the contract) and leaves every nested value to the tree path.
     */
    private final transient JsonFactory flatFactory;
    /** More loops than this in one play is a broken client, not a viewer (docs/events.md). */
    static final int MAX_LOOP_COUNT = 10_000;
    /**
     * A dead letter keeps at most this many characters of the message: escaped as JSON (up to 6 bytes
     * a character) they stay well below Kafka's default 1 MB record limit.
     */
    static final int MAX_DEAD_LETTER_PAYLOAD_CHARS = 64 * 1024;
    /** The same bound for a message that is not UTF-8: base64 of 48 KiB is 64 Ki characters. */
    static final int MAX_DEAD_LETTER_PAYLOAD_BASE64_BYTES = 48 * 1024;

    static final int MAX_DETAIL_CHARS = 1_000;

    public EventValidator(ValidationRules rules) {
        this(rules, null);
    }

    /** @param pseudonymizer replaces user ids before anything leaves the validator; null for none */
    public EventValidator(ValidationRules rules, UserIdPseudonymizer pseudonymizer) {
        this.rules = rules;
        this.pseudonymizer = pseudonymizer;
        this.mapper = new ObjectMapper(factory(rules, true)).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.flatFactory = factory(rules, false);
    }

    private static JsonFactory factory(ValidationRules rules, boolean strictDuplicates) {
        return JsonFactory.builder()
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strictDuplicates)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_FIELD_NAME_LENGTH)
                        .maxStringLength(rules.maxMessageBytes())
                        .maxDocumentLength(rules.maxMessageBytes())
                        .build())
                .build();
    }

    /** Java serialization (the validator travels in the job graph) restores the transient mapper. */
    private Object readResolve() {
        return new EventValidator(rules, pseudonymizer);
    }

    public ValidationResult validate(RawEvent raw, long nowMs) {
        ValidationResult tooLargeOrEmpty = checkSize(raw);
        if (tooLargeOrEmpty != null) {
            return tooLargeOrEmpty;
        }
        if (isAscii(raw.payload)) {
            ValidationResult streamed = validateStreaming(raw, nowMs);
            if (streamed != null) {
                return streamed;
            }
        }
        return parseAsTree(raw, nowMs);
    }

    /** Checked on the bytes, before anything is parsed. */
    private ValidationResult checkSize(RawEvent raw) {
        if (raw.payload == null || raw.payload.length == 0) {
            return reject(raw, RejectReason.MALFORMED_JSON, "empty message", null, "none", false);
        }
        // Checked on the bytes, before decoding or parsing: an oversized message costs nothing more.
        if (raw.payload.length > rules.maxMessageBytes()) {
            boolean truncated = raw.payload.length > MAX_DEAD_LETTER_PAYLOAD_BASE64_BYTES;
            byte[] kept = truncated ? Arrays.copyOf(raw.payload, MAX_DEAD_LETTER_PAYLOAD_BASE64_BYTES) : raw.payload;
            return reject(
                    raw,
                    RejectReason.MESSAGE_TOO_LARGE,
                    "message is " + raw.payload.length + " bytes, more than validation.max-message-bytes = "
                            + rules.maxMessageBytes(),
                    Base64.getEncoder().encodeToString(kept),
                    "base64",
                    truncated);
        }
        return null;
    }

    /**
     * The whole message as text and a tree: the reference path, and the one that words every
     * rejection of a message that is not a well-formed JSON object.
     */
    ValidationResult validateAsTree(RawEvent raw, long nowMs) {
        ValidationResult tooLargeOrEmpty = checkSize(raw);
        return tooLargeOrEmpty != null ? tooLargeOrEmpty : parseAsTree(raw, nowMs);
    }

    private ValidationResult parseAsTree(RawEvent raw, long nowMs) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw.payload))
                    .toString();
        } catch (CharacterCodingException e) {
            boolean truncated = raw.payload.length > MAX_DEAD_LETTER_PAYLOAD_BASE64_BYTES;
            byte[] kept = truncated ? Arrays.copyOf(raw.payload, MAX_DEAD_LETTER_PAYLOAD_BASE64_BYTES) : raw.payload;
            return reject(
                    raw,
                    RejectReason.MALFORMED_JSON,
                    "message is not valid UTF-8",
                    Base64.getEncoder().encodeToString(kept),
                    "base64",
                    truncated);
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return reject(raw, text, RejectReason.MALFORMED_JSON, "not parseable as JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return reject(raw, text, RejectReason.MALFORMED_JSON, "message is not a JSON object");
        }
        try {
            return accepted(raw, toEvent(root::get, nowMs));
        } catch (Rejection r) {
            return reject(raw, text, r.reason, r.getMessage());
        }
    }

    /**
     * The hot path for flat messages that are all ASCII (ids, numbers and names of the event contract
     * are): Jackson's streaming parser over the bytes, with the same limits, keeping only the fields
     * of the contract and skipping other scalars, then the same rules in the same order as the tree
     * path. No charset decoding, no tree. A field given twice is found here (a bit per contract field,
     * a set for other names, made only when a message has one), without the hash set of names Jackson's
     * duplicate detection keeps per object (a tenth of the source task in the stack profile). Returns
     * null when the message is not exactly one well-formed, flat JSON object without a repeated
     * field: the tree path then decides and words the rejection, so reasons and details are the
     * same on both paths, and a nested value (never part of the contract) is checked there too.
     */
    private ValidationResult validateStreaming(RawEvent raw, long nowMs) {
        JsonNode[] known = new JsonNode[KNOWN_FIELDS.length];
        int seen = 0;
        Set<String> otherNames = null;
        try (JsonParser parser = flatFactory.createParser(raw.payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                int field = knownField(name);
                if (field >= 0) {
                    if ((seen & (1 << field)) != 0) {
                        return null;
                    }
                    seen |= 1 << field;
                } else {
                    if (otherNames == null) {
                        otherNames = new HashSet<>();
                    }
                    if (!otherNames.add(name)) {
                        return null;
                    }
                }
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    return null;
                }
                if (field >= 0) {
                    known[field] = scalar(parser, value);
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (IOException malformed) {
            return null;
        }
        try {
            return accepted(raw, toEvent(name -> known[knownField(name)], nowMs));
        } catch (Rejection r) {
            // Only valid ASCII reaches here, so the message is its own text.
            return reject(raw, new String(raw.payload, StandardCharsets.ISO_8859_1), r.reason, r.getMessage());
        }
    }

    /** The fields of the event contract, the only ones the rules read. */
    private static final String[] KNOWN_FIELDS = {
        "event_id",
        "event_type",
        "content_id",
        "creator_id",
        "session_id",
        "user_id",
        "event_time",
        "watch_time_ms",
        "total_watch_time_ms",
        "loop_count",
        "content_duration_ms",
        "progress",
        "is_rewatch",
        "source",
        "device",
        "platform",
        "country",
        "device_id",
        "properties",
        "experiment",
        "variant"
    };

    private static int knownField(String name) {
        for (int i = 0; i < KNOWN_FIELDS.length; i++) {
            if (KNOWN_FIELDS[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The node the tree path would hold for this scalar value, as far as the rules look at it: the
     * same node types for numbers (int, long, big integer, double), text, booleans and null.
     */
    private static JsonNode scalar(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT ->
                switch (parser.getNumberType()) {
                    case INT -> IntNode.valueOf(parser.getIntValue());
                    case LONG -> LongNode.valueOf(parser.getLongValue());
                    default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(parser.getDoubleValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.instance;
            default -> throw new IllegalStateException("not a scalar: " + value);
        };
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private ValidationResult accepted(RawEvent raw, EngagementEvent event) {
        if (pseudonymizer != null && event.userId != null) {
            event.userId = pseudonymizer.pseudonym(event.userId);
        }
        event.sourceTopic = raw.topic;
        event.sourcePartition = raw.partition;
        event.sourceOffset = raw.offset;
        return ValidationResult.accepted(event);
    }

    /** A message's fields by name; null for a field it does not have. */
    private interface Fields {
        JsonNode get(String name);
    }

    private EngagementEvent toEvent(Fields root, long nowMs) throws Rejection {
        EngagementEvent e = new EngagementEvent();
        e.eventId = required(root, "event_id");
        String typeName = required(root, "event_type");
        e.eventType = EventType.fromWireName(typeName);
        if (e.eventType == null) {
            throw new Rejection(RejectReason.UNKNOWN_EVENT_TYPE, "unknown event_type '" + typeName + "'");
        }
        e.contentId = required(root, "content_id");
        e.creatorId = required(root, "creator_id");
        e.sessionId = required(root, "session_id");
        e.userId = optionalId(root, "user_id");
        e.eventTimeMs = eventTime(root, nowMs);

        e.watchTimeMs = optionalNonNegativeLong(root, "watch_time_ms");
        if (e.watchTimeMs != null && e.watchTimeMs > rules.maxWatchTime().toMillis()) {
            throw new Rejection(
                    RejectReason.INVALID_WATCH_TIME,
                    "watch_time_ms " + e.watchTimeMs + " exceeds the maximum of "
                            + rules.maxWatchTime().toMillis());
        }
        e.totalWatchTimeMs = optionalNonNegativeLong(root, "total_watch_time_ms");
        if (e.totalWatchTimeMs != null
                && e.totalWatchTimeMs > rules.maxWatchTime().toMillis()) {
            throw new Rejection(
                    RejectReason.INVALID_WATCH_TIME,
                    "total_watch_time_ms " + e.totalWatchTimeMs + " exceeds the maximum of "
                            + rules.maxWatchTime().toMillis());
        }
        e.loopCount = optionalLoopCount(root);
        e.contentDurationMs = optionalNonNegativeLong(root, "content_duration_ms");
        if (e.contentDurationMs != null
                && e.contentDurationMs > rules.maxContentDuration().toMillis()) {
            throw new Rejection(
                    RejectReason.INVALID_FIELD,
                    "content_duration_ms " + e.contentDurationMs + " exceeds the maximum of "
                            + rules.maxContentDuration().toMillis());
        }
        e.progress = optionalProgress(root);
        e.isRewatch = optionalBoolean(root, "is_rewatch");
        // Bounded here, once, so no later stage can see a value outside its vocabulary (Dimensions).
        e.source = Dimensions.source(optionalId(root, "source"));
        e.device = Dimensions.device(optionalId(root, "device"));
        e.platform = Dimensions.platform(optionalId(root, "platform"));
        e.country = Dimensions.country(optionalId(root, "country"));
        e.deviceId = optionalId(root, "device_id");
        properties(root.get("properties"), e);
        e.experiment = optionalId(root, "experiment");
        e.variant = optionalId(root, "variant");
        if ((e.experiment == null) != (e.variant == null)) {
            throw new Rejection(
                    RejectReason.INVALID_FIELD,
                    e.experiment == null ? "variant without experiment" : "experiment without variant");
        }
        return e;
    }

    /** At most this many keys in an event's {@code properties}, after flattening (docs/events.md#custom-properties). */
    static final int MAX_PROPERTIES = 32;
    /** Objects inside {@code properties} may nest this deep ({@code properties.a.b.c}); their keys are joined by dots. */
    static final int MAX_PROPERTY_DEPTH = 3;

    static final int MAX_PROPERTY_KEY_LENGTH = 64;
    static final int MAX_PROPERTY_VALUE_LENGTH = 256;

    /**
     * The event's custom properties: an object of scalars (and objects of scalars, up to
     * {@link #MAX_PROPERTY_DEPTH} levels, flattened to dotted keys), kept as sorted key and value
     * arrays (numbers and booleans as their JSON text, nulls dropped). Anything beyond the limits is
     * a rejection naming the property, not a silent cut: a client learns what it sent wrong.
     */
    private static void properties(JsonNode node, EngagementEvent e) throws Rejection {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new Rejection(RejectReason.INVALID_FIELD, "properties must be an object of keys and values");
        }
        java.util.TreeMap<String, String> flat = new java.util.TreeMap<>();
        flatten(node, "", 1, flat);
        if (!flat.isEmpty()) {
            e.propertyKeys = flat.keySet().toArray(String[]::new);
            e.propertyValues = flat.values().toArray(String[]::new);
        }
    }

    private static void flatten(JsonNode object, String prefix, int depth, java.util.Map<String, String> flat)
            throws Rejection {
        var fields = object.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String key = field.getKey();
            String path = prefix + key;
            if (!validPropertyKey(key)) {
                throw new Rejection(
                        RejectReason.INVALID_FIELD,
                        "properties key '" + preview(path) + "' must be 1-" + MAX_PROPERTY_KEY_LENGTH
                                + " of a-z A-Z 0-9 _ - : (a dot joins nested keys)");
            }
            JsonNode value = field.getValue();
            if (value.isObject()) {
                if (depth >= MAX_PROPERTY_DEPTH) {
                    throw new Rejection(
                            RejectReason.INVALID_FIELD,
                            "properties." + path + " nests deeper than " + MAX_PROPERTY_DEPTH + " levels");
                }
                flatten(value, path + ".", depth + 1, flat);
                continue;
            }
            if (value.isArray()) {
                throw new Rejection(
                        RejectReason.INVALID_FIELD,
                        "properties." + path + " is an array; property values are strings, numbers or booleans");
            }
            if (value.isNull()) {
                continue;
            }
            String text;
            if (value.isTextual()) {
                text = value.asText();
                String problem = characterProblem(text);
                if (problem != null) {
                    throw new Rejection(RejectReason.INVALID_FIELD, "properties." + path + " " + problem);
                }
                if (text.length() > MAX_PROPERTY_VALUE_LENGTH) {
                    throw new Rejection(
                            RejectReason.INVALID_FIELD,
                            "properties." + path + " is longer than " + MAX_PROPERTY_VALUE_LENGTH + " characters");
                }
            } else if (value.isNumber() || value.isBoolean()) {
                text = value.asText();
            } else {
                throw new Rejection(RejectReason.INVALID_FIELD, "properties." + path + " has an unsupported value");
            }
            flat.put(path, text);
            if (flat.size() > MAX_PROPERTIES) {
                throw new Rejection(RejectReason.INVALID_FIELD, "properties has more than " + MAX_PROPERTIES + " keys");
            }
        }
    }

    private static boolean validPropertyKey(String key) {
        if (key.isEmpty() || key.length() > MAX_PROPERTY_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String preview(String key) {
        String cut = key.length() > 80 ? key.substring(0, 80) + "..." : key;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    private long eventTime(Fields root, long nowMs) throws Rejection {
        JsonNode node = root.get("event_time");
        if (node == null || node.isNull()) {
            throw new Rejection(RejectReason.MISSING_FIELD, "missing required field 'event_time'");
        }
        long ms;
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) { // asLong() would keep the low 64 bits: a plausible, wrong time
                throw outOfRange(node.asText(), node.bigIntegerValue().signum() > 0);
            }
            ms = node.asLong();
        } else if (node.isTextual()) {
            ms = parseIsoTime(node.asText());
        } else {
            throw new Rejection(RejectReason.INVALID_FIELD, "event_time must be epoch ms or an ISO-8601 string");
        }
        if (ms > nowMs + rules.maxFutureSkew().toMillis()) {
            throw new Rejection(
                    RejectReason.FUTURE_EVENT_TIME,
                    "event_time " + Instant.ofEpochMilli(ms) + " is more than " + rules.maxFutureSkew()
                            + " ahead of processing time");
        }
        if (ms < nowMs - rules.maxEventAge().toMillis()) {
            throw new Rejection(
                    RejectReason.STALE_EVENT_TIME,
                    "event_time " + Instant.ofEpochMilli(ms) + " is older than the maximum event age "
                            + rules.maxEventAge());
        }
        return ms;
    }

    private static long parseIsoTime(String text) throws Rejection {
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                instant = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new Rejection(RejectReason.INVALID_FIELD, "event_time '" + text + "' is not ISO-8601");
            }
        }
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException overflow) { // years beyond about +-292 million parse, but have no epoch ms
            throw outOfRange(text, instant.isAfter(Instant.EPOCH));
        }
    }

    private static Rejection outOfRange(String eventTime, boolean future) {
        return new Rejection(
                future ? RejectReason.FUTURE_EVENT_TIME : RejectReason.STALE_EVENT_TIME,
                "event_time " + eventTime + " is beyond the range of epoch milliseconds");
    }

    private String required(Fields root, String field) throws Rejection {
        String value = optionalId(root, field);
        if (value == null) {
            throw new Rejection(RejectReason.MISSING_FIELD, "missing required field '" + field + "'");
        }
        return value;
    }

    /** Ids may arrive as strings or integers (seed 001 uses numeric ids); both become strings. */
    private String optionalId(Fields root, String field) throws Rejection {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String value;
        if (node.isTextual()) {
            value = node.asText();
            String problem = characterProblem(value);
            if (problem != null) {
                throw new Rejection(RejectReason.INVALID_FIELD, field + " " + problem);
            }
            value = value.strip();
        } else if (node.isIntegralNumber()) {
            value = node.asText();
        } else {
            throw new Rejection(RejectReason.INVALID_FIELD, field + " must be a string");
        }
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > rules.maxIdLength()) {
            throw new Rejection(
                    RejectReason.INVALID_FIELD, field + " is longer than " + rules.maxIdLength() + " characters");
        }
        return value;
    }

    /**
     * Control characters and lone surrogates have no faithful text form downstream: ClickHouse's
     * driver writes a lone surrogate as '?', so "c\ud800", "c\udc00" and "c?" would become one id and
     * one content's rows would replace another's; and trimming would silently turn "c\u0001" into "c".
     * So they are rejected, not cleaned. Returns what is wrong, or null.
     */
    public static String characterProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("contains the control character U+%04X at position %d", (int) c, i);
            }
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a valid pair: one supplementary character
            } else if (Character.isSurrogate(c)) {
                return String.format("contains the unpaired surrogate U+%04X at position %d", (int) c, i);
            }
        }
        return null;
    }

    private static Long optionalNonNegativeLong(Fields root, String field) throws Rejection {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!isWholeNumber(node)) {
            throw new Rejection(
                    field.endsWith("watch_time_ms") ? RejectReason.INVALID_WATCH_TIME : RejectReason.INVALID_FIELD,
                    field + " must be a whole number of milliseconds");
        }
        long value = node.asLong();
        if (value < 0) {
            throw new Rejection(
                    field.endsWith("watch_time_ms") ? RejectReason.INVALID_WATCH_TIME : RejectReason.INVALID_FIELD,
                    field + " must not be negative (was " + value + ")");
        }
        return value;
    }

    private static Integer optionalLoopCount(Fields root) throws Rejection {
        JsonNode node = root.get("loop_count");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!isWholeNumber(node) || node.asLong() < 0 || node.asLong() > MAX_LOOP_COUNT) {
            throw new Rejection(
                    RejectReason.INVALID_FIELD, "loop_count must be a whole number from 0 to " + MAX_LOOP_COUNT);
        }
        return node.asInt();
    }

    /** 5000 and 5000.0 are whole numbers; 5000.5 is not, and neither is anything beyond a long's range. */
    private static boolean isWholeNumber(JsonNode node) {
        return node.isNumber()
                && node.canConvertToLong()
                && (!node.isFloatingPointNumber() || node.asDouble() == Math.rint(node.asDouble()));
    }

    private static Double optionalProgress(Fields root) throws Rejection {
        JsonNode node = root.get("progress");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.asDouble()) || node.asDouble() < 0 || node.asDouble() > 1) {
            throw new Rejection(RejectReason.INVALID_FIELD, "progress must be a number between 0 and 1");
        }
        return node.asDouble();
    }

    private static Boolean optionalBoolean(Fields root, String field) throws Rejection {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw new Rejection(RejectReason.INVALID_FIELD, field + " must be true or false");
        }
        return node.asBoolean();
    }

    private ValidationResult reject(RawEvent raw, String text, RejectReason reason, String detail) {
        if (pseudonymizer != null) {
            text = pseudonymizer.scrub(text);
        }
        boolean truncated = text.length() > MAX_DEAD_LETTER_PAYLOAD_CHARS;
        String payload = text;
        if (truncated) {
            int end = MAX_DEAD_LETTER_PAYLOAD_CHARS;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // never split a character
            }
            payload = text.substring(0, end);
        }
        return reject(raw, reason, detail, payload, "utf8", truncated);
    }

    private ValidationResult reject(
            RawEvent raw, RejectReason reason, String detail, String payload, String encoding, boolean truncated) {
        if (pseudonymizer != null && !"utf8".equals(encoding) && payload != null) {
            // Bytes that are not text cannot be scrubbed of user ids: withheld, their size still recorded.
            payload = null;
            encoding = "none";
            detail = detail + " (payload withheld: privacy.user-id-hmac-key is set and it is not text)";
        }
        DeadLetter d = new DeadLetter(reason, shorten(detail), payload, encoding, raw.topic, raw.partition, raw.offset);
        d.payloadBytes = raw.payload == null ? 0 : raw.payload.length;
        d.payloadTruncated = truncated;
        return ValidationResult.rejected(d);
    }

    /** Details quote input (an unparseable event_time, say); keep them readable and bounded. */
    private static String shorten(String detail) {
        return detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS - 3) + "...";
    }

    /** Control flow for the first rule a message breaks; never escapes this class. */
    private static final class Rejection extends Exception {
        final RejectReason reason;

        Rejection(RejectReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
