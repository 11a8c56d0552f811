package io.engagement.pipeline.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * Distinct-viewer counter for window state: exact (a sorted set of 64-bit hashes) up to
 * {@link #EXACT_LIMIT} viewers, then an Apache DataSketches HyperLogLog (HLL_4, lgK {@value #LG_K}:
 * about 2 100 bytes compact, standard error about 1.6 %, bias-corrected over the whole range; accuracy
 * table in docs/metrics.md). Small windows, which are most windows, are therefore counted exactly;
 * large ones in bounded memory. Two sketches merge losslessly (union), so the same class serves every
 * roll-up. A Flink POJO of primitive arrays (the HLL as its compact bytes), serialized without Kryo.
 * (The in-place updatable HLL_4 image of datasketches 6.1.1 trips its own internal assertion on
 * exception values, so the heap sketch is used: parse, update, re-encode, under 1 us.)
 *
 * <p>State written by earlier releases may hold {@link #registers} of the hand-written HyperLogLog
 * those used (it read 2 % high around 10 000 viewers). Such a sketch keeps counting in its registers
 * (exact hashes are the same 64-bit hashes, so they still add exactly) until its window closes; it
 * can only meet a DataSketches part in a window open across the upgrade, and then its estimate is the
 * larger of the two parts (docs/metrics.md).
 */
public class UniqueViewerSketch {

    static final int EXACT_LIMIT = 512;
    static final int LG_K = 12;
    private static final TgtHllType TYPE = TgtHllType.HLL_4;

    /** Sorted distinct hashes while exact; {@code null} once switched to a sketch. */
    public long[] exactHashes = new long[0];
    /** DataSketches HLL_4 compact image; {@code null} while exact. */
    public byte[] hll;
    /** Registers of the earlier releases' hand-written HyperLogLog; {@code null} unless restored from them. */
    public byte[] registers;

    /** The heap sketch parsed from {@link #hll}, valid while {@code heapOf == hll}: saves a parse per add. */
    private transient HllSketch heap;

    private transient byte[] heapOf;

    public UniqueViewerSketch() {}

    public void add(String viewerKey) {
        addHash(hash64(viewerKey));
    }

    void addHash(long hash) {
        if (exactHashes == null) {
            addToSketch(hash);
            return;
        }
        int pos = Arrays.binarySearch(exactHashes, hash);
        if (pos >= 0) {
            return;
        }
        int insertAt = -pos - 1;
        long[] grown = new long[exactHashes.length + 1];
        System.arraycopy(exactHashes, 0, grown, 0, insertAt);
        grown[insertAt] = hash;
        System.arraycopy(exactHashes, insertAt, grown, insertAt + 1, exactHashes.length - insertAt);
        exactHashes = grown;
        if (exactHashes.length > EXACT_LIMIT) {
            leaveExactMode(false);
        }
    }

    private void addToSketch(long hash) {
        if (hll == null && registers != null) {
            LegacyHyperLogLog.add(registers, hash);
            return;
        }
        HllSketch sketch = heap();
        sketch.update(hash);
        store(sketch);
    }

    private HllSketch heap() {
        if (hll == null) {
            return new HllSketch(LG_K, TYPE);
        }
        if (heapOf != hll) {
            heap = HllSketch.heapify(hll);
            heapOf = hll;
        }
        return heap;
    }

    private void store(HllSketch sketch) {
        hll = sketch.toCompactByteArray();
        heap = sketch;
        heapOf = hll;
    }

    /** Moves the exact hashes into a sketch: the earlier releases' registers if asked, else a DataSketches HLL. */
    private void leaveExactMode(boolean intoLegacyRegisters) {
        long[] hashes = exactHashes;
        exactHashes = null;
        if (intoLegacyRegisters && registers == null) {
            registers = LegacyHyperLogLog.empty();
        }
        addAllToSketch(hashes, intoLegacyRegisters);
    }

    /** Adds hashes to a sketch out of exact mode: to the earlier releases' registers, or to the HLL, serialised once. */
    private void addAllToSketch(long[] hashes, boolean intoLegacyRegisters) {
        if (intoLegacyRegisters) {
            for (long hash : hashes) {
                LegacyHyperLogLog.add(registers, hash);
            }
            return;
        }
        HllSketch sketch = heap();
        for (long hash : hashes) {
            sketch.update(hash);
        }
        store(sketch);
    }

    public void merge(UniqueViewerSketch other) {
        if (other.exactHashes != null) {
            mergeHashes(other.exactHashes);
            return;
        }
        if (exactHashes != null) {
            leaveExactMode(other.hll == null);
        }
        if (other.registers != null) {
            if (registers == null) {
                registers = other.registers.clone();
            } else {
                LegacyHyperLogLog.merge(registers, other.registers);
            }
        }
        if (other.hll != null) {
            Union union = new Union(LG_K);
            if (hll != null) {
                union.update(heap());
            }
            union.update(HllSketch.wrap(Memory.wrap(other.hll)));
            store(union.getResult(TYPE));
        }
    }

    /**
     * Adds sorted distinct hashes at once: a merge of two sorted arrays while exact (linear, instead
     * of one array copy per hash), else one heapify, every update and one serialisation of the HLL
     * (instead of one serialisation per hash). Same result as adding them one by one: the exact set
     * and the HLL's registers do not depend on the order of the adds.
     */
    private void mergeHashes(long[] hashes) {
        if (hashes.length == 0) {
            return;
        }
        if (exactHashes != null) {
            exactHashes = union(exactHashes, hashes);
            if (exactHashes.length > EXACT_LIMIT) {
                leaveExactMode(false);
            }
            return;
        }
        addAllToSketch(hashes, hll == null && registers != null);
    }

    /** The sorted distinct union of two sorted distinct arrays. */
    static long[] union(long[] a, long[] b) {
        long[] out = new long[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            long x = a[i];
            long y = b[j];
            if (x == y) {
                out[n++] = x;
                i++;
                j++;
            } else if (x < y) {
                out[n++] = x;
                i++;
            } else {
                out[n++] = y;
                j++;
            }
        }
        while (i < a.length) {
            out[n++] = a[i++];
        }
        while (j < b.length) {
            out[n++] = b[j++];
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    public boolean isExact() {
        return exactHashes != null;
    }

    public long estimate() {
        if (exactHashes != null) {
            return exactHashes.length;
        }
        long current = hll == null ? 0 : Math.round(heap().getEstimate());
        long legacy = registers == null ? 0 : LegacyHyperLogLog.estimate(registers);
        return Math.max(current, legacy);
    }

    /** 64-bit FNV-1a over UTF-8 followed by the MurmurHash3 finalizer, for well-spread high bits. */
    static long hash64(String value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
