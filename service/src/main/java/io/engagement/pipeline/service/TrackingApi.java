package io.engagement.pipeline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventValidator;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.event.ValidationResult;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The tracking endpoints: each event is validated by the job's own {@link EventValidator} with the
 * job's rules (the same reasons as the dead-letter topic), and the accepted ones are produced to the
 * input topic with the server's receive time added as {@code server_time} beside the client's
 * {@code event_time} (also the Kafka record timestamp); the message as produced is validated again,
 * so what this service accepts the job counts. A rejected event is answered with its reason
 * and not produced: the client hears about it at once instead of it landing in the dead-letter topic.
 */
public final class TrackingApi {

    public static final int MAX_BATCH = 100;
    /** Reasons of the tracking API's own (not the job's) for refusing an event, with verified users. */
    public static final String USER_NOT_VERIFIED = "user_not_verified";

    public static final String USER_MISMATCH = "user_mismatch";

    /** The answer for one event: accepted with its id, or rejected with the reason code and detail. */
    public record Outcome(int index, boolean accepted, String eventId, String reason, String detail) {}

    /** A request body the endpoint cannot take at all (not JSON, not an array, too many events). */
    public static final class BadRequest extends Exception {
        public BadRequest(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventValidator validator;
    private final EventPublisher publisher;
    private final LongSupplier clock;
    private final boolean usersVerified;

    /**
     * @param usersVerified {@code service.user-token-key} is set: an event may carry a {@code user_id}
     *     only if it is the user of the request's verified token ({@link UserTokens}); without a token
     *     only anonymous events (a session, no user) are taken
     */
    public TrackingApi(EventValidator validator, EventPublisher publisher, LongSupplier clock, boolean usersVerified) {
        this.validator = validator;
        this.publisher = publisher;
        this.clock = clock;
        this.usersVerified = usersVerified;
    }

    /**
     * {@code POST /v1/events}: one JSON object.
     *
     * @param verifiedUser the user id the request's token proves, or null (no token, or tokens not used)
     */
    public Outcome trackOne(byte[] body, String verifiedUser) throws EventPublisher.Unavailable, InterruptedException {
        long now = clock.getAsLong();
        Prepared p = prepare(0, body, null, now, verifiedUser);
        if (p.outgoing != null) {
            publisher.publish(List.of(p.outgoing));
        }
        return p.outcome;
    }

    /** {@code POST /v1/events/batch}: a JSON array of at most {@value #MAX_BATCH} objects, each answered. */
    public List<Outcome> trackBatch(byte[] body, String verifiedUser)
            throws BadRequest, EventPublisher.Unavailable, InterruptedException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("the body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw new BadRequest("the body must be a JSON array of events");
        }
        if (root.size() > MAX_BATCH) {
            throw new BadRequest("a batch holds at most " + MAX_BATCH + " events, this one " + root.size());
        }
        long now = clock.getAsLong();
        List<Outcome> outcomes = new ArrayList<>(root.size());
        List<EventPublisher.Outgoing> accepted = new ArrayList<>();
        ArrayNode events = (ArrayNode) root;
        for (int i = 0; i < events.size(); i++) {
            byte[] one;
            try {
                one = JSON.writeValueAsBytes(events.get(i));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Prepared p = prepare(i, one, events.get(i), now, verifiedUser);
            outcomes.add(p.outcome);
            if (p.outgoing != null) {
                accepted.add(p.outgoing);
            }
        }
        publisher.publish(accepted);
        return outcomes;
    }

    private record Prepared(Outcome outcome, EventPublisher.Outgoing outgoing) {}

    /** {@code parsed}: the event's JSON when the caller has it already (a batch element), else null. */
    private Prepared prepare(int index, byte[] body, JsonNode parsed, long now, String verifiedUser) {
        ValidationResult result = validator.validate(new RawEvent(body, "http", 0, 0), now);
        if (!result.isAccepted()) {
            return new Prepared(
                    new Outcome(index, false, null, result.deadLetter().reason.code(), result.deadLetter().detail),
                    null);
        }
        EngagementEvent event = result.event();
        if (usersVerified && event.userId != null && !event.userId.equals(verifiedUser)) {
            return new Prepared(
                    verifiedUser == null
                            ? new Outcome(
                                    index,
                                    false,
                                    null,
                                    USER_NOT_VERIFIED,
                                    "an event with a user_id needs that user's token in the " + UserTokens.HEADER
                                            + " header; without one, send events with a session_id and no user_id")
                            : new Outcome(
                                    index,
                                    false,
                                    null,
                                    USER_MISMATCH,
                                    "user_id '" + event.userId + "' is not the user of the " + UserTokens.HEADER
                                            + " token"),
                    null);
        }
        byte[] produced;
        try {
            // An accepted event is a JSON object; a batch element is reused rather than parsed again.
            ObjectNode message = parsed instanceof ObjectNode o ? o : (ObjectNode) JSON.readTree(body);
            message.put("server_time", Instant.ofEpochMilli(now).toString());
            if (usersVerified && event.userId == null && verifiedUser != null) {
                message.put("user_id", verifiedUser); // the token says who sent it
            }
            produced = JSON.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException("an accepted event did not parse again", e);
        }
        // What the job will read is the message with the fields added here: validated as it is, so a
        // 202 is never dead-lettered later (at the byte cap, the added server_time can tip it over).
        ValidationResult asProduced = validator.validate(new RawEvent(produced, "http", 0, 0), now);
        if (!asProduced.isAccepted()) {
            return new Prepared(
                    new Outcome(
                            index,
                            false,
                            null,
                            asProduced.deadLetter().reason.code(),
                            asProduced.deadLetter().detail + " (with the server_time this service adds)"),
                    null);
        }
        return new Prepared(
                new Outcome(index, true, event.eventId, null, null),
                new EventPublisher.Outgoing(event.contentId, produced, now));
    }
}
