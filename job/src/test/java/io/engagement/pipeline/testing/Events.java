package io.engagement.pipeline.testing;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;

/** Builds events for tests with only the fields a test cares about. */
public final class Events {

    private Events() {}

    public static EngagementEvent event(
            String eventId, EventType type, String contentId, String userId, long eventTimeMs) {
        EngagementEvent e = new EngagementEvent();
        e.eventId = eventId;
        e.eventType = type;
        e.contentId = contentId;
        e.creatorId = "creator-of-" + contentId;
        e.userId = userId;
        e.sessionId = "session-" + userId;
        e.eventTimeMs = eventTimeMs;
        return e;
    }

    public static EngagementEvent withWatch(EngagementEvent e, long watchTimeMs, Double progress) {
        e.watchTimeMs = watchTimeMs;
        e.progress = progress;
        return e;
    }
}
