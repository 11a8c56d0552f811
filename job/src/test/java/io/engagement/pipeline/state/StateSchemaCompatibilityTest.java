package io.engagement.pipeline.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.aggregate.ContentCounter;
import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.ContentWindowAccumulatorSerializer;
import io.engagement.pipeline.aggregate.ContentWindowAggregate;
import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import io.engagement.pipeline.aggregate.ContentWindowSnapshotSerializer;
import io.engagement.pipeline.aggregate.UniqueViewerSketch;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.testing.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The window state written by every release must stay readable. job/src/test/resources/state-schemas/v1
 * holds the serializer snapshot Flink stores in checkpoints and savepoints for the window
 * accumulator, and one accumulator serialized by v1. Every later build must resolve that snapshot as
 * compatible (as is, or after migration: Flink's POJO schema evolution up to v5, the POJO format to
 * the hand-written one from v6) and read the v1 bytes back to the same values. A release that changes state adds its own v<N> directory (run once with
 * {@code -Dstate.schemas.write=v<N>}) and keeps every older one.
 */
class StateSchemaCompatibilityTest {

    private static final Path SCHEMAS = Path.of("job/src/test/resources/state-schemas");

    private static TypeSerializer<ContentWindowAccumulator> currentSerializer() {
        return TypeInformation.of(ContentWindowAccumulator.class).createSerializer(new SerializerConfigImpl());
    }

    /** The accumulator written into the v1 fixture: known, distinct values in every field. */
    static ContentWindowAccumulator v1Sample() {
        ContentWindowAccumulator a = new ContentWindowAccumulator();
        a.creatorId = "creator-7";
        a.impressions = 11;
        a.views = 7;
        a.rewatches = 1;
        a.watchTimeMs = 123_456;
        a.completions = 3;
        a.endedOver75 = 2;
        a.endedOver50 = 4;
        a.endedOver25 = 5;
        a.endedUnder25 = 6;
        a.skips = 17;
        a.likes = 8;
        a.unlikes = 2;
        a.comments = 9;
        a.shares = 10;
        a.saves = 12;
        a.unsaves = 1;
        a.clicks = 13;
        a.follows = 14;
        a.unfollows = 15;
        a.notInterested = 16;
        a.reports = 18;
        a.hides = 19;
        a.viewers.add("u:1");
        a.viewers.add("u:2");
        a.viewers.add("s:anon");
        return a;
    }

    /**
     * The accumulator written into the v2 fixture (view breakdowns, swipe-aways, loop plays and the
     * play watch-time sketch added): the v1 values plus distinct values in every new field.
     */
    static ContentWindowAccumulator v2Sample() {
        ContentWindowAccumulator a = v1Sample();
        a.viewsOrganic = 21;
        a.viewsFollowing = 22;
        a.viewsMobile = 23;
        a.viewsIos = 24;
        a.swipedAway = 25;
        a.loopPlays = 26;
        a.playWatchTimes.add(10_000);
        a.playWatchTimes.add(20_000);
        a.playWatchTimes.add(0);
        return a;
    }

    /** Viewers of the v3 fixture: more than the hand-written sketch kept exactly (512), so it held HLL registers. */
    static final int V3_VIEWERS = 2_000;

    /**
     * The accumulator written into the v3 fixture, the last one written by the hand-written HyperLogLog
     * (4096 one-byte registers): the v2 values with {@link #V3_VIEWERS} distinct viewers.
     */
    static ContentWindowAccumulator v3Sample() {
        ContentWindowAccumulator a = v2Sample();
        for (int i = 0; i < V3_VIEWERS - 3; i++) {
            a.viewers.add("u:v3-" + i);
        }
        return a;
    }

    /**
     * The accumulator written into the v5 fixture (the content catalogue's counters added: events
     * folded, creator mismatches, uncatalogued events): the v3 values plus distinct values in them.
     */
    static ContentWindowAccumulator v5Sample() {
        ContentWindowAccumulator a = v3Sample();
        a.events = 41;
        a.creatorMismatches = 5;
        a.uncataloguedEvents = 2;
        return a;
    }

    @Test
    void windowStateUsesItsOwnSerializerNotThePojoSerializerOrKryo() {
        assertInstanceOf(ContentWindowAccumulatorSerializer.class, currentSerializer());
        assertInstanceOf(
                ContentWindowSnapshotSerializer.class,
                TypeInformation.of(ContentWindowSnapshot.class).createSerializer(new SerializerConfigImpl()));
    }

