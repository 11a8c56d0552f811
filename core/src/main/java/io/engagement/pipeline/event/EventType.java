package io.engagement.pipeline.event;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every engagement event type the pipeline accepts: the full set of seed 002 plus {@code click}
 * (seeds 001/003 count click-throughs and seed 002 has no equivalent). The simpler names used by
 * seeds 000/001/003 are aliases resolved by {@link #fromWireName(String)}.
 */
public enum EventType {
    IMPRESSION("impression"),
    VIEW_START("view_start", "view"),
    VIEW_PROGRESS("view_progress"),
    VIEW_COMPLETE("view_complete", "complete", "completion"),
    SWIPE_AWAY("swipe_away", "skip"),
    PAUSE("pause"),
    RESUME("resume"),
    SEEK("seek"),
    LIKE("like"),
    UNLIKE("unlike"),
    COMMENT("comment"),
    SHARE("share"),
    SAVE("save"),
    UNSAVE("unsave"),
    REPORT("report"),
    NOT_INTERESTED("not_interested"),
    HIDE("hide"),
    FOLLOW("follow"),
    UNFOLLOW("unfollow"),
    CLICK("click");

    private static final Map<String, EventType> BY_WIRE_NAME;

    static {
        Map<String, EventType> names = new HashMap<>();
        for (EventType type : values()) {
            names.put(type.wireName, type);
            for (String alias : type.aliases) {
                names.put(alias, type);
            }
        }
        BY_WIRE_NAME = Collections.unmodifiableMap(names);
    }

    private final String wireName;
    private final String[] aliases;

    EventType(String wireName, String... aliases) {
        this.wireName = wireName;
        this.aliases = aliases;
    }

    /** The canonical name written to ClickHouse and the feedback topic. */
    public String wireName() {
        return wireName;
    }

    /** Resolves a canonical name or an alias (case-insensitive); {@code null} when unknown. */
    public static EventType fromWireName(String name) {
        if (name == null) {
            return null;
        }
        return BY_WIRE_NAME.get(name.trim().toLowerCase(Locale.ROOT));
    }

    /** All accepted names, aliases included (for docs and error messages). */
    public static Map<String, EventType> acceptedNames() {
        return BY_WIRE_NAME;
    }
}
