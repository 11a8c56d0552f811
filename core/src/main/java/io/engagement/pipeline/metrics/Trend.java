package io.engagement.pipeline.metrics;

/** Direction of a content's velocity, comparing the last 24 h with the previous 24 h (seed 002). */
public enum Trend {
    RISING,
    STABLE,
    DECLINING
}
