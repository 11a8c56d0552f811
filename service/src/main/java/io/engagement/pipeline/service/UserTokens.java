package io.engagement.pipeline.service;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The platform's signed user tokens (HS256 JWT issued by its login, sent in the {@value #HEADER}
 * header), verified with {@code service.user-token-key} by auth0's java-jwt: the signature, the
 * algorithm (HS256 only: {@code none} and every other algorithm are refused), an expiry ({@code exp},
 * required) and a subject ({@code sub}, the user id, required). A token that passes proves who the
 * user is; the body's {@code user_id} is then only allowed to agree.
 */
public final class UserTokens {

    public static final String HEADER = "X-User-Token";

    /** A token that does not verify, with what is wrong (answered with 401). */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private final JWTVerifier verifier;

    public UserTokens(String key, Clock clock) {
        JWTVerifier.BaseVerification verification =
                (JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(key.getBytes(StandardCharsets.UTF_8)))
                        .withClaimPresence("exp")
                        .withClaimPresence("sub");
        this.verifier = verification.build(clock);
    }

    /** The user id the token proves. */
    public String userId(String token) throws Invalid {
        try {
            DecodedJWT jwt = verifier.verify(token.strip());
            String subject = jwt.getSubject();
            if (subject == null || subject.isBlank()) {
                throw new Invalid("the user token has an empty subject (sub)");
            }
            return subject.strip();
        } catch (TokenExpiredException e) {
            throw new Invalid("the user token expired at " + e.getExpiredOn());
        } catch (JWTVerificationException e) {
            throw new Invalid("the user token does not verify: " + e.getMessage());
        }
    }
}
