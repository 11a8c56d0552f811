package io.engagement.pipeline.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile and broken messages, run through the validator with the default rules (64 KiB
 * message cap, 128-character ids, 24 h content duration, 5 min future skew, 7 d age). Each case names
 * the exact outcome: accepted (with the id it must read), or the reject reason and a fragment of the
 * detail. Expectations are written by hand from docs/events.md, not taken from the validator.
 */
class HostileInputTest {

    private static final long NOW = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    private static final EventValidator VALIDATOR = new EventValidator(ValidationRules.defaults());

    /** One message and what must happen to it; {@code reason == null} means accepted with {@code contentId}. */
    record Case(String name, byte[] payload, RejectReason reason, String detail, String contentId) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String valid(String contentIdJson, String extra) {
        return "{\"event_id\":\"e1\",\"event_type\":\"view_start\",\"content_id\":" + contentIdJson
                + ",\"creator_id\":\"k1\",\"session_id\":\"s1\",\"event_time\":" + NOW + extra + "}";
    }

    private static String valid(String extra) {
        return valid("\"c1\"", extra);
    }

    /** The base event with one field's JSON value replaced (field must be in the base event). */
    private static String with(String field, String jsonValue) {
        String base = valid("");
        int at = base.indexOf("\"" + field + "\":");
        int valueStart = at + field.length() + 3;
        int valueEnd = base.indexOf(',', valueStart);
        valueEnd = valueEnd < 0 ? base.length() - 1 : valueEnd;
        return base.substring(0, valueStart) + jsonValue + base.substring(valueEnd);
    }

    private static Case accept(String name, String json, String contentId) {
        return new Case(name, json.getBytes(StandardCharsets.UTF_8), null, null, contentId);
    }

    private static Case reject(String name, String json, RejectReason reason, String detail) {
        return new Case(name, json.getBytes(StandardCharsets.UTF_8), reason, detail, null);
    }

    private static Case rejectBytes(String name, byte[] payload, RejectReason reason, String detail) {
        return new Case(name, payload, reason, detail, null);
    }

    /** A valid event padded with an unknown string field to exactly {@code bytes} bytes. */
    private static String paddedTo(int bytes) {
        String base = valid(",\"pad\":\"\"");
        return valid(",\"pad\":\"" + "p".repeat(bytes - base.length()) + "\"");
    }

    static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        RejectReason malformed = RejectReason.MALFORMED_JSON;
        RejectReason invalid = RejectReason.INVALID_FIELD;

        // Malformed JSON and encodings.
        c.add(rejectBytes("empty message", new byte[0], malformed, "empty message"));
        c.add(rejectBytes("tombstone", null, malformed, "empty message"));
        c.add(reject("whitespace only", "  \n ", malformed, "not a JSON object"));
        c.add(reject("truncated object", "{\"event_id\":\"e1\"", malformed, "not parseable as JSON"));
        c.add(reject("JSON null", "null", malformed, "not a JSON object"));
        c.add(reject("JSON array", "[" + valid("") + "]", malformed, "not a JSON object"));
        c.add(reject("JSON number", "42", malformed, "not a JSON object"));
        c.add(reject("JSON string", "\"view_start\"", malformed, "not a JSON object"));
        c.add(reject("single quotes", "{'event_id':'e1'}", malformed, "not parseable as JSON"));
        c.add(reject("trailing comma", valid(",\"x\":1,"), malformed, "not parseable as JSON"));
        c.add(reject("comment", valid("/* hi */"), malformed, "not parseable as JSON"));
        c.add(reject("NaN literal", valid(",\"progress\":NaN"), malformed, "not parseable as JSON"));
        c.add(reject("two events in one message", valid("") + valid(""), malformed, "not parseable as JSON"));
        c.add(reject("raw tab inside a string", valid("\"c\t1\"", ""), malformed, "not parseable as JSON"));
        c.add(rejectBytes("invalid UTF-8", new byte[] {'{', (byte) 0xff, '}'}, malformed, "not valid UTF-8"));
        c.add(rejectBytes(
                "overlong UTF-8 for '/'",
                new byte[] {'{', (byte) 0xc0, (byte) 0xaf, '}'},
                malformed,
                "not valid UTF-8"));
        c.add(rejectBytes(
                "UTF-8 encoded surrogate",
                new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'},
                malformed,
                "not valid UTF-8"));

        // Duplicate keys: the last one would silently win.
        c.add(reject(
                "event_type given twice",
                valid(",\"event_type\":\"like\""),
                malformed,
                "Duplicate field 'event_type'"));
        c.add(reject(
                "event_id given twice, same value",
                valid(",\"event_id\":\"e1\""),
                malformed,
                "Duplicate field 'event_id'"));
        c.add(reject(
                "duplicate key in nested metadata",
                valid(",\"meta\":{\"a\":1,\"a\":2}"),
                malformed,
                "Duplicate field 'a'"));

