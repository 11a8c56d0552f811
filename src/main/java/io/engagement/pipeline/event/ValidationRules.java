package io.engagement.pipeline.event;

import java.io.Serializable;
import java.time.Duration;

/** The limits an event must respect to be accepted; part of the job configuration. */
public record ValidationRules(Duration maxFutureSkew, Duration maxEventAge, Duration maxWatchTime, int maxIdLength)
        implements Serializable {

    public static ValidationRules defaults() {
        return new ValidationRules(Duration.ofMinutes(5), Duration.ofDays(7), Duration.ofHours(12), 128);
    }
}
