package io.engagement.pipeline.event;

import io.engagement.pipeline.settings.SecretRef;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonymisation of user ids ({@code privacy.user-id-hmac-key}): each id is replaced, as it is
 * validated and before anything is written, by the first 128 bits of HMAC-SHA256(key, id) in hex. The
 * same id always gives the same pseudonym under one key, so unique viewers, sessions and watch history
 * work as before; without the key the pseudonym cannot be traced back or recomputed from a guessed id.
 * Rejected messages are kept with their {@code "user_id"} values replaced the same way; a payload that
 * cannot be read as text is withheld.
 */
public final class UserIdPseudonymizer implements Serializable {

    private static final Pattern USER_ID_IN_JSON =
            Pattern.compile("(\"user_id\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")");
    private static final int HEX_CHARS = 32;

    /** Where the key is read, on the machine that pseudonymizes (the key itself is never serialized). */
    private final SecretRef key;

    private transient Mac mac;

    public UserIdPseudonymizer(SecretRef key) {
        if (key == null || !key.isSet()) {
            throw new IllegalArgumentException("an HMAC key is required");
        }
        this.key = key;
    }

    /** With the key itself (tests, and the tools that hold it anyway). */
    public UserIdPseudonymizer(String key) {
        this(literal(key));
    }

    private static SecretRef literal(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an HMAC key is required");
        }
        return SecretRef.literal("privacy.user-id-hmac-key", key);
    }

    /** The pseudonym of {@code userId}. */
    public String pseudonym(String userId) {
        try {
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.resolve().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            }
            return HexFormat.of()
                    .formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, HEX_CHARS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The message text with every {@code "user_id": "..."} value replaced by its pseudonym. */
    public String scrub(String text) {
        Matcher m = USER_ID_IN_JSON.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(
                    out, Matcher.quoteReplacement(m.group(1) + pseudonym(unescape(m.group(2))) + m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The JSON string escapes that matter for an id: {@code \"}, {@code \\}, {@code \/}; others stay as written. */
    private static String unescape(String json) {
        return json.replace("\\\"", "\"").replace("\\/", "/").replace("\\\\", "\\");
    }
}
