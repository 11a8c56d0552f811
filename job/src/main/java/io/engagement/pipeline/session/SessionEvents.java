package io.engagement.pipeline.session;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * What the session shuffle carries of an accepted event: only the fields sessions read
 * ({@link SessionAggregate#add}, {@link SessionTracker}), the rest left null, which the event's
 * serializer does not write. A third of the bytes of a whole event cross the shuffle, and the session
 * task deserializes three strings instead of up to ten (docs/benchmarks.md).
 */
public final class SessionEvents implements MapFunction<EngagementEvent, EngagementEvent> {

    @Override
    public EngagementEvent map(EngagementEvent event) {
        return slim(event);
    }

    /** The fields sessions read; {@code contentId} only on a view start, {@code progress} only on a swipe-away. */
    public static EngagementEvent slim(EngagementEvent event) {
        EngagementEvent slim = new EngagementEvent();
        slim.eventType = event.eventType;
        slim.sessionId = event.sessionId;
        slim.userId = event.userId;
        slim.eventTimeMs = event.eventTimeMs;
        slim.watchTimeMs = event.watchTimeMs;
        if (event.eventType == EventType.VIEW_START) {
            slim.contentId = event.contentId;
        } else if (event.eventType == EventType.SWIPE_AWAY) {
            slim.progress = event.progress; // completesPlay()
        }
        return slim;
    }
}
