package io.engagement.pipeline.event;

/** Outcome of validating one raw message: exactly one of {@code event} and {@code deadLetter} is set. */
public record ValidationResult(EngagementEvent event, DeadLetter deadLetter) {

    public static ValidationResult accepted(EngagementEvent event) {
        return new ValidationResult(event, null);
    }

    public static ValidationResult rejected(DeadLetter deadLetter) {
        return new ValidationResult(null, deadLetter);
    }

    public boolean isAccepted() {
        return event != null;
    }
}
