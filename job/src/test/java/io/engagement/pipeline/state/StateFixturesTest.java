package io.engagement.pipeline.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.aggregate.CountryWindowAccumulator;
import io.engagement.pipeline.catalog.ContentOwnership;
import io.engagement.pipeline.creator.CreatorAccumulator;
import io.engagement.pipeline.retention.RetentionCounts;
import io.engagement.pipeline.session.OpenSession;
import io.engagement.pipeline.velocity.ContentVelocity;
import io.engagement.pipeline.velocity.HourCounts;
import io.engagement.pipeline.views.MinuteVerdict;
import io.engagement.pipeline.views.ViewClaim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every keyed-state type besides the content window accumulator ({@link StateSchemaCompatibilityTest})
 * has a committed fixture: the serializer snapshot Flink stores in checkpoints and savepoints and one
 * value written with it, under {@code job/src/test/resources/state-schemas/<state>/v1}. Every later build
 * must resolve the snapshot as compatible and read the value back to what was written (compared
 * through this build's serializer, so a field added later compares as its default on both sides).
 * A release that changes one of these types adds a v2 beside v1 (run once with
 * {@code -Dstate.fixtures.write=v2}) and keeps v1.
 */
class StateFixturesTest {

    private static final Path SCHEMAS = Path.of("job/src/test/resources/state-schemas");

    /** A state type as its state descriptor declares it, and a value with distinct values in every field. */
    record StateType<T>(String name, TypeInformation<T> type, Supplier<T> sample) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<StateType<?>> stateTypes() {
        return List.of(
                new StateType<>(
                        "country-window-accumulator", TypeInformation.of(CountryWindowAccumulator.class), () -> {
                            CountryWindowAccumulator a = new CountryWindowAccumulator();
                            a.creatorId = "creator-3";
                            a.views = 5;
                            a.watchTimeMs = 12_345;
                            a.completions = 2;
                            a.viewers.add("u:1");
                            a.viewers.add("s:2");
                            return a;
                        }),
                new StateType<>("creator-accumulator", TypeInformation.of(CreatorAccumulator.class), () -> {
                    CreatorAccumulator a = new CreatorAccumulator();
                    a.totals = StateSchemaCompatibilityTest.v2Sample();
                    a.contents = 4;
                    a.sumOfCompletionRates = 1.75;
                    a.contentsWithViews = 3;
                    a.topContentIds = new String[] {"c-9", "c-4"};
                    a.topEngagementScores = new double[] {0.9, 0.4};
                    a.topViews = new long[] {90, 40};
                    return a;
                }),
                new StateType<>("open-sessions", Types.OBJECT_ARRAY(TypeInformation.of(OpenSession.class)), () -> {
                    OpenSession first = new OpenSession();
                    first.start = 1_000;
                    first.end = 61_000;
                    first.written = true;
                    first.retract = new long[] {1_000, 31_000};
                    OpenSession second = new OpenSession();
                    second.start = 200_000;
                    second.end = 230_000;
                    return new OpenSession[] {first, second};
                }),
                new StateType<>("hour-counts", TypeInformation.of(HourCounts.class), () -> {
                    HourCounts h = new HourCounts();
                    h.views = 70;
                    h.engagements = 12;
                    h.shares = 3;
                    return h;
                }),
                new StateType<>("content-velocity", TypeInformation.of(ContentVelocity.class), () -> {
                    ContentVelocity v = new ContentVelocity();
                    v.contentId = "c-1";
                    v.creatorId = "creator-1";
                    v.asOfMs = 7_200_000;
                    v.version = 3;
                    v.viewsLast24h = 500;
                    v.viewsPrevious24h = 250;
                    v.engagementsLast24h = 60;
                    v.sharesLast24h = 7;
                    v.viewsPerHour = 20.5;
                    v.engagementPerHour = 2.5;
                    v.sharesPerHour = 0.25;
                    v.trend = "rising";
                    v.trending = true;
                    v.peakViewsPerHour = 41;
                    v.peakAtMs = 3_600_000;
                    return v;
                }),
                new StateType<>("content-ownership", TypeInformation.of(ContentOwnership.class), () -> {
                    ContentOwnership o = new ContentOwnership();
                    o.creatorId = "creator-8";
                    o.durationMs = 45_000L;
                    return o;
                }),
                new StateType<>("view-claim", TypeInformation.of(ViewClaim.class), StateFixturesTest::claim),
                // v1 written by the build before the owner (creatorId) was added: it reads back as null.
                new StateType<>("retention-counts", TypeInformation.of(RetentionCounts.class), () -> {
                    RetentionCounts r = new RetentionCounts();
                    r.exits[0] = 3;
                    r.exits[10] = 2;
                    r.exits[20] = 5;
                    r.introPlays = 9;
                    r.introHeld = 6;
                    return r;
                }),
                new StateType<>("minute-verdict", TypeInformation.of(MinuteVerdict.class), () -> {
                    MinuteVerdict m = new MinuteVerdict();
                    m.viewStarts = 4;
                    m.playEnds = 3;
                    m.flagged = true;
                    m.passed = new ViewClaim[] {claim()};
                    return m;
                }));
    }

    private static ViewClaim claim() {
        ViewClaim c = new ViewClaim();
        c.eventId = "e-1";
        c.contentId = "c-2";
        c.sessionId = "s-3";
        c.userId = "u-4";
        c.deviceId = "d-5";
        c.eventTimeMs = 123_456;
        c.viewStart = true;
        c.completes = true;
        c.playWatchTimeMs = 9_000;
        c.loops = 2;
        c.retraction = true;
        c.excludedBy = "session";
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateTypes")
    <T> void stateOfV1IsReadByThisBuild(StateType<T> state) throws Exception {
        Path dir = SCHEMAS.resolve(state.name()).resolve("v1");
        TypeSerializerSnapshot<T> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(Files.readAllBytes(dir.resolve("serializer.snapshot"))),
                getClass().getClassLoader());
        TypeSerializer<T> current = state.type().createSerializer(new SerializerConfigImpl());
        TypeSerializerSchemaCompatibility<T> compatibility =
                current.snapshotConfiguration().resolveSchemaCompatibility(snapshot);
        assertFalse(compatibility.isIncompatible(), "this build cannot restore " + state + " state of v1");
        T read = snapshot.restoreSerializer()
                .deserialize(new DataInputDeserializer(Files.readAllBytes(dir.resolve("value.data"))));
        assertArrayEquals(
                bytes(current, state.sample().get()), bytes(current, read), state + ": the v1 value read back differs");
    }

    /** Writes the fixtures of this build under {@code -Dstate.fixtures.write=<version>}; run once when a state type changes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stateTypes")
    <T> void writeFixturesWhenAsked(StateType<T> state) throws Exception {
        String version = System.getProperty("state.fixtures.write");
        if (version == null) {
            return;
        }
        Path dir = Files.createDirectories(SCHEMAS.resolve(state.name()).resolve(version));
        TypeSerializer<T> serializer = state.type().createSerializer(new SerializerConfigImpl());
        DataOutputSerializer snapshot = new DataOutputSerializer(1024);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshot, serializer.snapshotConfiguration());
        Files.write(dir.resolve("serializer.snapshot"), snapshot.getCopyOfBuffer());
        Files.write(dir.resolve("value.data"), bytes(serializer, state.sample().get()));
        assertTrue(Files.size(dir.resolve("value.data")) > 0);
    }

    private static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }
}
