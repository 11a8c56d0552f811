package io.engagement.pipeline.views;

import java.io.Serializable;

/**
 * The thresholds of the view gates ({@code views.*} settings, docs/configuration.md; the reasons
 * for each in docs/metrics.md, validated views).
 *
 * @param maxStartsPerMinute view starts an actor may make in one event-time minute; above it the
 *                           actor is flagged for that minute and none of its claims count
 * @param repeatSpanMs       a viewer's view starts of one content closer together than this count once
 * @param playbackSlackMs    how much a play's watch time may exceed the time since its view start
 *                           (clock jitter between the two events) before it counts as impossible
 */
public record ViewRules(int maxStartsPerMinute, long repeatSpanMs, long playbackSlackMs) implements Serializable {}
