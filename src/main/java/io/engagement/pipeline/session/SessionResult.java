package io.engagement.pipeline.session;

import static io.engagement.pipeline.metrics.EngagementFormulas.actionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.averageWatchTimeMs;
import static io.engagement.pipeline.metrics.EngagementFormulas.completionRate;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a closed session window into a {@link SessionMetrics} row. Session windows merge, and Flink
 * allows no per-window state for merging windows, so the version is the session's event count: every
 * late event that joins the session raises it, and a replay reproduces it.
 *
 * <p>A row is keyed in ClickHouse by (session id, start second). A late event can move a fired
 * session's start earlier or merge two fired sessions; the rows written under the old starts would
 * then stay visible next to the new one. So the function remembers, per session id, the starts it has
 * written rows for, and when a firing covers an older start it writes a {@link SessionMetrics#superseded}
 * row for that start (all counts 0, version = the merged session's event count, which exceeds the old
 * row's because the merged session holds all its events), which replaces the old row under FINAL.
 */
public class SessionResult extends ProcessWindowFunction<SessionAccumulator, SessionMetrics, String, TimeWindow> {

    /** Start -> window end (ms) of each session written for this session id and not yet purged. */
    static final MapStateDescriptor<Long, Long> WRITTEN_SESSIONS =
            new MapStateDescriptor<>("written-sessions", Types.LONG, Types.LONG);
    /**
     * Starts written by releases before sessions had a maximum length. Only removed as their sessions
     * are purged, never read: reading it costs a second state iteration on every session firing, and
     * it matters only for a late event that moves the start of a session open across the upgrade
     * (that session's old row is then not retracted).
     */
    static final MapStateDescriptor<Long, Boolean> WRITTEN_STARTS_BEFORE_CAP =
            new MapStateDescriptor<>("written-session-starts", Types.LONG, Types.BOOLEAN);

    @Override
    public void process(String sessionId, Context context, Iterable<SessionAccumulator> elements,
                        Collector<SessionMetrics> out) throws Exception {
        SessionAccumulator acc = elements.iterator().next();
        MapState<Long, Long> written = context.globalState().getMapState(WRITTEN_SESSIONS);
        long start = context.window().getStart();
        long end = context.window().getEnd();
        List<Long> covered = new ArrayList<>();
        for (Map.Entry<Long, Long> session : written.entries()) {
            // Windows only grow when they merge, so a written session merged into this one lies inside
            // it. One that merely overlaps it is a separate session that hit session.max-duration.
            if (session.getKey() > start && session.getValue() <= end) {
                covered.add(session.getKey());
            }
        }
        for (long writtenStart : covered) {
            written.remove(writtenStart);
            // Same start second: the new row has the same ClickHouse key and replaces the old one itself.
            if (Math.floorDiv(writtenStart, 1000) != Math.floorDiv(start, 1000)) {
                out.collect(SessionMetrics.superseded(sessionId, writtenStart, acc.events));
            }
        }
        written.put(start, end);
        out.collect(toRow(sessionId, acc));
    }

    /** The session is purged (its allowed lateness has passed): no later firing can cover it. */
    @Override
    public void clear(Context context) throws Exception {
        context.globalState().getMapState(WRITTEN_SESSIONS).remove(context.window().getStart());
        context.globalState().getMapState(WRITTEN_STARTS_BEFORE_CAP).remove(context.window().getStart());
    }

    private static SessionMetrics toRow(String sessionId, SessionAccumulator acc) {
        SessionMetrics s = new SessionMetrics();
        s.sessionId = sessionId;
        s.userId = acc.userId;
        s.sessionStartMs = acc.firstEventMs;
        s.sessionEndMs = acc.lastEventMs;
        s.durationMs = acc.lastEventMs - acc.firstEventMs;
        s.version = acc.events;
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
        return s;
    }
}
