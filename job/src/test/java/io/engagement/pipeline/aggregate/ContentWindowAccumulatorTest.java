package io.engagement.pipeline.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The straight-line {@link ContentWindowAccumulator#addCounters} adds every counter, each to itself:
 * checked counter by counter through the switch of {@link ContentWindowAccumulator#counter}, which
 * {@code ContentCounterTest} checks against the fields the counters name.
 */
class ContentWindowAccumulatorTest {

    @Test
    void addCountersAddsEveryCounterToItselfWithItsSign() {
        ContentCounter[] counters = ContentCounter.values();
        ContentWindowAccumulator a = new ContentWindowAccumulator();
        ContentWindowAccumulator b = new ContentWindowAccumulator();
        for (int i = 0; i < counters.length; i++) {
            // distinct values, so a counter added to another's field shows
            a.setCounter(counters[i], 1_000L * (i + 1));
            b.setCounter(counters[i], i + 1);
        }

        a.addCounters(b, -1);
        for (int i = 0; i < counters.length; i++) {
            assertEquals(1_000L * (i + 1) - (i + 1), a.counter(counters[i]), counters[i].name());
        }
        a.addCounters(b, 3);
        for (int i = 0; i < counters.length; i++) {
            assertEquals(1_000L * (i + 1) + 2L * (i + 1), a.counter(counters[i]), counters[i].name());
            assertEquals(i + 1, b.counter(counters[i]), "the added accumulator is unchanged: " + counters[i]);
        }
    }

    @Test
    void aCopyHasEveryCounter() {
        ContentCounter[] counters = ContentCounter.values();
        ContentWindowAccumulator from = new ContentWindowAccumulator();
        for (int i = 0; i < counters.length; i++) {
            from.setCounter(counters[i], 7L * (i + 1));
        }
        ContentWindowAccumulator copy = new ContentWindowAccumulatorSerializer().copy(from);
        for (int i = 0; i < counters.length; i++) {
            assertEquals(7L * (i + 1), copy.counter(counters[i]), counters[i].name());
        }
    }

    @Test
    void theCountersAreWrittenAndReadInTheOrderOfContentCounter() throws Exception {
        ContentCounter[] counters = ContentCounter.values();
        ContentWindowAccumulator a = new ContentWindowAccumulator();
        for (int i = 0; i < counters.length; i++) {
            a.setCounter(counters[i], 11L * (i + 1));
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        a.writeCounters(out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (int i = 0; i < counters.length; i++) {
            assertEquals(11L * (i + 1), in.readLong(), "position " + i + " holds " + counters[i]);
        }
        assertEquals(0, in.available());

        ContentWindowAccumulator read = new ContentWindowAccumulator();
        read.readCounters(new DataInputDeserializer(out.getCopyOfBuffer()));
        for (int i = 0; i < counters.length; i++) {
            assertEquals(11L * (i + 1), read.counter(counters[i]), counters[i].name());
        }
    }
}
