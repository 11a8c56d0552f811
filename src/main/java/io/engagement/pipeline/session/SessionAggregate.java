package io.engagement.pipeline.session;

import io.engagement.pipeline.event.EngagementEvent;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds a session's events into its counters; session windows merge, so {@link #merge} is exercised. */
public class SessionAggregate implements AggregateFunction<EngagementEvent, SessionAccumulator, SessionAccumulator> {

    @Override
    public SessionAccumulator createAccumulator() {
        return new SessionAccumulator();
    }

    @Override
    public SessionAccumulator add(EngagementEvent e, SessionAccumulator acc) {
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
        return acc;
    }

    @Override
    public SessionAccumulator getResult(SessionAccumulator acc) {
        return acc;
    }

    @Override
    public SessionAccumulator merge(SessionAccumulator a, SessionAccumulator b) {
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
        return a;
    }
}
