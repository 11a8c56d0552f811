package io.engagement.pipeline.views;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One of the three view gates (session, device, user: {@link ActorKind}), keyed by its actor. It
 * holds an actor's claims of an event-time minute until the watermark passes the minute, then
 * decides them together, in event-time order, and forwards every claim (the next gate counts the
 * excluded ones too: a bot's activity is activity), marking the ones that must not count:
 * <ul>
 *   <li>{@code <kind>_view_rate}: the actor made more than {@link ViewRules#maxStartsPerMinute} view
 *       starts in the minute; it is flagged ({@link #SUSPECTS}) and none of its claims of the minute count;</li>
 *   <li>{@code repeat_view} (the viewer's gate only, {@link ActorKind#viewerOf}): a view start of a
 *       content the viewer's last counted view start of is less than {@link ViewRules#repeatSpanMs} ago;</li>
 *   <li>{@code impossible_playback} (the viewer's gate): a play end reporting more watch time than has
 *       passed since its session's view start of that content (plus {@link ViewRules#playbackSlackMs});</li>
 *   <li>{@code view_start_excluded} (the viewer's gate): the end of a play whose view start was
 *       excluded for an actor's rate (a repeat's play still counts: a rewatch is watched).</li>
 * </ul>
 * A view start of a content is remembered for an hour (a longer play is not checked against it).
 * Claims are decided when a timer at the minute's last millisecond fires, which Flink does before it
 * forwards the watermark, so the decided claims reach the content windows ahead of the watermark that
 * fires them: validation delays no window. A claim arriving after its minute was decided (a late
 * event) is decided alone against what was decided; if it takes the actor over the limit the flag is
 * raised then ({@link SuspectActor#late}) and the claims of the minute this gate had let through are
 * taken back: each goes on as a {@link ViewClaim#retraction}, which the validated counters subtract, so
 * the minute's rows fire again corrected within the allowed lateness. A later gate drops a retraction
 * of a claim it had excluded itself (its flagged minute, or a rule of the viewer's gate, whose
 * exclusions it remembers for the lateness): that claim never counted.
 */
public class ViewGate extends KeyedProcessFunction<String, ViewClaim, ViewClaim> {

    public static final OutputTag<SuspectActor> SUSPECTS = new OutputTag<>("suspect-actors") {};

    static final long MINUTE_MS = 60_000;
    private static final long HOUR_MS = 3_600_000;
    /** A view start older than this is forgotten by the play rules (a longer play is not checked). */
    static final long PLAY_START_HORIZON_MS = Duration.ofHours(1).toMillis();

    private final ActorKind kind;
    private final ViewRules rules;
    /**
     * Allowed lateness rounded up to whole minutes: the timers of a minute fall on distinct
     * milliseconds of a minute (decision :59.999, forgetting the verdict :00.000, pruning the
     * per-content times :00.001), so {@link #onTimer} tells them apart by the timestamp alone.
     */
    private final long latenessMs;
    /** How long after a minute's lateness its per-content times (view starts, plays) can still matter, whole minutes. */
    private final long memoryMs;

    /** Claims of minutes not yet decided, by event id (unique after de-duplication): one write per claim, no read. */
    private transient MapState<String, ViewClaim> pending;

    private transient MapState<Long, MinuteVerdict> decided;
    private transient MapState<String, Long> lastCountedStart;
    private transient MapState<String, Long> playStarts;
    private transient MapState<String, Long> excludedStarts;
    /** Claims the viewer's gate excluded by a rule of its own, by event id (their time): a retraction of one is dropped. */
    private transient MapState<String, Long> ruledOut;

    private transient Counter flaggedMinutes;
    private transient Counter excludedClaims;
    private transient Counter retractedClaims;

    public ViewGate(ActorKind kind, ViewRules rules, Duration allowedLateness) {
        this.kind = kind;
        this.rules = rules;
        this.latenessMs = roundUpToMinutes(allowedLateness.toMillis());
        this.memoryMs = roundUpToMinutes(Math.max(rules.repeatSpanMs(), PLAY_START_HORIZON_MS));
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("pending-claims", Types.STRING, TypeInformation.of(ViewClaim.class)));
        decided = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "decided-minutes", Types.LONG, TypeInformation.of(MinuteVerdict.class)));
        lastCountedStart = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("last-counted-view-start", Types.STRING, Types.LONG));
        playStarts = getRuntimeContext().getMapState(new MapStateDescriptor<>("play-starts", Types.STRING, Types.LONG));
        excludedStarts = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("excluded-view-starts", Types.STRING, Types.LONG));
        ruledOut =
                getRuntimeContext().getMapState(new MapStateDescriptor<>("ruled-out-claims", Types.STRING, Types.LONG));
        var group = getRuntimeContext().getMetricGroup().addGroup("engagement").addGroup("views");
        flaggedMinutes = group.counter("actors_flagged");
        excludedClaims = group.counter("claims_excluded");
        retractedClaims = group.counter("claims_retracted");
    }

    @Override
    public void processElement(ViewClaim claim, Context ctx, Collector<ViewClaim> out) throws Exception {
        if (kind.actorOf(claim) == null
                // A play end is judged by its viewer's gate alone (playback, and did its start
                // count?), which sees every exclusion of the start: a rate flag anywhere excludes the
                // play there. The rate counts view starts only.
                || (!claim.viewStart && kind != ActorKind.viewerOf(claim))) {
            out.collect(claim); // nothing to check it against here
            return;
        }
        long minute = Math.floorDiv(claim.eventTimeMs, MINUTE_MS) * MINUTE_MS;
        if (claim.retraction) {
            passRetraction(minute, claim, out);
            return;
        }
        if (ctx.timerService().currentWatermark() >= minute + MINUTE_MS - 1) {
            // Late: its minute is decided. Its verdict is kept from a quarter of the limit up (keepForLateClaims).
            MinuteVerdict verdict = decided.get(minute);
            if (verdict == null) {
                verdict = new MinuteVerdict();
            }
            decideLate(ctx.getCurrentKey(), minute, verdict, claim, ctx, out);
            return;
        }
        pending.put(claim.eventId, claim);
        ctx.timerService().registerEventTimeTimer(minute + MINUTE_MS - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ViewClaim> out) throws Exception {
        long residue = Math.floorMod(timestamp, MINUTE_MS);
        if (residue == MINUTE_MS - 1) {
            decide(ctx.getCurrentKey(), timestamp - (MINUTE_MS - 1), ctx, out);
        } else if (residue == 0) {
            decided.remove(timestamp - MINUTE_MS - latenessMs);
        } else {
            // No claim still to come (dedup lets none older than watermark - lateness through) can be
            // judged by a time older than these.
            long oldestPossibleClaim = timestamp - latenessMs;
            removeOlderThan(lastCountedStart, oldestPossibleClaim - rules.repeatSpanMs());
            removeOlderThan(playStarts, oldestPossibleClaim - PLAY_START_HORIZON_MS);
            removeOlderThan(excludedStarts, oldestPossibleClaim - PLAY_START_HORIZON_MS);
            // A retraction is of a claim of a minute whose late claims can still come.
            removeOlderThan(ruledOut, oldestPossibleClaim - MINUTE_MS);
        }
    }

    private void decide(String actor, long minute, Context ctx, Collector<ViewClaim> out) throws Exception {
        List<ViewClaim> claims = new ArrayList<>();
        for (ViewClaim claim : pending.values()) {
            if (claim.eventTimeMs < minute + MINUTE_MS) {
                claims.add(claim);
            }
        }
        if (claims.isEmpty()) {
            return;
        }
        // Removed by key, not through the iterator: the heap backend drops a key's map when its last
        // entry is removed so, and RocksDB needs no second scan to find out whether any is left.
        for (ViewClaim claim : claims) {
            pending.remove(claim.eventId);
        }
        claims.sort(Comparator.comparingLong(c -> c.eventTimeMs));
        int starts = 0;
        for (ViewClaim claim : claims) {
            starts += claim.viewStart ? 1 : 0;
        }
        boolean flagged = starts > rules.maxStartsPerMinute();
        if (flagged) {
            flag(actor, minute, starts, claims.size() - starts, false, ctx);
        }
        MinuteVerdict verdict = new MinuteVerdict(starts, claims.size() - starts, flagged);
        for (ViewClaim claim : claims) {
            if (flagged) {
                exclude(claim, kind.code() + "_view_rate");
            }
            judge(claim);
            passIfCounted(verdict, claim);
            out.collect(claim);
        }
        keepForLateClaims(minute, verdict, ctx);
        registerPruning(minute, ctx);
    }

    private void decideLate(
            String actor, long minute, MinuteVerdict verdict, ViewClaim claim, Context ctx, Collector<ViewClaim> out)
            throws Exception {
        if (claim.viewStart) {
            verdict.viewStarts++;
        } else {
            verdict.playEnds++;
        }
        if (!verdict.flagged && verdict.viewStarts > rules.maxStartsPerMinute()) {
            verdict.flagged = true;
            flag(actor, minute, verdict.viewStarts, verdict.playEnds, true, ctx);
            // What this gate let through of the minute counted until now: take it back.
            for (ViewClaim passed : verdict.passed) {
                out.collect(passed.retraction(kind.code() + "_view_rate"));
                retractedClaims.inc();
            }
            verdict.passed = new ViewClaim[0];
        }
        if (verdict.flagged) {
            exclude(claim, kind.code() + "_view_rate");
        }
        judge(claim);
        passIfCounted(verdict, claim);
        // Always kept once a late claim came: late claims of one minute add up, so an actor cannot
        // escape the limit by sending everything a few minutes late.
        keep(minute, verdict, ctx);
        registerPruning(minute, ctx);
        out.collect(claim);
    }

    /** A claim still counting after this gate is remembered in its minute's verdict, for a late flag. */
    private static void passIfCounted(MinuteVerdict verdict, ViewClaim claim) {
        if (claim.excludedBy == null) {
            verdict.pass(claim);
        }
    }

    /**
     * A retraction from an earlier gate's late flag: dropped if this gate had excluded the claim (it
     * never counted), otherwise passed on and forgotten here, so a flag of this gate's own cannot
     * take the claim back a second time. A retracted view start is an excluded one for the plays
     * that end after it (the viewer's gate).
     */
    private void passRetraction(long minute, ViewClaim retraction, Collector<ViewClaim> out) throws Exception {
        // Not decided here yet (this gate's watermark is behind the one that raised the flag): the
        // claim itself goes on excluded when its minute is decided, so there is nothing to take back.
        ViewClaim pendingClaim = pending.get(retraction.eventId);
        if (pendingClaim != null) {
            exclude(pendingClaim, retraction.excludedBy);
            pending.put(pendingClaim.eventId, pendingClaim);
            return;
        }
        MinuteVerdict verdict = decided.get(minute);
        boolean excludedHere = (verdict != null && verdict.flagged)
                || (kind == ActorKind.viewerOf(retraction) && ruledOut.contains(retraction.eventId));
        if (excludedHere) {
            return;
        }
        if (verdict != null && verdict.forget(retraction.eventId)) {
            decided.put(minute, verdict);
        }
        if (retraction.viewStart && kind == ActorKind.viewerOf(retraction)) {
            if (Long.valueOf(retraction.eventTimeMs).equals(lastCountedStart.get(retraction.contentId))) {
                lastCountedStart.remove(retraction.contentId); // no longer a counted start
            }
            Long excluded = excludedStarts.get(retraction.contentId);
            if (excluded == null || excluded < retraction.eventTimeMs) {
                excludedStarts.put(retraction.contentId, retraction.eventTimeMs);
            }
        }
        out.collect(retraction);
    }

    /**
     * Keeps a decided minute's verdict for its late claims while they can come, from a quarter of the
     * limit up. Below, it is not kept (most actors, most minutes: a state write saved each): late claims
     * of such a minute count from zero, so what it let through on time, fewer than a quarter of the
     * limit, is neither counted toward a late flag nor taken back by one.
     */
    private void keepForLateClaims(long minute, MinuteVerdict verdict, Context ctx) throws Exception {
        if (verdict.flagged || 4 * verdict.viewStarts >= rules.maxStartsPerMinute()) {
            keep(minute, verdict, ctx);
        }
    }

    private void keep(long minute, MinuteVerdict verdict, Context ctx) throws Exception {
        decided.put(minute, verdict);
        ctx.timerService().registerEventTimeTimer(minute + MINUTE_MS + latenessMs);
    }

    private void flag(String actor, long minute, long starts, long ends, boolean late, Context ctx) {
        flaggedMinutes.inc();
        ctx.output(SUSPECTS, SuspectActor.of(kind, actor, minute, "view_rate", starts, ends, late));
    }

    private void exclude(ViewClaim claim, String reason) {
        if (claim.excludedBy == null) {
            claim.excludedBy = reason;
            excludedClaims.inc();
        }
    }

    /** Excludes by a rule of the viewer's gate, remembered for the lateness (a retraction of the claim is then dropped). */
    private void ruleOut(ViewClaim claim, String reason) throws Exception {
        exclude(claim, reason);
        ruledOut.put(claim.eventId, claim.eventTimeMs);
    }

    /** The rules of one claim, applied in event-time order within the actor's minute. */
    private void judge(ViewClaim claim) throws Exception {
        if (kind != ActorKind.viewerOf(claim)) {
            return;
        }
        // One screen plays one thing at a time: a play's watch time is bounded by the time since its
        // session's view start of the content (kept by session and content under the viewer).
        String play = claim.sessionId + '\u0000' + claim.contentId;
        // The viewer's gate is the last that can exclude a view start (the gates after it have no
        // actor of theirs on the claim), so it sees each start's final verdict.
        if (claim.viewStart) {
            playStarts.put(play, claim.eventTimeMs);
            if (claim.excludedBy == null) {
                Long last = lastCountedStart.get(claim.contentId);
                if (last != null && Math.abs(claim.eventTimeMs - last) < rules.repeatSpanMs()) {
                    ruleOut(claim, "repeat_view");
                } else {
                    lastCountedStart.put(claim.contentId, claim.eventTimeMs);
                }
            }
            if (claim.excludedBy != null && !claim.excludedBy.equals("repeat_view")) {
                excludedStarts.put(claim.contentId, claim.eventTimeMs);
            }
        } else if (claim.excludedBy == null) {
            Long start = playStarts.get(play);
            if (start != null
                    && claim.eventTimeMs >= start
                    && claim.playWatchTimeMs > claim.eventTimeMs - start + rules.playbackSlackMs()) {
                ruleOut(claim, "impossible_playback");
                return;
            }
            // A play counts only if its start did: a bot's play that ends after its flagged minute
            // is still a bot's. (A repeat is a human's rewatch: its play counts.) The latest start
            // before the end decides: an excluded one, unless a counted one came after it.
            Long excludedStart = excludedStarts.get(claim.contentId);
            if (excludedStart != null && excludedStart <= claim.eventTimeMs) {
                Long counted = lastCountedStart.get(claim.contentId);
                if (counted == null || counted < excludedStart || counted > claim.eventTimeMs) {
                    ruleOut(claim, "view_start_excluded");
                }
            }
        }
    }

    /**
     * Prune the per-content times (view starts, plays) once they can no longer matter: at most once
     * an hour per actor (the timer falls on the hour after, :00.001), each pruning a scan of them.
     */
    private void registerPruning(long minute, Context ctx) {
        long due = minute + MINUTE_MS + latenessMs + memoryMs;
        ctx.timerService().registerEventTimeTimer(-Math.floorDiv(-due, HOUR_MS) * HOUR_MS + 1);
    }

    private static long roundUpToMinutes(long ms) {
        return -Math.floorDiv(-ms, MINUTE_MS) * MINUTE_MS;
    }

    private static void removeOlderThan(MapState<String, Long> times, long limit) throws Exception {
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, Long> entry : times.entries()) {
            if (entry.getValue() < limit) {
                old.add(entry.getKey());
            }
        }
        for (String key : old) {
            times.remove(key); // by key: see decide
        }
    }
}
