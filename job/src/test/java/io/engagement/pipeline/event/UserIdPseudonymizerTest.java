package io.engagement.pipeline.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.settings.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserIdPseudonymizerTest {

    @Test
    void isTheFirst128BitsOfHmacSha256() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        // HMAC-SHA256 = 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
        assertEquals(
                "5bdcc146bf60754e6a042426089575c7",
                new UserIdPseudonymizer("Jefe").pseudonym("what do ya want for nothing?"));
        UserIdPseudonymizer p = new UserIdPseudonymizer("k".repeat(32));
        assertEquals(p.pseudonym("u1"), p.pseudonym("u1"));
        assertNotEquals(p.pseudonym("u1"), p.pseudonym("u2"));
        assertNotEquals(p.pseudonym("u1"), new UserIdPseudonymizer("j".repeat(32)).pseudonym("u1"));
    }

    @Test
    void scrubsUserIdsOutOfMessageText() {
        UserIdPseudonymizer p = new UserIdPseudonymizer("k".repeat(32));
        String scrubbed = p.scrub("{\"event_id\":\"e\",\"user_id\" : \"u\\\"1\",\"x\":{\"user_id\":\"u2\"}, \"broken");
        assertEquals(
                "{\"event_id\":\"e\",\"user_id\" : \"" + p.pseudonym("u\"1") + "\",\"x\":{\"user_id\":\""
                        + p.pseudonym("u2") + "\"}, \"broken",
                scrubbed);
    }

    @Test
    void theValidatorPseudonymisesAcceptedAndRejectedMessages(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String key = "0123456789abcdef0123456789abcdef";
        // A file reference: the key is read where the validator runs (this JVM's real environment has no variable).
        java.nio.file.Path keyFile = java.nio.file.Files.writeString(dir.resolve("hmac-key"), key + "\n");
        JobConfig config = JobConfig.fromSources(
                new String[] {"--validation.max-event-age", "3650 d"},
                Map.of("ENGAGEMENT_PRIVACY_USER_ID_HMAC_KEY", "${file:" + keyFile + "}"));
        EventValidator validator =
                new EventValidator(config.validationRules, new UserIdPseudonymizer(config.userIdHmacKey));
        String ok =
                "{\"event_id\":\"e1\",\"event_type\":\"like\",\"content_id\":\"c\",\"creator_id\":\"k\",\"user_id\":\"alice\","
                        + "\"session_id\":\"s\",\"event_time\":1772445600000}";
        ValidationResult accepted = validator.validate(new RawEvent(ok.getBytes(), "t", 0, 0), 1772445600000L);
        assertEquals(new UserIdPseudonymizer(key).pseudonym("alice"), accepted.event().userId);
        ValidationResult rejected =
                validator.validate(new RawEvent(ok.replace("like", "teleport").getBytes(), "t", 0, 1), 1772445600000L);
        assertTrue(
                !rejected.deadLetter().payload.contains("alice")
                        && rejected.deadLetter().payload.contains(new UserIdPseudonymizer(key).pseudonym("alice")),
                rejected.deadLetter().payload);
        ValidationResult notText =
                validator.validate(new RawEvent(new byte[] {(byte) 0xff, 'a'}, "t", 0, 2), 1772445600000L);
        assertEquals(null, notText.deadLetter().payload);
        assertTrue(notText.deadLetter().detail.contains("payload withheld"), notText.deadLetter().detail);
    }

    @Test
    void theKeyIsASecretOfAtLeast32Characters() {
        ConfigException cli = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(new String[] {"--privacy.user-id-hmac-key", "x".repeat(40)}, Map.of()));
        assertTrue(cli.getMessage().contains("--privacy.user-id-hmac-key is a secret"), cli.getMessage());
        ConfigException shortKey = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () -> JobConfig.fromSources(new String[0], Map.of("ENGAGEMENT_PRIVACY_USER_ID_HMAC_KEY", "short")));
        assertTrue(
                shortKey.getMessage().contains("privacy.user-id-hmac-key must be at least 32 characters"),
                shortKey.getMessage());
        assertEquals(null, JobConfig.defaults().userIdHmacKey);
    }
}
