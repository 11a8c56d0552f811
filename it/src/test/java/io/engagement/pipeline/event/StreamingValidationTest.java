package io.engagement.pipeline.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.PipelineScenario;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming parse (all-ASCII messages) and the tree parse (the reference, and every message that
 * is not one well-formed object) give the same outcome for every message: the same event, field by
 * field, or the same dead letter (reason, detail, payload). Over generated traffic and over each
 * message mutated at random: characters deleted, inserted and swapped, fields duplicated, values
 * replaced by other types, nested objects, trailing content, truncation. {@link HostileInputTest}
 * checks the outcomes themselves, by hand.
 */
class StreamingValidationTest {

    private static final long NOW = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();
    private static final String[] VALUES = {
        "null",
        "true",
        "\"\"",
        "\" x \"",
        "-0",
        "0",
        "1.0",
        "1.5",
        "-7",
        "12345678901234567890123",
        "1e400",
        "{}",
        "{\"a\":{\"b\":[1,2]}}",
        "[]",
        "[1,{\"c\":2}]",
        "\"2026-03-02T11:00:00Z\"",
        "\"\\u0001\"",
        "\"\\ud800\"",
        "\"VIEW_START\"",
        "99999999999",
        "0.5",
        "2.0E3"
    };

    private static String outcome(ValidationResult r) throws Exception {
        return r.isAccepted()
                ? "accepted " + JSON.writeValueAsString(r.event())
                : "rejected " + JSON.writeValueAsString(r.deadLetter());
    }

    private static String mutate(String message, Random random) {
        StringBuilder m = new StringBuilder(message);
        if (m.length() < 4) {
            return m.append("{\"a\":").toString();
        }
        switch (random.nextInt(8)) {
            case 0 -> m.deleteCharAt(random.nextInt(m.length()));
            case 1 -> m.insert(random.nextInt(m.length()), "{}[]\",:x0 ".charAt(random.nextInt(10)));
            case 2 -> m.setLength(random.nextInt(m.length()));
            case 3 -> m.append(random.nextBoolean() ? " {}" : "  ");
            case 4 -> { // a field given twice, or a copy of a field under a new name
                int colon = m.indexOf(":", random.nextInt(m.length() / 2));
                int quote = m.lastIndexOf("\"", m.lastIndexOf("\"", Math.max(0, colon - 1)) - 1);
                if (colon > 0 && quote >= 0) {
                    String name = m.substring(quote, colon);
                    m.insert(1, (random.nextBoolean() ? name : "\"extra_" + random.nextInt(3) + "\"") + ":1,");
                }
            }
            default -> { // one value replaced by another type
                int colon = m.indexOf(":", random.nextInt(m.length()));
                int end = colon < 0
                        ? -1
                        : Math.min(
                                m.indexOf(",", colon) < 0 ? m.length() - 1 : m.indexOf(",", colon),
                                m.indexOf("}", colon) < 0 ? m.length() : m.indexOf("}", colon));
                if (colon > 0 && end > colon) {
                    m.replace(colon + 1, end, VALUES[random.nextInt(VALUES.length)]);
                }
            }
        }
        return m.toString();
    }

    @Test
    void streamingAndTreeParsesAgreeOnEveryMessage() throws Exception {
        EventValidator validator = new EventValidator(ValidationRules.defaults());
        Random random = new Random(5);
        List<String> messages = new ArrayList<>();
        for (KafkaTestBroker.Outgoing m : PipelineScenario.traffic(5)) {
            messages.add(m.value());
            String mutated = m.value();
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                mutated = mutate(mutated, random);
            }
            messages.add(mutated);
        }
        int accepted = 0;
        int ascii = 0;
        for (String message : messages) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            ascii += bytes.length == message.length() ? 1 : 0;
            RawEvent raw = new RawEvent(bytes, "engagement-events", 1, 42L);
            // The traffic is from 2026-03-02; NOW keeps it inside the age and skew limits.
            ValidationResult streamed = validator.validate(raw, NOW);
            ValidationResult tree = validator.validateAsTree(raw, NOW);
            assertEquals(outcome(tree), outcome(streamed), message);
            accepted += streamed.isAccepted() ? 1 : 0;
        }
        assertTrue(
                messages.size() > 10_000 && ascii == messages.size(),
                "ASCII messages: " + ascii + " of " + messages.size());
        assertTrue(
                accepted > messages.size() / 3 && accepted < messages.size() * 0.8,
                "accepted " + accepted + " of " + messages.size());
    }
}