    /**
     * Checks the fixture of {@code version} resolves as compatible and returns its data as this build
     * holds it: read by the serializer the snapshot restores and, when the format changed since (the POJO
     * format of v1-v5), migrated as Flink migrates state, written and read again by this build's serializer.
     */
    private ContentWindowAccumulator restore(String version) throws Exception {
        Path dir = SCHEMAS.resolve(version);
        DataInputDeserializer snapshotIn =
                new DataInputDeserializer(Files.readAllBytes(dir.resolve("content-window-accumulator.snapshot")));
        TypeSerializerSnapshot<ContentWindowAccumulator> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                snapshotIn, getClass().getClassLoader());
        TypeSerializer<ContentWindowAccumulator> current = currentSerializer();
        TypeSerializerSchemaCompatibility<ContentWindowAccumulator> compatibility =
                current.snapshotConfiguration().resolveSchemaCompatibility(snapshot);
        assertFalse(compatibility.isIncompatible(), "this build cannot restore " + version + " window state");
        ContentWindowAccumulator read = snapshot.restoreSerializer()
                .deserialize(
                        new DataInputDeserializer(Files.readAllBytes(dir.resolve("content-window-accumulator.data"))));
        if (compatibility.isCompatibleAsIs()) {
            return read;
        }
        assertTrue(compatibility.isCompatibleAfterMigration(), version + ": " + compatibility);
        DataOutputSerializer migrated = new DataOutputSerializer(1024);
        current.serialize(read, migrated);
        return current.deserialize(new DataInputDeserializer(migrated.getCopyOfBuffer()));
    }

    /** v6: the first hand-written format; its bytes are what this build writes, field for field. */
    @Test
    void stateWrittenByV6IsReadAsIsAndTheFormatIsUnchanged() throws Exception {
        Path dir = SCHEMAS.resolve("v6");
        TypeSerializerSnapshot<ContentWindowAccumulator> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(Files.readAllBytes(dir.resolve("content-window-accumulator.snapshot"))),
                getClass().getClassLoader());
        assertTrue(currentSerializer()
                .snapshotConfiguration()
                .resolveSchemaCompatibility(snapshot)
                .isCompatibleAsIs());
        ContentWindowAccumulator read = restore("v6");
        assertArrayEquals(counters(v3Sample()), counters(read));
        assertArrayEquals(
                new long[] {41, 5, 2}, new long[] {read.events, read.creatorMismatches, read.uncataloguedEvents});
        assertEquals(V3_VIEWERS, read.viewers.estimate(), V3_VIEWERS * 0.05);
        assertEquals(3, read.playWatchTimes.count());
        DataOutputSerializer now = new DataOutputSerializer(1024);
        currentSerializer().serialize(v5Sample(), now);
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("content-window-accumulator.data")),
                now.getCopyOfBuffer(),
                "the accumulator's serialized form changed: a new format needs a new snapshot version and fixture");
    }

    /**
     * A counter appended later: state of this format with fewer counters restores through migration,
     * the new counters as 0; state with more counters (a counter removed) is refused.
     */
    @Test
    void stateWithFewerCountersMigratesAndMoreIsRefused() throws Exception {
        ContentWindowAccumulatorSerializer older = olderSerializer(ContentCounter.values().length - 3);
        ContentWindowAccumulator a = v5Sample();
        a.validatedViews = 31;
        DataOutputSerializer out = new DataOutputSerializer(1024);
        older.serialize(a, out);
        TypeSerializerSnapshot<ContentWindowAccumulator> olderSnapshot = roundTrip(older.snapshotConfiguration());
        TypeSerializerSchemaCompatibility<ContentWindowAccumulator> compatibility =
                currentSerializer().snapshotConfiguration().resolveSchemaCompatibility(olderSnapshot);
        assertTrue(compatibility.isCompatibleAfterMigration(), compatibility.toString());
        ContentWindowAccumulator read =
                olderSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertArrayEquals(counters(v3Sample()), counters(read));
        assertEquals(41, read.events);
        assertEquals(0, read.validatedViews, "a counter the older format did not have");
        assertEquals(V3_VIEWERS, read.viewers.estimate(), V3_VIEWERS * 0.05);
        assertTrue(older.snapshotConfiguration()
                .resolveSchemaCompatibility(roundTrip(currentSerializer().snapshotConfiguration()))
                .isIncompatible());
    }

    private static ContentWindowAccumulatorSerializer olderSerializer(int counters) throws Exception {
        var constructor = ContentWindowAccumulatorSerializer.class.getDeclaredConstructor(int.class);
        constructor.setAccessible(true);
        return constructor.newInstance(counters);
    }

    private static TypeSerializerSnapshot<ContentWindowAccumulator> roundTrip(
            TypeSerializerSnapshot<ContentWindowAccumulator> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), StateSchemaCompatibilityTest.class.getClassLoader());
    }

    /** Every field survives a round trip and a copy, the legacy registers and the pending plays included. */
    @Test
    void theSerializerRoundTripsAndCopiesEveryField() throws Exception {
        ContentWindowAccumulator a = v5Sample();
        a.validatedViews = 31;
        a.validatedCompletions = 32;
        a.validatedWatchTimeMs = 33;
        a.pendingPlays = 2;
        a.pendingPlayProgress = new double[] {0.25, 0.5, 0, 0};
        a.viewers.registers = new byte[] {1, 2, 3};
        TypeSerializer<ContentWindowAccumulator> serializer = currentSerializer();
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(a, out);
        ContentWindowAccumulator read = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        ContentWindowAccumulator copy = serializer.copy(a);
        for (ContentWindowAccumulator b : new ContentWindowAccumulator[] {read, copy}) {
            assertEquals(a.creatorId, b.creatorId);
            for (ContentCounter counter : ContentCounter.values()) {
                assertEquals(a.counter(counter), b.counter(counter), counter.name());
            }
            assertEquals(2, b.pendingPlays);
            assertArrayEquals(a.pendingPlayProgress, b.pendingPlayProgress);
            assertArrayEquals(a.viewers.exactHashes, b.viewers.exactHashes);
            assertArrayEquals(a.viewers.hll, b.viewers.hll);
            assertArrayEquals(new byte[] {1, 2, 3}, b.viewers.registers);
            assertEquals(a.playWatchTimes.zeroCount, b.playWatchTimes.zeroCount);
            assertArrayEquals(a.playWatchTimes.bucketIndexes, b.playWatchTimes.bucketIndexes);
            assertArrayEquals(a.playWatchTimes.bucketCounts, b.playWatchTimes.bucketCounts);
        }
        // A copy is deep: the original's arrays are not shared.
        a.pendingPlayProgress[0] = 0.9;
        a.viewers.registers[0] = 9;
        assertEquals(0.25, copy.pendingPlayProgress[0]);
        assertEquals(1, copy.viewers.registers[0]);
        // Null creator and absent sketches come back as they went.
        ContentWindowAccumulator empty = new ContentWindowAccumulator();
        empty.viewers = null;
        empty.playWatchTimes = null;
        DataOutputSerializer emptyOut = new DataOutputSerializer(64);
        serializer.serialize(empty, emptyOut);
        ContentWindowAccumulator emptyRead =
                serializer.deserialize(new DataInputDeserializer(emptyOut.getCopyOfBuffer()));
        assertNull(emptyRead.creatorId);
        assertNull(emptyRead.viewers);
        assertNull(emptyRead.playWatchTimes);
        assertNull(emptyRead.pendingPlayProgress);
    }

    /**
     * v3 holds the hand-written HyperLogLog's registers (the sketch before DataSketches): they restore,
     * estimate as before, keep counting new viewers, and union with the new sketches.
     */
    @Test
    void stateWrittenByV3WithTheEarlierSketchIsReadAndKeepsCounting() throws Exception {
        ContentWindowAccumulator read = restore("v3");
        assertArrayEquals(counters(v3Sample()), counters(read));
        assertNull(read.viewers.exactHashes);
        assertNull(read.viewers.hll);
        assertEquals(4096, read.viewers.registers.length);
        assertEquals(V3_VIEWERS, read.viewers.estimate(), V3_VIEWERS * 0.05);

        // An hour window restored from v3 merges the minute deltas of the new release (exact sketches).
        UniqueViewerSketch minute = new UniqueViewerSketch();
        for (int i = 0; i < 500; i++) {
            minute.add("u:after-upgrade-" + i);
        }
        read.viewers.merge(minute);
        assertEquals(V3_VIEWERS + 500, read.viewers.estimate(), (V3_VIEWERS + 500) * 0.05);
        // A creator window of the new release (DataSketches) merges the restored content window.
        UniqueViewerSketch creator = new UniqueViewerSketch();
        for (int i = 0; i < 1_000; i++) {
            creator.add("u:other-content-" + i);
        }
        creator.merge(read.viewers);
        assertEquals(
                V3_VIEWERS + 500, creator.estimate(), (V3_VIEWERS + 500) * 0.05); // the larger part (docs/metrics.md)
    }

    /** v5: the catalogue's counters, written by the release that introduced them. */
    @Test
    void stateWrittenByV5IsReadByThisBuild() throws Exception {
        ContentWindowAccumulator read = restore("v5");
        assertArrayEquals(counters(v3Sample()), counters(read));
        assertArrayEquals(
                new long[] {41, 5, 2}, new long[] {read.events, read.creatorMismatches, read.uncataloguedEvents});
        assertNull(read.pendingPlayProgress);
        assertEquals(V3_VIEWERS, read.viewers.estimate(), V3_VIEWERS * 0.05);
    }

    /** v4: the DataSketches sketch, written by the release that introduced it. */
    @Test
    void stateWrittenByV4IsReadByThisBuild() throws Exception {
        ContentWindowAccumulator read = restore("v4");
        assertArrayEquals(counters(v3Sample()), counters(read));
        // Counters added after v4 (the catalogue's) restore as 0.
        assertArrayEquals(
                new long[] {0, 0, 0}, new long[] {read.events, read.creatorMismatches, read.uncataloguedEvents});
        assertNull(read.viewers.registers);
        assertEquals(V3_VIEWERS, read.viewers.estimate(), V3_VIEWERS * 0.05);
        read.viewers.add("u:one-more");
        assertEquals(V3_VIEWERS, read.viewers.estimate(), V3_VIEWERS * 0.05);
    }

    @Test
    void stateWrittenByV2IsReadByThisBuild() throws Exception {
        ContentWindowAccumulator read = restore("v2");
        ContentWindowAccumulator expected = v2Sample();
        assertArrayEquals(counters(expected), counters(read));
        assertArrayEquals(new long[] {21, 22, 23, 24, 25, 26}, new long[] {
            read.viewsOrganic, read.viewsFollowing, read.viewsMobile, read.viewsIos, read.swipedAway, read.loopPlays
        });
        assertEquals(3, read.playWatchTimes.count());
        assertEquals(1, read.playWatchTimes.zeroCount);
        assertEquals(3, read.viewers.estimate());
    }

    @Test
    void stateWrittenByV1IsReadByThisBuild() throws Exception {
        ContentWindowAccumulator read = restore("v1");
        ContentWindowAccumulator expected = v1Sample();
        assertEquals(expected.creatorId, read.creatorId);
        assertArrayEquals(counters(expected), counters(read));
        assertArrayEquals(expected.viewers.exactHashes, read.viewers.exactHashes);
        assertNull(read.viewers.registers);
        assertEquals(3, read.viewers.estimate());

        // Fields added after v1 restore empty, and the aggregate keeps counting into them.
        EngagementEvent end = Events.event("e", EventType.VIEW_COMPLETE, "c", "u", 0);
        end.totalWatchTimeMs = 5_000L;
        end.loopCount = 2;
        new ContentWindowAggregate().add(end, read);
        assertEquals(2, read.loopPlays);
        assertEquals(1, read.playWatchTimes.count());
    }

    /** Writes this build's fixtures (with the newest sample); run once when a release changes a state type. */
    @Test
    void writeFixturesWhenAsked() throws Exception {
        String version = System.getProperty("state.schemas.write");
        if (version == null) {
            return;
        }
        Path dir = Files.createDirectories(SCHEMAS.resolve(version));
        TypeSerializer<ContentWindowAccumulator> serializer = currentSerializer();
        DataOutputSerializer snapshot = new DataOutputSerializer(1024);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshot, serializer.snapshotConfiguration());
        Files.write(dir.resolve("content-window-accumulator.snapshot"), snapshot.getCopyOfBuffer());
        DataOutputSerializer data = new DataOutputSerializer(1024);
        serializer.serialize(v5Sample(), data);
        Files.write(dir.resolve("content-window-accumulator.data"), data.getCopyOfBuffer());
    }

    private static long[] counters(ContentWindowAccumulator a) {
        return new long[] {
            a.impressions,
            a.views,
            a.rewatches,
            a.watchTimeMs,
            a.completions,
            a.endedOver75,
            a.endedOver50,
            a.endedOver25,
            a.endedUnder25,
            a.skips,
            a.likes,
            a.unlikes,
            a.comments,
            a.shares,
            a.saves,
            a.unsaves,
            a.clicks,
            a.follows,
            a.unfollows,
            a.notInterested,
            a.reports,
            a.hides
        };
    }
}
