package io.engagement.pipeline.event;

import java.util.Objects;

/**
 * A validated engagement event. A Flink POJO (public fields, no-arg constructor) so it is serialized
 * by Flink's PojoSerializer, never by Kryo. Optional fields are {@code null} when absent.
 */
public class EngagementEvent {
    public String eventId;
    public EventType eventType;
    public String contentId;
    public String creatorId;
    /** {@code null} for anonymous viewers; see {@link #viewerKey()}. */
    public String userId;
    public String sessionId;
    /** Event time, epoch milliseconds (UTC). */
    public long eventTimeMs;

    /** Watch time since this play's previous report, in ms (so summing over events never double counts). */
    public Long watchTimeMs;
    public Long contentDurationMs;
    /** Play position as a fraction of the content, 0..1. */
    public Double progress;
    public Boolean isRewatch;
    public String source;
    public String device;
    public String platform;
    public String country;

    /** Where the event was read (topic, partition, offset): its identity for accounting (docs/guarantees.md). */
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public EngagementEvent() {}

    /**
     * Who counts as one viewer for unique-viewer metrics: the user, or for anonymous viewers the
     * session (the best identity an anonymous client has).
     */
    public String viewerKey() {
        return userId != null ? "u:" + userId : "s:" + sessionId;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EngagementEvent e)) {
            return false;
        }
        return eventTimeMs == e.eventTimeMs && Objects.equals(eventId, e.eventId) && eventType == e.eventType
                && Objects.equals(contentId, e.contentId) && Objects.equals(creatorId, e.creatorId)
                && Objects.equals(userId, e.userId) && Objects.equals(sessionId, e.sessionId)
                && Objects.equals(watchTimeMs, e.watchTimeMs) && Objects.equals(contentDurationMs, e.contentDurationMs)
                && Objects.equals(progress, e.progress) && Objects.equals(isRewatch, e.isRewatch)
                && Objects.equals(source, e.source) && Objects.equals(device, e.device)
                && Objects.equals(platform, e.platform) && Objects.equals(country, e.country);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventType, contentId, eventTimeMs);
    }

    @Override
    public String toString() {
        return "EngagementEvent{" + eventId + ' ' + eventType + " content=" + contentId + " t=" + eventTimeMs + '}';
    }
}