        // Size and depth.
        c.add(accept("exactly 64 KiB", paddedTo(65_536), "c1"));
        c.add(reject("64 KiB + 1 byte", paddedTo(65_537), RejectReason.MESSAGE_TOO_LARGE, "65537 bytes"));
        c.add(reject("1 MB of brackets", "[".repeat(1_000_000), RejectReason.MESSAGE_TOO_LARGE, "1000000 bytes"));
        c.add(accept("nesting depth 32 (root + 31 arrays)", valid(",\"x\":" + "[".repeat(31) + "]".repeat(31)), "c1"));
        c.add(reject(
                "nesting depth 33", valid(",\"x\":" + "[".repeat(32) + "]".repeat(32)), malformed, "nesting depth"));
        c.add(reject(
                "10 000 nested objects",
                "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                malformed,
                "nesting depth"));
        c.add(reject("1000-digit number", valid(",\"x\":" + "9".repeat(1_000)), malformed, "Number value length"));
        c.add(reject(
                "100-digit event_time", with("event_time", "1" + "0".repeat(99)), malformed, "Number value length"));
        c.add(reject("300-character field name", valid(",\"" + "n".repeat(300) + "\":1"), malformed, "Name length"));

        // Identifiers: control characters and lone surrogates are rejected, never cleaned.
        c.add(reject(
                "lone high surrogate in content_id",
                valid("\"c\\ud800\"", ""),
                invalid,
                "content_id contains the unpaired surrogate U+D800"));
        c.add(reject(
                "lone low surrogate in content_id",
                valid("\"c\\udc00\"", ""),
                invalid,
                "content_id contains the unpaired surrogate U+DC00"));
        c.add(reject("reversed surrogate pair", valid("\"\\ude00\\ud83d\"", ""), invalid, "unpaired surrogate U+DE00"));
        c.add(accept("question mark is a plain id", valid("\"c?\"", ""), "c?"));
        c.add(accept("valid surrogate pair (emoji)", valid("\"c\\ud83d\\ude00\"", ""), "c\ud83d\ude00"));
        c.add(reject("NUL in content_id", valid("\"c\\u0000\"", ""), invalid, "control character U+0000"));
        c.add(reject(
                "U+0001 in content_id (trim would drop it)",
                valid("\"c\\u0001\"", ""),
                invalid,
                "control character U+0001"));
        c.add(reject("escaped tab in content_id", valid("\"c\\t\"", ""), invalid, "control character U+0009"));
        c.add(reject("escaped newline in content_id", valid("\"c\\n\"", ""), invalid, "control character U+000A"));
        c.add(reject("DEL in content_id", valid("\"c\\u007f\"", ""), invalid, "control character U+007F"));
        c.add(reject("C1 control NEL in content_id", valid("\"c\\u0085\"", ""), invalid, "control character U+0085"));
        c.add(reject(
                "C1 control U+009F in content_id", valid("\"c\\u009f\"", ""), invalid, "control character U+009F"));
        c.add(reject(
                "lone surrogate in event_id",
                with("event_id", "\"e\\ud800\""),
                invalid,
                "event_id contains the unpaired surrogate"));
        c.add(reject(
                "control character in creator_id",
                with("creator_id", "\"k\\u0002\""),
                invalid,
                "creator_id contains the control character U+0002"));
        c.add(reject(
                "ESC in session_id",
                with("session_id", "\"s\\u001b[31m\""),
                invalid,
                "session_id contains the control character U+001B"));
        c.add(reject(
                "lone surrogate in user_id",
                valid(",\"user_id\":\"u\\udbff\""),
                invalid,
                "user_id contains the unpaired surrogate U+DBFF"));
        c.add(reject(
                "NUL in country",
                valid(",\"country\":\"U\\u0000S\""),
                invalid,
                "country contains the control character U+0000"));
        c.add(accept("surrounding spaces are trimmed", valid("\"  c1  \"", ""), "c1"));
        c.add(accept("ideographic spaces are trimmed", valid("\"\\u3000c1\\u3000\"", ""), "c1"));
        c.add(accept("no-break space is part of the id", valid("\"c1\\u00a0\"", ""), "c1\u00a0"));
        c.add(accept("decomposed accent is kept as sent", valid("\"e\\u0301\"", ""), "e\u0301"));
        c.add(accept("128-character id", valid("\"" + "x".repeat(128) + "\"", ""), "x".repeat(128)));
        c.add(reject(
                "129-character id", valid("\"" + "x".repeat(129) + "\"", ""), invalid, "longer than 128 characters"));

