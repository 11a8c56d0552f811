package io.engagement.pipeline.signals;

import static io.engagement.pipeline.signals.UserProfileTest.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The per-user stage: bundles written once per user after the emit interval (processing time), before
 * a checkpoint, at the end of input; erasure drops the state and writes a tombstone; the TTL drops an
 * idle user's state. State entries are counted, and the processing-time flush is the only timer.
 */
class UserSignalsOperatorTest {

    private static final long HOUR = 3_600_000;
    private static final long T0 = 1_700_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserSignalRules RULES =
            new UserSignalRules(HOUR, 30L * 24 * HOUR, 50, 20, 3_000, 40, 1_000, 10_000);

    private static KeyedOneInputStreamOperatorTestHarness<String, UserSignal, UserSignalUpdate> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new UserSignalsOperator(RULES), (UserSignal s) -> s.userId, Types.STRING);
    }

    private static UserSignal of(String user, SignalKind kind, String content, String creator, long time) {
        UserSignal s = signal(kind, content, creator, time);
        s.userId = user;
        return s;
    }

    private static List<UserSignalUpdate> drain(
            KeyedOneInputStreamOperatorTestHarness<String, UserSignal, UserSignalUpdate> h) {
        List<UserSignalUpdate> out = List.copyOf(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    @Test
    void aBundleIsWrittenOncePerChangedUserWhenTheIntervalHasPassed() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(of("u1", SignalKind.LIKE, "a1", "A", T0)));
            h.processElement(new StreamRecord<>(of("u1", SignalKind.SHARE, "a2", "A", T0)));
            h.processElement(new StreamRecord<>(of("u2", SignalKind.VIEW_START, "b1", "B", T0)));
            h.setProcessingTime(999);
            assertEquals(List.of(), drain(h), "held until the emit interval has passed");
            assertEquals(1, h.getProcessingTimeService().getNumActiveTimers(), "one flush for the bundle");
            h.setProcessingTime(1_000);
            List<UserSignalUpdate> out = drain(h);
            // u1 changed (like 2 + share 3 on A); u2's view start moved nothing, so no update for u2.
            assertEquals(1, out.size());
            assertEquals("u1", out.get(0).userId);
            assertEquals(2, out.get(0).version);
            assertEquals(5.0, out.get(0).creators.score("A"));
            assertEquals(2, h.numKeyedStateEntries(), "u1's profile and u2's view-start count");
            assertEquals(0, h.getProcessingTimeService().getNumActiveTimers());
            assertEquals(0, h.numProcessingTimeTimers() + h.numEventTimeTimers(), "no keyed timers at all");

            JsonNode json = JSON.readTree(UserSignalMessages.value(out.get(0)));
            assertEquals("user_signals", json.get("type").asText());
            assertEquals("u1", json.get("user_id").asText());
            assertEquals("A", json.get("creators").get(0).get("id").asText());
            assertEquals(5.0, json.get("creators").get(0).get("score").asDouble());
            assertEquals("u1", new String(UserSignalMessages.key(out.get(0)), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void anErasureDropsTheStateAndWritesATombstone() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(of("u1", SignalKind.LIKE, "a1", "A", T0)));
            h.processElement(new StreamRecord<>(of("u2", SignalKind.LIKE, "b1", "B", T0)));
            h.setProcessingTime(1_000);
            assertEquals(2, drain(h).size());
            h.processElement(new StreamRecord<>(UserSignal.erasure("u1")));
            h.setProcessingTime(2_000);
            List<UserSignalUpdate> out = drain(h);
            assertEquals(1, out.size());
            assertTrue(out.get(0).erased);
            assertNull(UserSignalMessages.value(out.get(0)), "a tombstone has no value");
            assertEquals(1, h.numKeyedStateEntries(), "only u2's profile is left");
            // u1 comes back: a new profile, version 1, without the erased like.
            h.processElement(new StreamRecord<>(of("u1", SignalKind.SAVE, "c1", "C", T0 + 1)));
            h.setProcessingTime(3_000);
            UserSignalUpdate back = drain(h).get(0);
            assertEquals(1, back.version);
            assertEquals(0.0, back.creators.score("A"));
            assertEquals(2.0, back.creators.score("C"));
        }
    }

    @Test
    void aCheckpointWritesWhatIsBufferedAndARestoredJobGoesOnFromTheSameProfiles() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(of("u1", SignalKind.LIKE, "a1", "A", T0)));
            // What Flink does when a barrier arrives: the operator's pre-barrier step, then the snapshot.
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 10);
            // The barrier applied the bundle: its update is out before the checkpoint, not in it.
            assertEquals(1, drain(h).size());
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(of("u1", SignalKind.COMPLETE, "a2", "A", T0 + HOUR)));
            h.endInput();
            h.close();
            UserSignalUpdate after = drain(h).get(0);
            assertEquals(2, after.version);
            assertEquals(2.0 / 2 + 1.5, after.creators.score("A"), 1e-12);
        }
    }

    @Test
    void anIdleUsersStateExpires() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setStateTtlProcessingTime(0);
            h.setProcessingTime(0);
            h.processElement(new StreamRecord<>(of("u1", SignalKind.LIKE, "a1", "A", T0)));
            h.setProcessingTime(1_000);
            assertEquals(1, drain(h).get(0).version);
            h.setStateTtlProcessingTime(RULES.stateTtlMs() + 1);
            h.processElement(new StreamRecord<>(of("u1", SignalKind.SAVE, "c1", "C", T0 + 1)));
            h.setProcessingTime(2_000);
            UserSignalUpdate fresh = drain(h).get(0);
            assertEquals(1, fresh.version, "the expired profile is not read back");
            assertEquals(0.0, fresh.creators.score("A"));
        }
    }
}
