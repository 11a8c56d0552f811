package io.engagement.pipeline.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.event.EventType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link ContentCounter} is the one place a counter is named; these checks make the rest of the code
 * unable to drift from it without a failing test (no server needed).
 */
class ContentCounterTest {

    private static Set<String> longFields(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && f.getType() == long.class) {
                names.add(f.getName());
            }
        }
        return names;
    }

    @Test
    void everyCounterFieldOfTheAccumulatorIsACounter() {
        Set<String> counters = new TreeSet<>();
        for (ContentCounter c : ContentCounter.values()) {
            counters.add(c.field());
        }
        // A long added to the accumulator without a constant would never be merged or written.
        assertEquals(longFields(ContentWindowAccumulator.class), counters);
    }

    @Test
    void everyCountFieldOfTheRowIsACounterOrDeliberatelyDerived() {
        Set<String> expected = new TreeSet<>();
        for (ContentCounter c : ContentCounter.inRow()) {
            expected.add(c.field());
        }
        // Long fields of the row that are computed, not counted.
        expected.addAll(Set.of("version", "windowStartMs", "windowEndMs", "uniqueViewers", "feedViews"));
        assertEquals(longFields(ContentMetrics.class), expected);
    }

    @Test
    void eachCounterHasItsOwnFieldAndReachesTheRow() {
        // Distinct values in every counter: a constant pointing at another's field, or a row copy
        // that is missing, shows up as a wrong number here.
        ContentWindowAccumulator acc = new ContentWindowAccumulator();
        ContentCounter[] counters = ContentCounter.values();
        for (int i = 0; i < counters.length; i++) {
            counters[i].set(acc, 1_000 + 10L * i);
        }
        for (int i = 0; i < counters.length; i++) {
            assertEquals(1_000 + 10L * i, counters[i].get(acc), counters[i].name());
        }
        ContentMetrics row = ContentMetrics.of(Grain.HOUR, 0, 3_600_000, "c", acc, 1);
        for (ContentCounter c : ContentCounter.inRow()) {
            long expected = c.get(acc);
            if (c == ContentCounter.LIKES) {
                expected -= ContentCounter.UNLIKES.get(acc); // likes net of unlikes
            } else if (c == ContentCounter.SAVES) {
                expected -= ContentCounter.UNSAVES.get(acc);
            }
            assertEquals(expected, c.get(row), c.name());
        }
        // UNLIKES comes right before LIKES, UNSAVES right before SAVES: 10 apart each.
        assertEquals(10, row.likes);
        assertEquals(10, row.saves);
    }

    @Test
    void eachCounterReadsAndWritesTheFieldItNames() throws Exception {
        // The accessors are hand-written switches; reflection by the constant's field name is the
        // independent reference. One counter at a time, so a case naming a neighbour's field shows.
        for (ContentCounter c : ContentCounter.values()) {
            Field accField = ContentWindowAccumulator.class.getField(c.field());
            ContentWindowAccumulator acc = new ContentWindowAccumulator();
            accField.setLong(acc, 41);
            assertEquals(41, c.get(acc), c + " reads " + c.field());
            ContentWindowAccumulator written = new ContentWindowAccumulator();
            c.set(written, 43);
            for (ContentCounter other : ContentCounter.values()) {
                long expected = other == c ? 43 : 0;
                assertEquals(
                        expected,
                        ContentWindowAccumulator.class.getField(other.field()).getLong(written),
                        c + " set, " + other.field() + " read");
            }
            if (!c.isColumn()) {
                continue;
            }
            Field rowField = ContentMetrics.class.getField(c.field());
            ContentMetrics row = new ContentMetrics();
            rowField.setLong(row, 47);
            assertEquals(47, c.get(row), c + " reads the row's " + c.field());
            ContentMetrics writtenRow = new ContentMetrics();
            writtenRow.setCounter(c, 53);
            assertEquals(53, rowField.getLong(writtenRow), c + " writes the row's " + c.field());
            for (ContentCounter other : ContentCounter.inRow()) {
                if (other != c) {
                    assertEquals(
                            0,
                            ContentMetrics.class.getField(other.field()).getLong(writtenRow),
                            c + " set, " + other + " read");
                }
            }
        }
    }

    @Test
    void everyEventTypeIsCountedSomewhereOrDeliberatelyPlaybackOnly() {
        List<String> problems = new ArrayList<>();
        for (EventType type : EventType.values()) {
            boolean counted = false;
            for (ContentCounter c : ContentCounter.values()) {
                counted |= c != ContentCounter.WATCH_TIME_MS
                        && c != ContentCounter.EVENTS
                        && c.countedTypes().contains(type);
            }
            if (counted == ContentCounter.PLAYBACK_ONLY.contains(type)) {
                problems.add(type + (counted ? " is counted but listed as playback only" : " is counted nowhere"));
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(EnumSet.allOf(EventType.class), ContentCounter.WATCH_TIME_MS.countedTypes());
        assertEquals(EnumSet.allOf(EventType.class), ContentCounter.EVENTS.countedTypes());
    }

    @Test
    void mergeAndDeltaCoverEveryCounter() {
        ContentWindowAccumulator a = new ContentWindowAccumulator();
        ContentWindowAccumulator b = new ContentWindowAccumulator();
        for (ContentCounter c : ContentCounter.values()) {
            c.set(a, 3);
            c.set(b, 5);
        }
        ContentWindowAccumulator merged = new ContentWindowAggregate().merge(a, b);
        ContentWindowAccumulator delta = ContentWindowAggregate.delta(b, merged);
        for (ContentCounter c : ContentCounter.values()) {
            assertEquals(8, c.get(merged), c.name());
            assertEquals(-3, c.get(delta), c.name()); // 5 - 8
        }
    }

    @Test
    void theCopyOfAFiringKeptForTheNextDeltaDropsOnlyTheViewers() {
        ContentWindowAccumulator firing = new ContentWindowAccumulator();
        firing.creatorId = "creator-1";
        for (ContentCounter c : ContentCounter.values()) {
            c.set(firing, 4);
        }
        for (int viewer = 0; viewer < 20; viewer++) {
            firing.viewers.add("viewer-" + viewer);
        }
        firing.playWatchTimes.add(1_000);
        firing.playWatchTimes.add(30_000);

        ContentWindowAccumulator kept = ContentWindowAggregate.countersOf(firing);

        assertEquals(0, kept.viewers.estimate(), "the viewers are not kept");
        assertEquals("creator-1", kept.creatorId);
        for (ContentCounter c : ContentCounter.values()) {
            assertEquals(4, c.get(kept), c.name());
        }
        assertEquals(2, kept.playWatchTimes.count());

        // The next firing: 3 more of every counter, 5 more viewers and one more play.
        ContentWindowAccumulator next = ContentWindowAggregate.copy(firing);
        for (ContentCounter c : ContentCounter.values()) {
            c.set(next, 7);
        }
        for (int viewer = 20; viewer < 25; viewer++) {
            next.viewers.add("viewer-" + viewer);
        }
        next.playWatchTimes.add(60_000);
        ContentWindowAccumulator delta = ContentWindowAggregate.delta(next, kept);
        for (ContentCounter c : ContentCounter.values()) {
            assertEquals(3, c.get(delta), c.name());
        }
        assertEquals(1, delta.playWatchTimes.count(), "only the new play");
        assertEquals(25, delta.viewers.estimate(), "a delta carries the whole viewer set");
        assertEquals(2, firing.playWatchTimes.count(), "the firing itself is not changed");
    }

    private static CountryWindowAccumulator countryFiring(long views, long watchTimeMs, long completions) {
        CountryWindowAccumulator firing = new CountryWindowAccumulator();
        firing.views = views;
        firing.watchTimeMs = watchTimeMs;
        firing.completions = completions;
        return firing;
    }

    @Test
    void aCountryWindowKeepsTheCountersOfItsFiringWithoutTheViewers() {
        CountryWindowAccumulator firing = countryFiring(5, 9_000, 2);
        firing.viewers.add("viewer-1");
        firing.viewers.add("viewer-2");

        CountryWindowAccumulator kept = CountryWindowAggregate.countersOf(firing);
        CountryWindowAccumulator next = CountryWindowAggregate.copy(firing);
        next.views = 8;
        next.watchTimeMs = 10_000;
        next.completions = 3;
        next.viewers.add("viewer-3");
        CountryWindowAccumulator delta = CountryWindowAggregate.delta(next, kept);

        assertEquals(0, kept.viewers.estimate());
        assertEquals(
                List.of(3L, 1_000L, 1L, 3L),
                List.of(delta.views, delta.watchTimeMs, delta.completions, delta.viewers.estimate()));
    }

    @Test
    void aFiringAddsNothingOnlyWhenEveryCounterAndTheHistogramAreAsBefore() {
        ContentWindowAccumulator firing = new ContentWindowAccumulator();
        firing.views = 3;
        firing.viewers.add("viewer-1");
        firing.playWatchTimes.add(4_000);
        assertFalse(ContentWindowAggregate.addsNothingTo(firing, null), "a first firing always adds");
        ContentWindowAccumulator previous = ContentWindowAggregate.countersOf(firing);
        assertTrue(ContentWindowAggregate.addsNothingTo(firing, previous));
        // Any one counter moved, each in turn (the validated ones come without an event counted).
        for (ContentCounter counter : ContentCounter.values()) {
            ContentWindowAccumulator later = ContentWindowAggregate.copy(firing);
            later.setCounter(counter, later.counter(counter) + 1);
            assertFalse(ContentWindowAggregate.addsNothingTo(later, previous), counter.name());
        }
        ContentWindowAccumulator oneMorePlay = ContentWindowAggregate.copy(firing);
        oneMorePlay.playWatchTimes.add(4_000);
        assertFalse(ContentWindowAggregate.addsNothingTo(oneMorePlay, previous), "a play's watch time");
        ContentWindowAccumulator waiting = ContentWindowAggregate.copy(firing);
        waiting.pendingPlayProgress = new double[] {0.5};
        waiting.pendingPlays = 1;
        assertFalse(ContentWindowAggregate.addsNothingTo(waiting, previous), "a play waiting for the catalogue");
    }

    @Test
    void aCountryFiringAddsNothingOnlyWhenItsCountersAreAsBefore() {
        CountryWindowAccumulator firing = countryFiring(2, 9_000, 1);
        assertFalse(CountryWindowAggregate.addsNothingTo(firing, null));
        CountryWindowAccumulator previous = CountryWindowAggregate.countersOf(firing);
        assertTrue(CountryWindowAggregate.addsNothingTo(firing, previous));
        CountryWindowAccumulator view = CountryWindowAggregate.copy(firing);
        view.views++;
        CountryWindowAccumulator watch = CountryWindowAggregate.copy(firing);
        watch.watchTimeMs++;
        CountryWindowAccumulator completion = CountryWindowAggregate.copy(firing);
        completion.completions++;
        for (CountryWindowAccumulator later : List.of(view, watch, completion)) {
            assertFalse(CountryWindowAggregate.addsNothingTo(later, previous));
        }
    }

    @Test
    void columnsAreTheSnakeCaseOfTheConstants() {
        assertEquals("watch_time_ms", ContentCounter.WATCH_TIME_MS.column());
        assertEquals("watchTimeMs", ContentCounter.WATCH_TIME_MS.field());
        assertEquals("endedOver75", ContentCounter.ENDED_OVER_75.field());
        assertEquals("ended_over_75", ContentCounter.ENDED_OVER_75.column());
        assertTrue(!ContentCounter.UNLIKES.isColumn() && !ContentCounter.UNSAVES.isColumn());
    }
}