        // Wrong types.
        c.add(reject("event_id true", with("event_id", "true"), invalid, "event_id must be a string"));
        c.add(reject("event_id 1.5", with("event_id", "1.5"), invalid, "event_id must be a string"));
        c.add(reject("event_id object", with("event_id", "{}"), invalid, "event_id must be a string"));
        c.add(reject(
                "event_type number",
                with("event_type", "5"),
                RejectReason.UNKNOWN_EVENT_TYPE,
                "unknown event_type '5'"));
        c.add(reject("event_type array", with("event_type", "[\"like\"]"), invalid, "event_type must be a string"));
        c.add(reject("event_time true", with("event_time", "true"), invalid, "event_time must be epoch ms"));
        c.add(reject(
                "event_time digits in a string", with("event_time", "\"" + NOW + "\""), invalid, "is not ISO-8601"));
        c.add(reject(
                "event_time with a fraction", with("event_time", NOW + ".5"), invalid, "event_time must be epoch ms"));
        c.add(reject(
                "watch_time_ms as a string",
                valid(",\"watch_time_ms\":\"100\""),
                RejectReason.INVALID_WATCH_TIME,
                "whole number"));
        c.add(reject("is_rewatch 1", valid(",\"is_rewatch\":1"), invalid, "is_rewatch must be true or false"));
        c.add(reject("progress as a string", valid(",\"progress\":\"0.5\""), invalid, "progress must be a number"));
        c.add(reject("loop_count true", valid(",\"loop_count\":true"), invalid, "loop_count must be a whole number"));

        // Absurd numbers and times.
        c.add(reject(
                "watch_time_ms 1e308",
                valid(",\"watch_time_ms\":1e308"),
                RejectReason.INVALID_WATCH_TIME,
                "whole number"));
        c.add(reject(
                "watch_time_ms Long.MAX",
                valid(",\"watch_time_ms\":9223372036854775807"),
                RejectReason.INVALID_WATCH_TIME,
                "exceeds the maximum of 43200000"));
        c.add(reject(
                "progress 1e999 (infinite)",
                valid(",\"progress\":1e999"),
                invalid,
                "progress must be a number between 0 and 1"));
        c.add(accept("content_duration_ms 24 h", valid(",\"content_duration_ms\":86400000"), "c1"));
        c.add(reject(
                "content_duration_ms 24 h + 1 ms",
                valid(",\"content_duration_ms\":86400001"),
                invalid,
                "content_duration_ms 86400001 exceeds the maximum of 86400000"));
        c.add(reject(
                "content_duration_ms Long.MAX",
                valid(",\"content_duration_ms\":9223372036854775807"),
                invalid,
                "exceeds the maximum"));
        c.add(reject(
                "content_duration_ms negative", valid(",\"content_duration_ms\":-1"), invalid, "must not be negative"));
        c.add(reject(
                "event_time 0",
                with("event_time", "0"),
                RejectReason.STALE_EVENT_TIME,
                "older than the maximum event age"));
        c.add(reject(
                "event_time -1",
                with("event_time", "-1"),
                RejectReason.STALE_EVENT_TIME,
                "older than the maximum event age"));
        c.add(reject(
                "event_time just beyond the skew",
                with("event_time", Long.toString(NOW + 300_001)),
                RejectReason.FUTURE_EVENT_TIME,
                "ahead of processing time"));
        c.add(reject(
                "event_time Long.MAX",
                with("event_time", "9223372036854775807"),
                RejectReason.FUTURE_EVENT_TIME,
                "ahead of processing time"));
        c.add(reject(
                "event_time without offset",
                with("event_time", "\"2026-03-02T12:00:00\""),
                invalid,
                "is not ISO-8601"));
        c.add(reject(
                "event_time 30 February", with("event_time", "\"2026-02-30T00:00:00Z\""), invalid, "is not ISO-8601"));

        // Missing and unknown.
        c.add(reject("event_id empty", with("event_id", "\"\""), RejectReason.MISSING_FIELD, "'event_id'"));
        c.add(reject("event_id blank", with("event_id", "\"   \""), RejectReason.MISSING_FIELD, "'event_id'"));
        c.add(reject("content_id null", valid("null", ""), RejectReason.MISSING_FIELD, "'content_id'"));
        c.add(reject(
                "unknown event type", with("event_type", "\"teleport\""), RejectReason.UNKNOWN_EVENT_TYPE, "teleport"));
        c.add(accept("event type upper case with a trailing space", with("event_type", "\"VIEW_START \""), "c1"));
        return c;
    }

    @Test
    void theCorpusHasAtLeastSixtyMessages() {
        assertTrue(corpus().size() >= 60, "corpus size " + corpus().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachHostileMessageGetsItsExactOutcome(Case c) {
        ValidationResult result = VALIDATOR.validate(new RawEvent(c.payload(), "engagement-events", 0, 7L), NOW);
        if (c.reason() == null) {
            assertNull(
                    result.deadLetter(),
                    () -> "rejected: " + result.deadLetter().reason + " " + result.deadLetter().detail);
            assertEquals(c.contentId(), result.event().contentId);
            return;
        }
        assertNotNull(result.deadLetter(), "accepted");
        DeadLetter d = result.deadLetter();
        assertEquals(c.reason(), d.reason, d.detail);
        assertTrue(d.detail.contains(c.detail()), "detail: " + d.detail);
        assertEquals(7L, d.sourceOffset);
        assertTrue(d.payload == null || d.payload.length() <= 65_536, "bounded payload");
    }
}
