package io.engagement.pipeline.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventValidatorTest {

    private static final long NOW = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    private final EventValidator validator = new EventValidator(
            // A 16 MiB message cap (the largest allowed) so the dead-letter bounds below are exercised;
            // HostileInputTest uses the default cap.
            new ValidationRules(
                    Duration.ofMinutes(5),
                    Duration.ofDays(7),
                    Duration.ofHours(12),
                    Duration.ofHours(24),
                    128,
                    16 << 20));

    private static String event(String extra) {
        return "{\"event_id\":\"e1\",\"event_type\":\"view_start\",\"content_id\":\"c1\",\"creator_id\":\"k1\","
                + "\"session_id\":\"s1\",\"event_time\":" + NOW + extra + "}";
    }

    private ValidationResult validate(String json) {
        return validator.validate(
                new RawEvent(json.getBytes(StandardCharsets.UTF_8), "engagement-events", 3, 42L), NOW);
    }

    @Test
    void acceptsAFullEvent() {
        ValidationResult r = validate(
                event(
                        ",\"user_id\":\"u1\",\"watch_time_ms\":1500,\"content_duration_ms\":30000,"
                                + "\"progress\":0.5,\"is_rewatch\":true,\"total_watch_time_ms\":14000,\"loop_count\":2,\"source\":\"for_you\",\"device\":\"mobile\",\"platform\":\"ios\",\"country\":\"US\""));
        assertTrue(r.isAccepted());
        EngagementEvent e = r.event();
        assertEquals("e1", e.eventId);
        assertEquals(EventType.VIEW_START, e.eventType);
        assertEquals("c1", e.contentId);
        assertEquals("k1", e.creatorId);
        assertEquals("u1", e.userId);
        assertEquals("s1", e.sessionId);
        assertEquals(NOW, e.eventTimeMs);
        assertEquals(1500L, e.watchTimeMs);
        assertEquals(30000L, e.contentDurationMs);
        assertEquals(0.5, e.progress);
        assertEquals(Boolean.TRUE, e.isRewatch);
        assertEquals(14000L, e.totalWatchTimeMs);
        assertEquals(2, e.loopCount);
        assertEquals("for_you", e.source);
        assertEquals("mobile", e.device);
        assertEquals("ios", e.platform);
        assertEquals("US", e.country);
        assertEquals("u:u1", e.viewerKey());
    }

    @Test
    void dimensionsAreBoundedToTheirVocabulariesOnBothParsePaths() {
        // ASCII goes through the streaming parser, a non-ASCII value elsewhere in the message through the tree.
        for (String extra : new String[] {"", ",\"user_id\":\"ü\""}) {
            EngagementEvent odd = validate(event(
                            ",\"country\":\"uk\",\"device\":\"Fridge\",\"platform\":\"symbian\",\"source\":\"billboard\""
                                    + extra))
                    .event();
            assertEquals("unknown", odd.country);
            assertEquals("other", odd.device);
            assertEquals("other", odd.platform);
            assertEquals("other", odd.source);
            EngagementEvent known = validate(event(
                            ",\"country\":\"de\",\"device\":\"TV\",\"platform\":\"Android\",\"source\":\"Following\""
                                    + extra))
                    .event();
            assertEquals("DE", known.country);
            assertEquals("tv", known.device);
            assertEquals("android", known.platform);
            assertEquals("following", known.source);
        }
    }

    @Test
    void anonymousViewerIsIdentifiedBySession() {
        EngagementEvent e = validate(event("")).event();
        assertNull(e.userId);
        assertEquals("s:s1", e.viewerKey());
    }

    @Test
    void acceptsIsoTimestampsAndNumericIds() {
        String json =
                "{\"event_id\":7,\"event_type\":\"LIKE\",\"content_id\":123,\"creator_id\":9,\"session_id\":\"s\","
                        + "\"event_time\":\"2026-03-02T11:59:00.250Z\"}";
        EngagementEvent e = validate(json).event();
        assertEquals("7", e.eventId);
        assertEquals("123", e.contentId);
        assertEquals(EventType.LIKE, e.eventType);
        assertEquals(NOW - 59_750, e.eventTimeMs);
        String withOffset = json.replace("2026-03-02T11:59:00.250Z", "2026-03-02T13:59:00.250+02:00");
        assertEquals(NOW - 59_750, validate(withOffset).event().eventTimeMs);
    }

    @ParameterizedTest
    @CsvSource({"view,VIEW_START", "complete,VIEW_COMPLETE", "skip,SWIPE_AWAY", "click,CLICK", "swipe_away,SWIPE_AWAY"})
    void mapsSimpleSeedNamesOntoCanonicalTypes(String wire, EventType expected) {
        assertEquals(expected, validate(event("").replace("view_start", wire)).event().eventType);
    }

    @Test
    void malformedJsonKeepsThePayloadAndTheSourcePosition() {
        DeadLetter d = validate("{\"event_id\": ").deadLetter();
        assertEquals(RejectReason.MALFORMED_JSON, d.reason);
        assertEquals("{\"event_id\": ", d.payload);
        assertEquals("utf8", d.payloadEncoding);
        assertEquals("engagement-events", d.sourceTopic);
        assertEquals(3, d.sourcePartition);
        assertEquals(42L, d.sourceOffset);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "18446745846156051616|FUTURE_EVENT_TIME", // 2^64 + a 2026 time: must not wrap to 2026
                "-18446742301263051616|STALE_EVENT_TIME",
                "\"+300000000-01-01T00:00:00Z\"|FUTURE_EVENT_TIME", // parses as an Instant, has no epoch ms
                "\"-300000000-01-01T00:00:00Z\"|STALE_EVENT_TIME",
                "\"+999999999-12-31T23:59:59+18:00\"|FUTURE_EVENT_TIME"
            })
    void eventTimesBeyondTheEpochMillisecondRangeAreRejectedNotWrappedOrThrown(String eventTime, RejectReason reason) {
        String json = event("").replace("\"event_time\":" + NOW, "\"event_time\":" + eventTime);
        assertEquals(reason, validate(json).deadLetter().reason, json);
    }

    @Test
    void hugeRejectedMessagesKeepABoundedPayloadSoTheDeadLetterFitsAKafkaRecord() {
        // Kafka's default producer max.request.size is 1 048 576 bytes; a dead letter over it fails the job.
        int kafkaLimit = 1_048_576;
        String controlCharacters = "\u0001".repeat(300_000); // escapes to 6 bytes a character: 1.8 MB whole
        DeadLetter text = validate(controlCharacters).deadLetter();
        assertEquals(65_536, text.payload.length());
        assertEquals(controlCharacters.substring(0, 65_536), text.payload);
        assertEquals(300_000, text.payloadBytes);
        assertTrue(text.payloadTruncated);
        assertTrue(
                DeadLetterJson.toJson(text).length < kafkaLimit,
                "dead letter " + DeadLetterJson.toJson(text).length + " bytes");

        byte[] notUtf8 = new byte[800_000];
        java.util.Arrays.fill(notUtf8, (byte) 0xff);
        DeadLetter binary =
                validator.validate(new RawEvent(notUtf8, "t", 0, 1), NOW).deadLetter();
        assertEquals("base64", binary.payloadEncoding);
        assertEquals(65_536, binary.payload.length()); // base64 of the first 48 KiB
        assertEquals(800_000, binary.payloadBytes);
        assertTrue(binary.payloadTruncated);
        assertTrue(DeadLetterJson.toJson(binary).length < kafkaLimit);

        // A character is never split: the 65 536th character starts a surrogate pair here.
        String pairs = "a".repeat(65_535) + "\uD83D\uDE00".repeat(10);
        assertEquals(65_535, validate(pairs).deadLetter().payload.length());

        // The detail quotes input; it is bounded too.
        String longTime = event("").replace("\"event_time\":" + NOW, "\"event_time\":\"" + "9".repeat(200_000) + "\"");
        DeadLetter d = validate(longTime).deadLetter();
        assertEquals(RejectReason.INVALID_FIELD, d.reason);
        assertEquals(1_000, d.detail.length());
        assertTrue(d.payloadTruncated); // 200 000 characters of event_time
    }

    @Test
    void smallRejectedMessagesAreKeptWhole() {
        String json = event(",\"watch_time_ms\":-1");
        DeadLetter d = validate(json).deadLetter();
        assertEquals(json, d.payload);
        assertEquals(json.length(), d.payloadBytes);
        assertFalse(d.payloadTruncated);
    }

    @Test
    void aMessageWithSeveralEventsIsRejectedWhole() {
        // A client batching newline-separated events: accepting the first and ignoring the rest
        // would lose them silently, so the whole message goes to the dead-letter topic.
        String twoEvents = event("") + "\n" + event("").replace("\"e1\"", "\"e2\"");
        DeadLetter d = validate(twoEvents).deadLetter();
        assertEquals(RejectReason.MALFORMED_JSON, d.reason);
        assertEquals(twoEvents, d.payload);
        assertTrue(validate(event("") + "  \n").isAccepted(), "trailing whitespace is not another event");
    }

    @Test
    void nonObjectsEmptyMessagesAndInvalidUtf8AreMalformed() {
        assertEquals(RejectReason.MALFORMED_JSON, validate("[1,2]").deadLetter().reason);
        assertEquals(RejectReason.MALFORMED_JSON, validate("\"text\"").deadLetter().reason);
        DeadLetter empty =
                validator.validate(new RawEvent(null, "t", 0, 1), NOW).deadLetter();
        assertEquals(RejectReason.MALFORMED_JSON, empty.reason);
        assertEquals("none", empty.payloadEncoding);
        DeadLetter binary = validator
                .validate(new RawEvent(new byte[] {(byte) 0xff, (byte) 0xfe}, "t", 0, 2), NOW)
                .deadLetter();
        assertEquals("base64", binary.payloadEncoding);
        assertEquals("//4=", binary.payload);
    }

    @ParameterizedTest
    @CsvSource({"event_id", "event_type", "content_id", "creator_id", "session_id", "event_time"})
    void eachRequiredFieldIsNamedWhenMissing(String field) {
        String json = event("").replace("\"" + field + "\":", "\"renamed_" + field + "\":");
        DeadLetter d = validate(json).deadLetter();
        assertEquals(RejectReason.MISSING_FIELD, d.reason, json);
        assertTrue(d.detail.contains("'" + field + "'"), d.detail);
    }

    @Test
    void unknownTypeIsRejectedWithItsName() {
        DeadLetter d = validate(event("").replace("view_start", "teleport")).deadLetter();
        assertEquals(RejectReason.UNKNOWN_EVENT_TYPE, d.reason);
        assertTrue(d.detail.contains("teleport"));
    }

    @Test
    void watchTimeMustBeANonNegativeWholeNumberWithinTheMaximum() {
        assertEquals(
                RejectReason.INVALID_WATCH_TIME,
                validate(event(",\"watch_time_ms\":-1")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_WATCH_TIME,
                validate(event(",\"watch_time_ms\":\"long\"")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_WATCH_TIME,
                validate(event(",\"watch_time_ms\":12.5")).deadLetter().reason);
        long twelveHours = Duration.ofHours(12).toMillis();
        assertTrue(validate(event(",\"watch_time_ms\":" + twelveHours)).isAccepted());
        assertEquals(
                RejectReason.INVALID_WATCH_TIME,
                validate(event(",\"watch_time_ms\":" + (twelveHours + 1))).deadLetter().reason);
    }

    @Test
    void timestampsTooFarInTheFutureOrPastAreRejected() {
        long fiveMinutes = Duration.ofMinutes(5).toMillis();
        assertTrue(validate(event("").replace(Long.toString(NOW), Long.toString(NOW + fiveMinutes)))
                .isAccepted());
        assertEquals(
                RejectReason.FUTURE_EVENT_TIME,
                validate(event("").replace(Long.toString(NOW), Long.toString(NOW + fiveMinutes + 1)))
                        .deadLetter()
                        .reason);
        long sevenDays = Duration.ofDays(7).toMillis();
        assertTrue(validate(event("").replace(Long.toString(NOW), Long.toString(NOW - sevenDays)))
                .isAccepted());
        assertEquals(
                RejectReason.STALE_EVENT_TIME,
                validate(event("").replace(Long.toString(NOW), Long.toString(NOW - sevenDays - 1)))
                        .deadLetter()
                        .reason);
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event("").replace(Long.toString(NOW), "\"yesterday\"")).deadLetter().reason);
    }

    @Test
    void otherFieldsAreTypeChecked() {
        assertEquals(
                RejectReason.INVALID_FIELD, validate(event(",\"progress\":1.5")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"progress\":-0.1")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"is_rewatch\":\"yes\"")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"content_duration_ms\":-5")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"user_id\":{\"id\":1}")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"user_id\":\"" + "x".repeat(129) + "\"")).deadLetter().reason);
        assertFalse(validate(event(",\"country\":[\"US\"]")).isAccepted());
    }

    @Test
    void playTotalsAreBounded() {
        long twelveHours = Duration.ofHours(12).toMillis();
        assertTrue(validate(event(",\"total_watch_time_ms\":" + twelveHours)).isAccepted());
        assertEquals(
                RejectReason.INVALID_WATCH_TIME,
                validate(event(",\"total_watch_time_ms\":" + (twelveHours + 1))).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_WATCH_TIME,
                validate(event(",\"total_watch_time_ms\":-1")).deadLetter().reason);
        assertTrue(validate(event(",\"loop_count\":10000")).isAccepted());
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"loop_count\":10001")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"loop_count\":-1")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"loop_count\":1.5")).deadLetter().reason);
        assertEquals(2, validate(event(",\"loop_count\":2.0")).event().loopCount);
        // beyond a long: must not wrap around into the accepted range
        assertEquals(
                RejectReason.INVALID_FIELD,
                validate(event(",\"loop_count\":18446744073709551617")).deadLetter().reason);
        assertEquals(
                RejectReason.INVALID_WATCH_TIME,
                validate(event(",\"total_watch_time_ms\":18446744073709551617")).deadLetter().reason);
    }

    @Test
    void customPropertiesAreFlattenedSortedAndKeptAsText() {
        ValidationResult r = validate(event(",\"properties\":{\"plan\":\"pro\",\"ab\":{\"feed\":\"v2\",\"n\":3},"
                + "\"trial\":true,\"score\":2.5,\"gone\":null,\"ref\":{\"utm\":{\"source\":\"mail\"}}}"));
        assertTrue(r.isAccepted(), () -> r.deadLetter().detail);
        assertEquals(
                java.util.List.of("ab.feed", "ab.n", "plan", "ref.utm.source", "score", "trial"),
                java.util.List.of(r.event().propertyKeys));
        assertEquals(
                java.util.List.of("v2", "3", "pro", "mail", "2.5", "true"),
                java.util.List.of(r.event().propertyValues));
        // None, null and {} are no properties.
        for (String none : new String[] {"", ",\"properties\":null", ",\"properties\":{}"}) {
            ValidationResult plain = validate(event(none));
            assertTrue(plain.isAccepted());
            assertNull(plain.event().propertyKeys);
        }
    }

    @Test
    void propertiesBeyondTheirLimitsAreRejectedWithTheReason() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 33; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        String[][] cases = {
            {"\"x\"", "properties must be an object of keys and values"},
            {"{\"tags\":[\"a\"]}", "properties.tags is an array; property values are strings, numbers or booleans"},
            {"{\"a\":{\"b\":{\"c\":{\"d\":1}}}}", "properties.a.b.c nests deeper than 3 levels"},
            {"{\"a.b\":1}", "properties key 'a.b' must be 1-64 of a-z A-Z 0-9 _ - : (a dot joins nested keys)"},
            {"{\"\":1}", "properties key '' must be 1-64 of a-z A-Z 0-9 _ - : (a dot joins nested keys)"},
            {"{\"v\":\"" + "x".repeat(257) + "\"}", "properties.v is longer than 256 characters"},
            {"{\"v\":\"a\\u0000\"}", "properties.v contains the control character U+0000 at position 1"},
            {many + "}", "properties has more than 32 keys"},
        };
        for (String[] c : cases) {
            ValidationResult r = validate(event(",\"properties\":" + c[0]));
            assertFalse(r.isAccepted(), c[1]);
            assertEquals(RejectReason.INVALID_FIELD, r.deadLetter().reason);
            assertEquals(c[1], r.deadLetter().detail);
        }
    }

    @Test
    void anExperimentComesWithItsVariantOnBothParsePaths() {
        for (String extra : new String[] {"", ",\"user_id\":\"\u00fc\""}) {
            ValidationResult r = validate(event(extra + ",\"experiment\":\"feed-ranker\",\"variant\":\"b\""));
            assertTrue(r.isAccepted());
            assertEquals("feed-ranker", r.event().experiment);
            assertEquals("b", r.event().variant);
            ValidationResult alone = validate(event(extra + ",\"experiment\":\"feed-ranker\""));
            assertEquals(RejectReason.INVALID_FIELD, alone.deadLetter().reason);
            assertEquals("experiment without variant", alone.deadLetter().detail);
            ValidationResult orphan = validate(event(extra + ",\"variant\":\"b\""));
            assertEquals("variant without experiment", orphan.deadLetter().detail);
        }
    }
}
