package io.engagement.pipeline.session;

import static io.engagement.pipeline.metrics.EngagementFormulas.actionRate;
import static io.engagement.pipeline.metrics.EngagementFormulas.averageWatchTimeMs;
import static io.engagement.pipeline.metrics.EngagementFormulas.completionRate;

import io.engagement.pipeline.event.EngagementEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Viewing sessions per session id (seed 001 session analytics), with event-time semantics of Flink's
 * session windows: a session ends after {@code session.gap} without events, an event within the gap
 * of two sessions merges them, a session fires when the watermark passes its end and again for every
 * event that joins it within the allowed lateness, and is purged after that.
 *
 * <p>Why not Flink's merging session windows: per event they read and rewrite the key's merging-window
 * set and then read and rewrite the window accumulator, two RocksDB reads and writes, and a third
 * state (the rows written per session) was iterated on every firing. Here the key's open sessions
 * (almost always one) and what was written for them are one value: one read and one write per event.
 *
 * <p>Two rules beyond Flink's sessions:
 * <ul>
 *   <li>A session never lasts longer than {@code session.max-duration}: two sessions are not merged when
 *       the result would span more than max-duration + gap, so a session id reused forever (a buggy
 *       client, a kiosk, a bot) cannot keep a session, its state and its timers open forever. Sessions
 *       merge greedily in start order, so the same events give the same sessions in any arrival order as
 *       long as no cap is hit.</li>
 *   <li>A row is keyed in ClickHouse by (session id, start second). When a late event moves a fired
 *       session's start earlier or merges two fired sessions, the rows written under the old starts
 *       would stay visible beside the new one; so the merged session remembers those starts
 *       ({@link OpenSession#retract}) and its next firing writes a {@link SessionMetrics#superseded}
 *       row for each (all counts 0, version = the merged session's event count, which exceeds the old
 *       row's), which replaces the old row under FINAL.</li>
 * </ul>
 * The version of a row is the session's event count: every late event that joins raises it, and a
 * replay reproduces it.
 */
public class SessionTracker extends KeyedProcessFunction<String, EngagementEvent, SessionMetrics> {

    static final ValueStateDescriptor<OpenSession[]> OPEN_SESSIONS =
            new ValueStateDescriptor<>("open-sessions", Types.OBJECT_ARRAY(TypeInformation.of(OpenSession.class)));
    private static final OpenSession[] NONE = new OpenSession[0];
    private static final long[] NOTHING_TO_RETRACT = new long[0];

    private final long gapMs;
    /** A session window spans first event .. last event + gap, so the cap on the window is max-duration + gap. */
    private final long maxWindowMs;

    private final long allowedLatenessMs;

    private transient ValueState<OpenSession[]> openSessions;
    private transient Counter tooLate;
    /**
     * While {@link SessionBundleOperator} applies a bundle of one key's events: that key's sessions,
     * read once before the first event and written once after the last ({@link #beginKey}, {@link #endKey}).
     */
    private transient boolean inBundle;

    private transient OpenSession[] bundled;
    private transient boolean bundleChanged;
    private transient Set<Long> timersAtStartOfBundle;

    public SessionTracker(Duration gap, Duration maxDuration, Duration allowedLateness) {
        if (gap.isNegative() || gap.isZero() || maxDuration.isNegative() || allowedLateness.isNegative()) {
            throw new IllegalArgumentException("session gap must be > 0, max duration and allowed lateness >= 0");
        }
        this.gapMs = gap.toMillis();
        this.maxWindowMs = Math.addExact(maxDuration.toMillis(), gapMs);
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        openSessions = getRuntimeContext().getState(OPEN_SESSIONS);
        // Lateness is decided upstream against windows that close sooner, so this stays 0 unless a
        // watermark overtook an event (possible after an idle input resumes).
        tooLate = getRuntimeContext().getMetricGroup().addGroup("engagement").counter("session_events_too_late");
    }

    @Override
    public void processElement(EngagementEvent event, Context ctx, Collector<SessionMetrics> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        // In a bundle the key's timers are set once at its end, from its sessions ({@link #endKey}).
        TimerService timers = inBundle ? TIMERS_SET_AT_END_OF_BUNDLE : ctx.timerService();
        OpenSession[] sessions = orNone(current());

        OpenSession incoming = new OpenSession();
        incoming.start = event.eventTimeMs;
        incoming.end = event.eventTimeMs + gapMs;
        List<List<OpenSession>> groups = groupInStartOrder(sessions, incoming);

        List<OpenSession> after = new ArrayList<>(groups.size());
        List<OpenSession> replaced = new ArrayList<>(2);
        OpenSession target = null;
        for (List<OpenSession> group : groups) {
            boolean hasIncoming = group.contains(incoming);
            OpenSession merged = group.size() == 1 ? group.get(0) : merge(group, incoming, replaced);
            if (hasIncoming) {
                target = merged;
            }
            after.add(merged);
        }
        if (cleanupTime(target) <= watermark) {
            // Cannot be a session that already had events: those are purged only after their cleanup time.
            tooLate.inc();
            return;
        }
        // An event inside its session's span changes no timer: the common case costs no timer update.
        boolean windowChanged =
                replaced.size() != 1 || replaced.get(0).start != target.start || replaced.get(0).end != target.end;
        SessionAggregate.add(target.counters, event);

        if (target.maxTimestamp() <= watermark) {
            fire(ctx.getCurrentKey(), target, out); // a late event joined a fired session: fire again now
        } else if (windowChanged) {
            timers.registerEventTimeTimer(target.maxTimestamp());
        }
        if (windowChanged && cleanupTime(target) != Long.MAX_VALUE) {
            timers.registerEventTimeTimer(cleanupTime(target));
        }
        deleteUnusedTimers(replaced, after, timers);
        store(after.toArray(NONE));
    }

    /**
     * Starts a bundle of the current key's events: its sessions are read now, once, and the timers they
     * have registered are noted for {@link #endKey}.
     */
    void beginKey(TimerService timers) throws Exception {
        bundled = openSessions.value();
        timersAtStartOfBundle = timersOf(bundled, timers.currentWatermark());
        bundleChanged = false;
        inBundle = true;
    }

    /**
     * Ends the current key's bundle: its sessions are written now, once, if an event changed them, and
     * its timers moved from what the sessions at the start needed to what they need now. Event by
     * event, {@link #processElement} keeps exactly these timers registered (every session's last
     * millisecond while the watermark is before it, and its cleanup time), and no timer fires inside a
     * bundle (the watermark does not move), so setting them once at the end leaves the same timers.
     */
    void endKey(TimerService timers) throws Exception {
        inBundle = false;
        if (bundleChanged) {
            openSessions.update(bundled);
            Set<Long> needed = timersOf(bundled, timers.currentWatermark());
            Set<Long> registered = timersAtStartOfBundle;
            for (long t : registered) {
                if (!needed.contains(t)) {
                    timers.deleteEventTimeTimer(t);
                }
            }
            for (long t : needed) {
                if (!registered.contains(t)) {
                    timers.registerEventTimeTimer(t);
                }
            }
        }
        bundled = null;
        timersAtStartOfBundle = null;
    }

    private Set<Long> timersOf(OpenSession[] sessions, long watermark) {
        Set<Long> timers = new HashSet<>(4);
        for (OpenSession s : orNone(sessions)) {
            if (s.maxTimestamp() > watermark) {
                timers.add(s.maxTimestamp());
            }
            if (cleanupTime(s) != Long.MAX_VALUE) {
                timers.add(cleanupTime(s));
            }
        }
        return timers;
    }

    /** Timer changes of events applied in a bundle: dropped, since {@link #endKey} sets the key's timers. */
    private static final TimerService TIMERS_SET_AT_END_OF_BUNDLE = new TimerService() {
        @Override
        public long currentProcessingTime() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long currentWatermark() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void registerEventTimeTimer(long time) {
            // set at the end of the bundle
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            // set at the end of the bundle
        }
    };

    private OpenSession[] current() throws Exception {
        return inBundle ? bundled : openSessions.value();
    }

    private void store(OpenSession[] sessions) throws Exception {
        if (inBundle) {
            bundled = sessions;
            bundleChanged = true;
        } else {
            openSessions.update(sessions);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionMetrics> out) throws Exception {
        OpenSession[] sessions = openSessions.value();
        if (sessions == null) {
            return;
        }
        List<OpenSession> kept = new ArrayList<>(sessions.length);
        boolean changed = false;
        for (OpenSession session : sessions) {
            if (session.maxTimestamp() == timestamp) {
                fire(ctx.getCurrentKey(), session, out);
                changed = true;
            }
            if (cleanupTime(session) <= timestamp) {
                changed = true; // its allowed lateness has passed: no later event can join it
            } else {
                kept.add(session);
            }
        }
        if (!changed) {
            return;
        }
        if (kept.isEmpty()) {
            openSessions.clear();
        } else {
            openSessions.update(kept.toArray(NONE));
        }
    }

    /**
     * Flink's session merging: sessions (and the incoming event's window) in start order, each joined to
     * the group before it while it touches the group's span and the span stays within the cap. An
     * incoming window that starts where a session starts sorts after it, as Flink adds the new window last.
     */
    private List<List<OpenSession>> groupInStartOrder(OpenSession[] sessions, OpenSession incoming) {
        List<List<OpenSession>> groups = new ArrayList<>(sessions.length + 1);
        List<OpenSession> group = null;
        long coverStart = 0;
        long coverEnd = 0;
        int next = 0;
        boolean incomingPlaced = false;
        while (next < sessions.length || !incomingPlaced) {
            OpenSession window;
            if (!incomingPlaced && (next == sessions.length || sessions[next].start > incoming.start)) {
                window = incoming;
                incomingPlaced = true;
            } else {
                window = sessions[next++];
            }
            if (group != null
                    && window.intersects(coverStart, coverEnd)
                    && Math.max(coverEnd, window.end) - Math.min(coverStart, window.start) <= maxWindowMs) {
                group.add(window);
                coverStart = Math.min(coverStart, window.start);
                coverEnd = Math.max(coverEnd, window.end);
                continue;
            }
            group = new ArrayList<>(2);
            group.add(window);
            groups.add(group);
            coverStart = window.start;
            coverEnd = window.end;
        }
        return groups;
    }

    /**
     * One session from a group of sessions that now touch (the incoming event's window, if in the
     * group, contributes only its span: the event is added by the caller). The sessions merged away
     * are added to {@code replaced}, for their timers.
     */
    private static OpenSession merge(List<OpenSession> group, OpenSession incoming, List<OpenSession> replaced) {
        OpenSession target = null;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (OpenSession s : group) {
            start = Math.min(start, s.start);
            end = Math.max(end, s.end);
            if (s == incoming) {
                continue;
            }
            if (target == null) {
                target = s;
            } else {
                SessionAggregate.merge(target.counters, s.counters);
            }
            replaced.add(s);
        }
        long[] retract = NOTHING_TO_RETRACT;
        boolean written = false;
        for (OpenSession s : group) {
            if (s == incoming) {
                continue;
            }
            for (long r : s.retract) {
                retract = withStart(retract, r, start);
            }
            if (s.written) {
                if (s.start == start) {
                    written = true; // the merged session's row replaces that row itself (same key)
                } else {
                    retract = withStart(retract, s.start, start);
                }
            }
        }
        OpenSession merged = new OpenSession();
        merged.start = start;
        merged.end = end;
        merged.written = written;
        merged.retract = retract;
        merged.counters = target.counters;
        return merged;
    }

    /** {@code starts} with {@code start} added (ascending, no repeats), unless it is the merged session's own start. */
    private static long[] withStart(long[] starts, long start, long ownStart) {
        if (start == ownStart) {
            return starts;
        }
        int pos = Arrays.binarySearch(starts, start);
        if (pos >= 0) {
            return starts;
        }
        int at = -pos - 1;
        long[] grown = new long[starts.length + 1];
        System.arraycopy(starts, 0, grown, 0, at);
        grown[at] = start;
        System.arraycopy(starts, at, grown, at + 1, starts.length - at);
        return grown;
    }

    private void fire(String sessionId, OpenSession session, Collector<SessionMetrics> out) {
        for (long writtenStart : session.retract) {
            // Same start second: the new row has the same ClickHouse key and replaces the old one itself.
            if (Math.floorDiv(writtenStart, 1000) != Math.floorDiv(session.start, 1000)) {
                out.collect(SessionMetrics.superseded(sessionId, writtenStart, session.counters.events));
            }
        }
        session.retract = NOTHING_TO_RETRACT;
        session.written = true;
        out.collect(toRow(sessionId, session.counters));
    }

    /** A merged-away session's timers, unless a remaining session fires or is purged at the same time. */
    private void deleteUnusedTimers(List<OpenSession> replaced, List<OpenSession> remaining, TimerService timers) {
        for (OpenSession old : replaced) {
            deleteUnlessUsed(old.maxTimestamp(), remaining, timers);
            deleteUnlessUsed(cleanupTime(old), remaining, timers);
        }
    }

    private void deleteUnlessUsed(long timestamp, List<OpenSession> remaining, TimerService timers) {
        for (OpenSession s : remaining) {
            if (s.maxTimestamp() == timestamp || cleanupTime(s) == timestamp) {
                return;
            }
        }
        timers.deleteEventTimeTimer(timestamp);
    }

    /** Flink's window cleanup time: the end of the allowed lateness, saturating instead of overflowing. */
    private long cleanupTime(OpenSession session) {
        long cleanup = session.maxTimestamp() + allowedLatenessMs;
        return cleanup >= session.maxTimestamp() ? cleanup : Long.MAX_VALUE;
    }

    private static OpenSession[] orNone(OpenSession[] sessions) {
        return sessions == null ? NONE : sessions;
    }

    static SessionMetrics toRow(String sessionId, SessionAccumulator acc) {
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
