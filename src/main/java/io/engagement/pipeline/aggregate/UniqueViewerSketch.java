package io.engagement.pipeline.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Distinct-viewer counter for window state: exact (a sorted set of 64-bit hashes) up to
 * {@link #EXACT_LIMIT} viewers, then a HyperLogLog with 2^{@value #PRECISION} one-byte registers
 * (4 KiB, standard error about 1.6 %). Small windows, which are most windows, are therefore counted
 * exactly; large ones in bounded memory. Two sketches merge losslessly (union), so the same class
 * serves any later roll-up. A Flink POJO with only primitive arrays: serialized without Kryo.
 */
public class UniqueViewerSketch {

    static final int EXACT_LIMIT = 512;
    static final int PRECISION = 12;
    private static final int REGISTER_COUNT = 1 << PRECISION;

    /** Sorted distinct hashes while exact; {@code null} once switched to HyperLogLog. */
    public long[] exactHashes = new long[0];
    /** HyperLogLog registers; {@code null} while exact. */
    public byte[] registers;

    public UniqueViewerSketch() {}

    public void add(String viewerKey) {
        addHash(hash64(viewerKey));
    }

    void addHash(long hash) {
        if (registers != null) {
            addToRegisters(registers, hash);
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
            switchToRegisters();
        }
    }

    public void merge(UniqueViewerSketch other) {
        if (other.registers != null) {
            if (registers == null) {
                switchToRegisters();
            }
            for (int i = 0; i < REGISTER_COUNT; i++) {
                registers[i] = (byte) Math.max(registers[i], other.registers[i]);
            }
        } else {
            for (long hash : other.exactHashes) {
                addHash(hash);
            }
        }
    }

    public boolean isExact() {
        return registers == null;
    }

    public long estimate() {
        if (registers == null) {
            return exactHashes.length;
        }
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += Math.scalb(1.0, -r);
            if (r == 0) {
                zeros++;
            }
        }
        double m = REGISTER_COUNT;
        double alpha = 0.7213 / (1 + 1.079 / m);
        double raw = alpha * m * m / sum;
        if (raw <= 2.5 * m && zeros > 0) {
            return Math.round(m * Math.log(m / zeros)); // linear counting is more accurate at small range
        }
        return Math.round(raw);
    }

    private void switchToRegisters() {
        registers = new byte[REGISTER_COUNT];
        for (long hash : exactHashes) {
            addToRegisters(registers, hash);
        }
        exactHashes = null;
    }

    private static void addToRegisters(byte[] registers, long hash) {
        int index = (int) (hash >>> (64 - PRECISION));
        long rest = hash << PRECISION;
        int rank = rest == 0 ? 64 - PRECISION + 1 : Long.numberOfLeadingZeros(rest) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
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
