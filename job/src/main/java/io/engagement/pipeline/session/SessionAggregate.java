package io.engagement.pipeline.session;

import io.engagement.pipeline.event.EngagementEvent;

/** How a session's events fold into its counters, and how two sessions' counters combine when they merge. */
public final class SessionAggregate {

    private SessionAggregate() {}

    public static void add(SessionAccumulator acc, EngagementEvent e) {
        if (acc.userId == null) {
            acc.userId = e.userId;
        }
        acc.firstEventMs = Math.min(acc.firstEventMs, e.eventTimeMs);
        acc.lastEventMs = Math.max(acc.lastEventMs, e.eventTimeMs);
        acc.events++;
        if (e.watchTimeMs != null) {
            acc.watchTimeMs += e.watchTimeMs;
        }
        switch (e.eventType) {
            case VIEW_START -> {
                acc.views++;
                acc.contentsViewed.add(e.contentId);
            }
            case VIEW_COMPLETE, SWIPE_AWAY -> {
                if (e.completesPlay()) {
                    acc.completions++;
                }
            }
            case LIKE -> acc.likes++;
            case UNLIKE -> acc.likes--;
            case COMMENT -> acc.comments++;
            case SHARE -> acc.shares++;
            case SAVE -> acc.saves++;
            case UNSAVE -> acc.saves--;
            case CLICK -> acc.clicks++;
            default -> {
                // other types only mark activity (first/last event, event count)
            }
        }
    }

    /** Adds {@code b} into {@code a}. */
    public static void merge(SessionAccumulator a, SessionAccumulator b) {
        if (a.userId == null) {
            a.userId = b.userId;
        }
        a.firstEventMs = Math.min(a.firstEventMs, b.firstEventMs);
        a.lastEventMs = Math.max(a.lastEventMs, b.lastEventMs);
        a.events += b.events;
        a.views += b.views;
        a.completions += b.completions;
        a.likes += b.likes;
        a.comments += b.comments;
        a.shares += b.shares;
        a.saves += b.saves;
        a.clicks += b.clicks;
        a.watchTimeMs += b.watchTimeMs;
        a.contentsViewed.merge(b.contentsViewed);
    }
}
