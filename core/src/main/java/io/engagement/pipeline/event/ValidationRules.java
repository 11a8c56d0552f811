package io.engagement.pipeline.event;

import java.io.Serializable;
import java.time.Duration;

/**
 * The limits an event must respect to be accepted; part of the job configuration.
 *
 * @param maxMessageBytes larger messages are rejected before they are parsed
 */
public record ValidationRules(
        Duration maxFutureSkew,
        Duration maxEventAge,
        Duration maxWatchTime,
        Duration maxContentDuration,
        int maxIdLength,
        int maxMessageBytes)
        implements Serializable {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

    public static ValidationRules defaults() {
        return new ValidationRules(
                Duration.ofMinutes(5),
                Duration.ofDays(7),
                Duration.ofHours(12),
                Duration.ofHours(24),
                128,
                DEFAULT_MAX_MESSAGE_BYTES);
    }
}
