package io.engagement.pipeline.views;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.metrics.EngagementFormulas;

/**
 * What the view gates need of an event that counts in the validated numbers: a view start, or the
 * event that ends a play (its completion and the play's watch time). A Flink POJO of a few ids and
 * numbers, so the three gate shuffles carry a fraction of the event.
 */
public class ViewClaim {
    /** The event's id: unique after de-duplication, so a gate keeps pending claims under it. */
    public String eventId;

    public String contentId;
    public String sessionId;
    /** Null for anonymous events. */
    public String userId;
    /** Null when the app sends no {@code device_id}. */
    public String deviceId;

    public long eventTimeMs;
    /** A view start; otherwise the end of a play (view_complete or swipe_away). */
    public boolean viewStart;
    /** A play end that is a full play. */
    public boolean completes;
    /** A play end's watch time (as the median's samples take it: {@link EngagementFormulas#playWatchTimeMs}); 0 if unknown. */
    public long playWatchTimeMs;
    /** A play end's {@code loop_count} (0 if not sent): how many times the play went back to the start. */
    public int loops;
    /**
     * Takes back this claim, which counted until a late claim flagged its actor's minute
     * ({@link ViewGate}; {@link #excludedBy} says why): the validated counters subtract what the claim
     * added. A gate after the one that raised the flag drops it if it had excluded the claim itself
     * (it never counted), and, when the claim still waits there for its minute's decision, excludes
     * the claim instead.
     */
    public boolean retraction;
    /** Why a gate excluded the claim from the validated numbers (docs/metrics.md); null while it counts. */
    public String excludedBy;
    /** The event's experiment and variant (docs/metrics.md#experiments); null outside experiments. */
    public String experiment;

    public String variant;

    public ViewClaim() {}

    /** The claim of {@code event}, or null when it is neither a view start nor a play end. */
    public static ViewClaim of(EngagementEvent event) {
        boolean viewStart = event.eventType == EventType.VIEW_START;
        boolean playEnd = event.eventType == EventType.VIEW_COMPLETE || event.eventType == EventType.SWIPE_AWAY;
        if (!viewStart && !playEnd) {
            return null;
        }
        ViewClaim claim = new ViewClaim();
        claim.eventId = event.eventId;
        claim.contentId = event.contentId;
        claim.sessionId = event.sessionId;
        claim.userId = event.userId;
        claim.deviceId = event.deviceId;
        claim.eventTimeMs = event.eventTimeMs;
        claim.viewStart = viewStart;
        claim.experiment = event.experiment;
        claim.variant = event.variant;
        if (playEnd) {
            claim.completes = event.completesPlay();
            Long watched = EngagementFormulas.playWatchTimeMs(
                    event.totalWatchTimeMs,
                    event.progress,
                    event.contentDurationMs,
                    event.eventType == EventType.VIEW_COMPLETE);
            claim.playWatchTimeMs = watched == null ? 0 : watched;
            claim.loops = event.loopCount == null ? 0 : event.loopCount;
        }
        return claim;
    }

    /** The retraction of this claim: the same claim, marked {@link #retraction}, with the reason it no longer counts. */
    ViewClaim retraction(String reason) {
        ViewClaim r = new ViewClaim();
        r.eventId = eventId;
        r.contentId = contentId;
        r.sessionId = sessionId;
        r.userId = userId;
        r.deviceId = deviceId;
        r.eventTimeMs = eventTimeMs;
        r.viewStart = viewStart;
        r.completes = completes;
        r.playWatchTimeMs = playWatchTimeMs;
        r.loops = loops;
        r.experiment = experiment;
        r.variant = variant;
        r.retraction = true;
        r.excludedBy = reason;
        return r;
    }

    /** A view start of an experiment that counts (+1) or a retraction of one that did (-1). */
    public boolean isExperimentViewStart() {
        return experiment != null && viewStart && (excludedBy == null || retraction);
    }

    @Override
    public String toString() {
        return (retraction ? "retraction of " : "") + (viewStart ? "view_start " : "play_end ") + contentId + " s="
                + sessionId + " u=" + userId + " d=" + deviceId + " t=" + eventTimeMs
                + (excludedBy == null ? "" : " excluded by " + excludedBy);
    }
}
