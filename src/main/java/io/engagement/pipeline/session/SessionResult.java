package io.engagement.pipeline.session;

import static io.engagement.pipeline.metrics.EngagementFormulas.actionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.averageWatchTimeMs;
import static io.engagement.pipeline.metrics.EngagementFormulas.completionRate;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a closed session window into a {@link SessionMetrics} row. Session windows merge, and Flink
 * allows no per-window state for merging windows, so the version is the session's event count: every
 * late event that joins the session raises it, and a replay reproduces it.
 */
public class SessionResult extends ProcessWindowFunction<SessionAccumulator, SessionMetrics, String, TimeWindow> {

    @Override
    public void process(String sessionId, Context context, Iterable<SessionAccumulator> elements,
                        Collector<SessionMetrics> out) {
        SessionAccumulator acc = elements.iterator().next();
        long version = acc.events;
        SessionMetrics s = new SessionMetrics();
        s.sessionId = sessionId;
        s.userId = acc.userId;
        s.sessionStartMs = acc.firstEventMs;
        s.sessionEndMs = acc.lastEventMs;
        s.durationMs = acc.lastEventMs - acc.firstEventMs;
        s.version = version;
        s.events = acc.events;
        s.views = acc.views;
        s.contentsViewed = acc.contentsViewed.estimate();
        s.completions = acc.completions;
        s.likes = acc.likes;
        s.comments = acc.comments;
        s.shares = acc.shares;
        s.saves = acc.saves;
        s.clicks = acc.clicks;
        s.watchTimeMs = acc.watchTimeMs;
        s.avgWatchTimeMs = averageWatchTimeMs(acc.watchTimeMs, acc.views);
        s.completionRate = completionRate(acc.completions, acc.views);
        s.engagementRate = actionRate(Math.max(0, acc.saves), acc.shares, acc.clicks, acc.views);
        out.collect(s);
    }
}
