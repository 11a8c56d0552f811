package io.engagement.pipeline.views;

/**
 * An actor a view gate flagged for one event-time minute: a row of {@code suspect_actors}. Written
 * once per actor, kind and minute (a flag is never lifted).
 */
public class SuspectActor {
    /** {@link ActorKind#code()}. */
    public String actorKind;

    public String actorId;
    public long windowStartMs;
    public long windowEndMs;
    /** Why (docs/metrics.md): {@code view_rate}. */
    public String reason;
    /** View starts of the actor in the minute, as far as counted when the flag was raised. */
    public long viewStarts;
    /** Play ends of the actor in the minute, as far as counted when the flag was raised. */
    public long playEnds;
    /** Raised by a late claim, after the minute's claims had counted (docs/metrics.md: not taken back). */
    public boolean late;

    public SuspectActor() {}

    static SuspectActor of(
            ActorKind kind,
            String actorId,
            long windowStartMs,
            String reason,
            long viewStarts,
            long playEnds,
            boolean late) {
        SuspectActor s = new SuspectActor();
        s.actorKind = kind.code();
        s.actorId = actorId;
        s.windowStartMs = windowStartMs;
        s.windowEndMs = windowStartMs + ViewGate.MINUTE_MS;
        s.reason = reason;
        s.viewStarts = viewStarts;
        s.playEnds = playEnds;
        s.late = late;
        return s;
    }

    @Override
    public String toString() {
        return "SuspectActor{" + actorKind + ' ' + actorId + " @" + windowStartMs + ' ' + reason + " starts="
                + viewStarts + '}';
    }
}
