package io.engagement.pipeline.aggregate;

/**
 * The hand-written HyperLogLog of releases before DataSketches (4096 one-byte registers over
 * {@link UniqueViewerSketch#hash64}), kept only so that window state restored from those releases
 * keeps counting until its windows close. Not used for new state: it has no bias correction between
 * linear counting and the raw estimate and read 2 to 2.4 % high around 10 000 viewers.
 */
final class LegacyHyperLogLog {

    static final int PRECISION = 12;
    static final int REGISTER_COUNT = 1 << PRECISION;

    private LegacyHyperLogLog() {}

    static byte[] empty() {
        return new byte[REGISTER_COUNT];
    }

    static void add(byte[] registers, long hash) {
        int index = (int) (hash >>> (64 - PRECISION));
        long rest = hash << PRECISION;
        int rank = rest == 0 ? 64 - PRECISION + 1 : Long.numberOfLeadingZeros(rest) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    static void merge(byte[] into, byte[] other) {
        for (int i = 0; i < REGISTER_COUNT; i++) {
            into[i] = (byte) Math.max(into[i], other[i]);
        }
    }

    static long estimate(byte[] registers) {
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
}
