package io.engagement.pipeline.event;

import io.engagement.pipeline.metrics.CompletionBucket;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A validated engagement event: public fields, a no-arg constructor, serialized by Flink with
 * {@link EngagementEventSerializer} (never by Kryo). Optional fields are {@code null} when absent.
 * A field added here must be added to the serializer too ({@code EngagementEventSerializerTest}
 * fails until it is).
 */
@TypeInfo(EngagementEventTypeInfo.Factory.class)
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
    /**
     * The whole play's watch time so far (seed 002 viewData.totalWatchTime), sent on the event that
     * ends a play; the sample for the median watch time.
     */
    public Long totalWatchTimeMs;
    /** How many times the play looped back to the start (seed 002 viewData.loopCount), sent when it ends. */
    public Integer loopCount;

    public String source;
    public String device;
    public String platform;
    public String country;
    /**
     * The client's install or hardware id, when the app sends one: one of the actors whose rate of
     * view starts is checked (docs/metrics.md, validated views). Optional, id rules.
     */
    public String deviceId;
    /**
     * The event's custom properties ({@code properties}, docs/events.md#custom-properties), flattened to
     * dotted keys, sorted by key; {@link #propertyValues} holds each key's value as text. Both null
     * when the event has none.
     */
    public String[] propertyKeys;

    public String[] propertyValues;
    /** The experiment the user is in on this event's surface, with {@link #variant}; both or neither. */
    public String experiment;

    public String variant;

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

    /** A view_complete, or a swipe-away at the very end of the content: a full play (docs/metrics.md). */
    public boolean completesPlay() {
        return eventType == EventType.VIEW_COMPLETE
                || (eventType == EventType.SWIPE_AWAY
                        && progress != null
                        && CompletionBucket.of(progress) == CompletionBucket.FULL);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EngagementEvent e)) {
            return false;
        }
        return eventTimeMs == e.eventTimeMs
                && Objects.equals(eventId, e.eventId)
                && eventType == e.eventType
                && Objects.equals(contentId, e.contentId)
                && Objects.equals(creatorId, e.creatorId)
                && Objects.equals(userId, e.userId)
                && Objects.equals(sessionId, e.sessionId)
                && Objects.equals(watchTimeMs, e.watchTimeMs)
                && Objects.equals(contentDurationMs, e.contentDurationMs)
                && Objects.equals(progress, e.progress)
                && Objects.equals(isRewatch, e.isRewatch)
                && Objects.equals(totalWatchTimeMs, e.totalWatchTimeMs)
                && Objects.equals(loopCount, e.loopCount)
                && Objects.equals(source, e.source)
                && Objects.equals(device, e.device)
                && Objects.equals(platform, e.platform)
                && Objects.equals(country, e.country)
                && Objects.equals(experiment, e.experiment)
                && Objects.equals(variant, e.variant)
                && java.util.Arrays.equals(propertyKeys, e.propertyKeys)
                && java.util.Arrays.equals(propertyValues, e.propertyValues);
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
