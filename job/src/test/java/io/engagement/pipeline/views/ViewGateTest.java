package io.engagement.pipeline.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The view gate alone, in Flink's operator harness: which claims it excludes and why, that it
 * decides a minute before the watermark passes on, and that it leaves no state or timer behind.
 */
class ViewGateTest {

    /** 3 view starts a minute at most, repeats within 30 s count once, 2 s of playback slack. */
    private static final ViewRules RULES = new ViewRules(3, 30_000, 2_000);

    private static final Duration LATENESS = Duration.ofMinutes(2);

    private static KeyedOneInputStreamOperatorTestHarness<String, ViewClaim, ViewClaim> harness(ActorKind kind)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ViewGate(kind, RULES, LATENESS)), kind::keyOf, Types.STRING);
        h.open();
        return h;
    }

    private static int nextId;

    private static ViewClaim start(String content, String session, String user, long t) {
        ViewClaim c = new ViewClaim();
        c.eventId = "e" + (nextId++);
        c.contentId = content;
        c.sessionId = session;
        c.userId = user;
        c.eventTimeMs = t;
        c.viewStart = true;
        return c;
    }

    private static ViewClaim end(String content, String session, String user, long t, long watchedMs) {
        ViewClaim c = start(content, session, user, t);
        c.viewStart = false;
        c.completes = true;
        c.playWatchTimeMs = watchedMs;
        return c;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, ViewClaim, ViewClaim> h, ViewClaim c)
            throws Exception {
        h.processElement(new StreamRecord<>(c, c.eventTimeMs));
    }

    /** Claims out, in order, as "content:excludedBy" (null when counted), retractions as "retract content". */
    private static List<String> verdicts(KeyedOneInputStreamOperatorTestHarness<String, ViewClaim, ViewClaim> h) {
        List<String> out = h.extractOutputValues().stream()
                .map(c -> c.retraction ? "retract " + c.contentId : c.contentId + ":" + c.excludedBy)
                .toList();
        h.getOutput().clear();
        return out;
    }

    private static void assertNothingLeft(KeyedOneInputStreamOperatorTestHarness<String, ViewClaim, ViewClaim> h) {
        assertEquals(0, h.numKeyedStateEntries(), "state entries left");
        assertEquals(0, h.numEventTimeTimers(), "timers left");
    }

    @Test
    void aViewFarmIsFlaggedForTheMinuteAndNoneOfItsClaimsCount() throws Exception {
        try (var h = harness(ActorKind.USER)) {
            for (int i = 0; i < 5; i++) { // 5 view starts of different contents in one minute: above 3
                send(h, start("c" + i, "s" + i, "farm", 1_000 + i * 1_000));
            }
            send(h, end("c0", "s0", "farm", 20_000, 5_000));
            send(h, start("c9", "s9", "human", 2_000)); // another actor, same minute
            assertEquals(List.of(), verdicts(h), "nothing leaves before the watermark passes the minute");

            h.processWatermark(new Watermark(59_999));
            Map<String, Long> byVerdict = h.extractOutputValues().stream()
                    .collect(Collectors.groupingBy(
                            c -> c.userId + ":" + c.excludedBy, TreeMap::new, Collectors.counting()));
            assertEquals(Map.of("farm:user_view_rate", 6L, "human:null", 1L), byVerdict);
            // The claims come before the watermark that closes their minute, so downstream windows are on time.
            Object last = h.getOutput().toArray()[h.getOutput().size() - 1];
            assertEquals(new Watermark(59_999), last);

            List<SuspectActor> suspects = h.getSideOutput(ViewGate.SUSPECTS).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertEquals(1, suspects.size());
            SuspectActor s = suspects.get(0);
            assertEquals("user", s.actorKind);
            assertEquals("farm", s.actorId);
            assertEquals(0, s.windowStartMs);
            assertEquals(60_000, s.windowEndMs);
            assertEquals("view_rate", s.reason);
            assertEquals(5, s.viewStarts);
            assertEquals(1, s.playEnds);
            assertEquals(false, s.late);

            h.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            assertNothingLeft(h);
        }
    }

    @Test
    void thePlayOfAnExcludedViewStartDoesNotCountWhenItEndsInAnUnflaggedMinute() throws Exception {
        try (var h = harness(ActorKind.USER)) {
            for (int i = 0; i < 4; i++) { // flagged in minute 0
                send(h, start("c" + i, "s", "farm", 50_000 + i * 1_000));
            }
            send(h, end("c3", "s", "farm", 65_000, 12_000)); // minute 1: no view starts, not flagged
            send(h, start("r", "s", "farm", 70_000));
            send(h, start("r", "s", "farm", 75_000)); // a repeat: human rewatch, its play counts
            send(h, end("r", "s", "farm", 80_000, 5_000));
            h.processWatermark(new Watermark(119_999));
            assertEquals(
                    List.of(
                            "c0:user_view_rate",
                            "c1:user_view_rate",
                            "c2:user_view_rate",
                            "c3:user_view_rate",
                            "c3:view_start_excluded",
                            "r:null",
                            "r:repeat_view",
                            "r:null"),
                    verdicts(h));
            h.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            assertNothingLeft(h);
        }
    }

    @Test
    void aHeavyButHumanViewerAtTheLimitIsNotFlagged() throws Exception {
        try (var h = harness(ActorKind.USER)) {
            for (int i = 0; i < 3; i++) { // exactly the limit, in each of two minutes
                send(h, start("c" + i, "s", "heavy", 1_000 + i * 15_000));
                send(h, start("d" + i, "s", "heavy", 61_000 + i * 15_000));
            }
            h.processWatermark(new Watermark(119_999));
            assertEquals(List.of("c0:null", "c1:null", "c2:null", "d0:null", "d1:null", "d2:null"), verdicts(h));
            assertTrue(h.getSideOutput(ViewGate.SUSPECTS) == null
                    || h.getSideOutput(ViewGate.SUSPECTS).isEmpty());
        }
    }

    @Test
    void repeatedViewStartsOfOneContentWithinTheSpanCountOnce() throws Exception {
        try (var h = harness(ActorKind.USER)) {
            // Sent out of order: the gate judges a minute in event-time order.
            send(h, start("c", "s", "u", 10_000 + 25_000)); // 25 s after the first: a repeat
            send(h, start("c", "s", "u", 10_000));
            send(h, start("c", "s", "u", 10_000 + 31_000)); // 31 s after the last counted: counts
            send(h, start("c", "s", "u", 60_000 + 20_000)); // next minute, 39 s after: counts
            send(h, start("c", "s", "u", 60_000 + 45_000)); // 25 s after: a repeat across no boundary
            h.processWatermark(new Watermark(119_999));
            assertEquals(List.of("c:null", "c:repeat_view", "c:null", "c:null", "c:repeat_view"), verdicts(h));
            h.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            assertNothingLeft(h);
        }
    }

    @Test
    void repeatsAreJudgedOnlyByTheViewersOwnGate() throws Exception {
        // A signed-in viewer's repeats are the user gate's to judge; its session gate lets them pass.
        try (var h = harness(ActorKind.SESSION)) {
            send(h, start("c", "s", "u", 1_000));
            send(h, start("c", "s", "u", 2_000));
            h.processWatermark(new Watermark(59_999));
            assertEquals(List.of("c:null", "c:null"), verdicts(h));
        }
        // An anonymous viewer's session is its viewer.
        try (var h = harness(ActorKind.SESSION)) {
            send(h, start("c", "s", null, 1_000));
            send(h, start("c", "s", null, 2_000));
            h.processWatermark(new Watermark(59_999));
            assertEquals(List.of("c:null", "c:repeat_view"), verdicts(h));
        }
    }

    @Test
    void aPlayReportingMoreWatchTimeThanHasPassedIsImpossible() throws Exception {
        try (var h = harness(ActorKind.SESSION)) {
            send(h, start("a", "s", null, 0));
            send(h, end("a", "s", null, 10_000, 11_500)); // 10 s passed, 11.5 s reported: inside the 2 s slack
            send(h, start("b", "s", null, 20_000));
            send(h, end("b", "s", null, 25_000, 60_000)); // 5 s passed, 60 s reported
            send(h, start("c", "s", null, 50_000));
            h.processWatermark(new Watermark(59_999));
            send(h, end("c", "s", null, 70_000, 45_000)); // next minute: 20 s passed, 45 s reported
            h.processWatermark(new Watermark(119_999));
            assertEquals(
                    List.of("a:null", "a:null", "b:null", "b:impossible_playback", "c:null", "c:impossible_playback"),
                    verdicts(h));
            h.processWatermark(new Watermark(Duration.ofHours(1).toMillis()));
            assertTrue(h.numKeyedStateEntries() > 0, "the session's view starts are kept for an hour");
            h.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            assertNothingLeft(h);
        }
        // A signed-in viewer's plays are checked by the user's gate, per session: two sessions (two
        // screens) may play at once, one screen may not report more than has passed.
        try (var h = harness(ActorKind.USER)) {
            send(h, start("a", "phone", "u", 0));
            send(h, start("b", "tv", "u", 1_000));
            send(h, end("a", "phone", "u", 20_000, 20_000));
            send(h, end("b", "tv", "u", 21_000, 20_000));
            send(h, end("b", "phone", "u", 22_000, 20_000)); // b was never started on the phone: unchecked
            send(h, start("c", "tv", "u", 30_000));
            send(h, end("c", "tv", "u", 40_000, 30_000));
            h.processWatermark(new Watermark(59_999));
            assertEquals(
                    List.of("a:null", "b:null", "a:null", "b:null", "b:null", "c:null", "c:impossible_playback"),
                    verdicts(h));
        }
    }

    @Test
    void aLateClaimThatTakesTheActorOverTheLimitRaisesALateFlag() throws Exception {
        try (var h = harness(ActorKind.USER)) {
            for (int i = 0; i < 3; i++) {
                send(h, start("c" + i, "s", "u", 1_000 + i * 1_000));
            }
            h.processWatermark(new Watermark(59_999));
            assertEquals(List.of("c0:null", "c1:null", "c2:null"), verdicts(h));

            send(h, start("late", "s", "u", 30_000)); // within the lateness, the 4th of its minute
            assertEquals(
                    List.of("retract c0", "retract c1", "retract c2", "late:user_view_rate"),
                    verdicts(h),
                    "decided at once, not held; what counted of the minute is taken back");
            send(h, end("c0", "s", "u", 40_000, 1_000));
            assertEquals(List.of("c0:user_view_rate"), verdicts(h), "the minute stays flagged");
            List<SuspectActor> suspects = h.getSideOutput(ViewGate.SUSPECTS).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertEquals(1, suspects.size());
            assertTrue(suspects.get(0).late);
            assertEquals(4, suspects.get(0).viewStarts);

            // A late claim of a minute that had none here is decided alone.
            send(h, start("other", "s", "u", 5_000 - 60_000));
            assertEquals(List.of("other:null"), verdicts(h));

            h.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            assertNothingLeft(h);
        }
    }

    /**
     * A session gate's late flag takes back the claims it had passed; the user gate after it (the
     * viewers' gate) drops the retraction of the claim it had excluded as a repeat (it never counted)
     * and passes the others on, and a play that ends after a retracted start does not count.
     */
    @Test
    void aLateFlagTakesBackOnlyWhatCountedAfterTheLastGate() throws Exception {
        try (var session = harness(ActorKind.SESSION);
                var user = harness(ActorKind.USER)) {
            send(session, start("c1", "s", "u1", 1_000));
            send(session, start("c2", "s", "u2", 2_000));
            send(session, start("c2", "s", "u2", 7_000)); // u2's repeat: the user gate excludes it
            session.processWatermark(new Watermark(59_999));
            List<ViewClaim> passed = session.extractOutputValues();
            session.getOutput().clear();
            for (ViewClaim c : passed) {
                send(user, c);
            }
            user.processWatermark(new Watermark(59_999));
            assertEquals(List.of("c1:null", "c2:null", "c2:repeat_view"), verdicts(user));

            send(session, start("c3", "s", "u3", 30_000)); // late, the session's 4th start of the minute
            List<ViewClaim> late = session.extractOutputValues();
            assertEquals(
                    List.of("retract c1", "retract c2", "retract c2", "c3:session_view_rate"),
                    late.stream()
                            .map(c -> c.retraction ? "retract " + c.contentId : c.contentId + ":" + c.excludedBy)
                            .toList());
            for (ViewClaim c : late) {
                send(user, c);
            }
            assertEquals(
                    List.of("retract c1", "retract c2", "c3:session_view_rate"),
                    verdicts(user),
                    "the repeat's retraction is dropped: only the two counted views are taken back");

            // u1's play of c1 ends in the next minute: its start no longer counts, so neither does the play.
            ViewClaim playEnd = end("c1", "s", "u1", 70_000, 10_000);
            send(user, playEnd);
            user.processWatermark(new Watermark(119_999));
            assertEquals(List.of("c1:view_start_excluded"), verdicts(user));

            session.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            user.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            assertNothingLeft(session);
            assertNothingLeft(user);
        }
    }

    /**
     * The later gate's watermark may still be behind the minute when a retraction arrives (its other
     * inputs are slower): the claim still waits there, so it is excluded when the minute is decided
     * and nothing is taken back (a retraction passed on would subtract a claim that never counted).
     */
    @Test
    void aRetractionOfAClaimStillWaitingForItsMinuteExcludesItThere() throws Exception {
        try (var session = harness(ActorKind.SESSION);
                var user = harness(ActorKind.USER)) {
            for (int i = 1; i <= 3; i++) {
                send(session, start("c" + i, "s", "u" + i, i * 1_000L));
            }
            session.processWatermark(new Watermark(59_999));
            List<ViewClaim> counted = session.extractOutputValues();
            session.getOutput().clear();
            for (ViewClaim c : counted) {
                send(user, c); // the user gate's watermark has not reached the minute's end
            }
            send(session, start("c4", "s", "u4", 30_000)); // late at the session gate: flag, three retractions
            List<ViewClaim> late = session.extractOutputValues();
            assertEquals(4, late.size());
            for (ViewClaim c : late) {
                send(user, c);
            }
            assertEquals(List.of(), verdicts(user), "nothing decided yet, no retraction passed on");
            user.processWatermark(new Watermark(59_999));
            assertEquals(
                    List.of(
                            "c1:session_view_rate",
                            "c2:session_view_rate",
                            "c3:session_view_rate",
                            "c4:session_view_rate"),
                    verdicts(user).stream().sorted().toList(),
                    "four users: decided each by its own timer");
            session.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            user.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            assertNothingLeft(session);
            assertNothingLeft(user);
        }
    }

    /** Late claims of one minute add up even when the minute was decided without any from the actor. */
    @Test
    void anActorSendingEveryClaimLateIsStillHeldToTheLimit() throws Exception {
        try (var h = harness(ActorKind.USER)) {
            h.processWatermark(new Watermark(59_999)); // the minute is decided; nothing came from this actor
            for (int i = 0; i < 4; i++) {
                send(h, start("c" + i, "s" + i, "late-only", 1_000 + i));
            }
            assertEquals(
                    List.of(
                            "c0:null",
                            "c1:null",
                            "c2:null",
                            "retract c0",
                            "retract c1",
                            "retract c2",
                            "c3:user_view_rate"),
                    verdicts(h),
                    "the fourth late start of the minute flags it and takes the first three back");
            h.processWatermark(new Watermark(Duration.ofHours(3).toMillis()));
            assertNothingLeft(h);
        }
    }

    @Test
    void aClaimWithoutThisGatesActorPassesAtOnce() throws Exception {
        try (var h = harness(ActorKind.DEVICE)) {
            ViewClaim noDevice = start("c", "s", "u", 1_000);
            send(h, noDevice);
            assertEquals(List.of("c:null"), verdicts(h));
            assertNothingLeft(h);
        }
    }

    @Test
    void aClaimAlreadyExcludedUpstreamKeepsItsReasonButStillCountsTowardTheRate() throws Exception {
        try (var h = harness(ActorKind.DEVICE)) {
            for (int i = 0; i < 4; i++) {
                ViewClaim c = start("c" + i, "s" + i, "u" + i, 1_000 + i);
                c.deviceId = "phone";
                c.excludedBy = i == 0 ? "session_view_rate" : null;
                send(h, c);
            }
            h.processWatermark(new Watermark(59_999));
            assertEquals(
                    List.of(
                            "c0:session_view_rate",
                            "c1:device_view_rate",
                            "c2:device_view_rate",
                            "c3:device_view_rate"),
                    verdicts(h));
            assertNull(h.getSideOutput(ViewGate.SUSPECTS).stream()
                    .map(StreamRecord::getValue)
                    .filter(s -> !s.actorKind.equals("device"))
                    .findAny()
                    .orElse(null));
        }
    }
}
