package io.engagement.pipeline.views;

/**
 * Who a view claim is checked against, in the order the gates run (docs/metrics.md, validated
 * views): the session (one app run), the device (one install, when the app sends {@code device_id}),
 * the user (when signed in). A farm that rotates one of them is still caught by another.
 */
public enum ActorKind {
    SESSION("session"),
    DEVICE("device"),
    USER("user");

    private final String code;

    ActorKind(String code) {
        this.code = code;
    }

    /** The {@code actor_kind} column of suspect_actors, and the suffix of the gate's uid. */
    public String code() {
        return code;
    }

    /** The claim's actor of this kind; null when the event did not carry one. */
    public String actorOf(ViewClaim claim) {
        return switch (this) {
            case SESSION -> claim.sessionId;
            case DEVICE -> claim.deviceId;
            case USER -> claim.userId;
        };
    }

    /**
     * What a gate of this kind is keyed by: the actor, or for a claim without one (an anonymous or
     * device-less event, which this gate passes straight through) its session, so those spread
     * over the subtasks instead of piling onto one empty key.
     */
    public String keyOf(ViewClaim claim) {
        String actor = actorOf(claim);
        return actor != null ? actor : "\u0000" + claim.sessionId;
    }

    /**
     * The viewer a repeated view start is judged by: the user when signed in, else the device, else
     * the session (the same identity unique viewers count, refined by the device).
     */
    public static ActorKind viewerOf(ViewClaim claim) {
        return claim.userId != null ? USER : claim.deviceId != null ? DEVICE : SESSION;
    }
}
