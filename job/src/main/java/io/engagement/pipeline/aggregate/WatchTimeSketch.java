package io.engagement.pipeline.aggregate;

import java.util.Arrays;

/**
 * Approximate quantiles of play watch times (for the median watch time), as a log-bucketed histogram
 * in the style of DDSketch: a value v > 0 ms falls in bucket ceil(log(v) / log(gamma)) with
 * gamma = (1 + a) / (1 - a), and every bucket is answered by the one value whose relative distance
 * to both bucket bounds is a = {@value #RELATIVE_ACCURACY}. So any quantile is within 1 % of the
 * exact nearest-rank quantile, whatever the distribution, and two sketches merge losslessly by adding
 * bucket counts (content windows roll up into creator windows without resampling).
 *
 * <p>Watch times from 1 ms to 12 h span at most about 880 buckets; a window's plays usually hit far
 * fewer, so buckets are stored sparsely (sorted indexes with their counts). A Flink POJO with only
 * primitive arrays: serialized without Kryo.
 */
public class WatchTimeSketch {

    static final double RELATIVE_ACCURACY = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);

    /** Samples of 0 ms (plays abandoned before the first frame). */
    public long zeroCount;
    /** Sorted bucket indexes that hold at least one sample. */
    public int[] bucketIndexes = new int[0];
    /** {@code bucketCounts[i]} samples fell in bucket {@code bucketIndexes[i]}. */
    public long[] bucketCounts = new long[0];

    public WatchTimeSketch() {}

    public void add(long watchTimeMs) {
        if (watchTimeMs < 0) {
            throw new IllegalArgumentException("watch time must not be negative: " + watchTimeMs);
        }
        if (watchTimeMs == 0) {
            zeroCount++;
        } else {
            addToBucket(bucketOf(watchTimeMs), 1);
        }
    }

    public void merge(WatchTimeSketch other) {
        zeroCount += other.zeroCount;
        addBuckets(other, 1);
    }

    /** Removes the samples of {@code earlier}, which must be contained in this sketch (an earlier state of it). */
    public void subtract(WatchTimeSketch earlier) {
        zeroCount -= earlier.zeroCount;
        addBuckets(earlier, -1);
        if (zeroCount < 0 || Arrays.stream(bucketCounts).anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("subtracted samples that were not in this sketch");
        }
    }

    /** Adds {@code sign} times the other's bucket counts: one merge of the two sorted bucket lists. */
    private void addBuckets(WatchTimeSketch other, long sign) {
        int[] theirs = other.bucketIndexes;
        if (theirs.length == 0) {
            return;
        }
        int[] indexes = new int[bucketIndexes.length + theirs.length];
        long[] counts = new long[indexes.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < bucketIndexes.length || j < theirs.length) {
            if (j == theirs.length || (i < bucketIndexes.length && bucketIndexes[i] < theirs[j])) {
                indexes[n] = bucketIndexes[i];
                counts[n++] = bucketCounts[i++];
            } else if (i == bucketIndexes.length || theirs[j] < bucketIndexes[i]) {
                indexes[n] = theirs[j];
                counts[n++] = sign * other.bucketCounts[j++];
            } else {
                indexes[n] = bucketIndexes[i];
                counts[n++] = bucketCounts[i++] + sign * other.bucketCounts[j++];
            }
        }
        bucketIndexes = n == indexes.length ? indexes : Arrays.copyOf(indexes, n);
        bucketCounts = n == counts.length ? counts : Arrays.copyOf(counts, n);
    }

    public long count() {
        long total = zeroCount;
        for (long c : bucketCounts) {
            total += c;
        }
        return total;
    }

    /**
     * The nearest-rank quantile: the smallest sample with at least {@code q} of all samples at or
     * below it (for the median of 4 samples, the 2nd smallest), within 1 %. {@code 0} when empty.
     */
    public double quantile(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
        }
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = zeroCount;
        if (seen >= rank) {
            return 0;
        }
        for (int i = 0; i < bucketIndexes.length; i++) {
            seen += bucketCounts[i];
            if (seen >= rank) {
                return representative(bucketIndexes[i]);
            }
        }
        return representative(bucketIndexes[bucketIndexes.length - 1]);
    }

    public double median() {
        return quantile(0.5);
    }

    static int bucketOf(long value) {
        return (int) Math.ceil(Math.log(value) / LOG_GAMMA);
    }

    /** The value within {@link #RELATIVE_ACCURACY} of every value of bucket (gamma^(i-1), gamma^i]. */
    private static double representative(int bucket) {
        return 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1);
    }

    private void addToBucket(int bucket, long count) {
        int pos = Arrays.binarySearch(bucketIndexes, bucket);
        if (pos >= 0) {
            bucketCounts[pos] += count;
            return;
        }
        int insertAt = -pos - 1;
        int[] indexes = new int[bucketIndexes.length + 1];
        long[] counts = new long[bucketCounts.length + 1];
        System.arraycopy(bucketIndexes, 0, indexes, 0, insertAt);
        System.arraycopy(bucketCounts, 0, counts, 0, insertAt);
        indexes[insertAt] = bucket;
        counts[insertAt] = count;
        System.arraycopy(bucketIndexes, insertAt, indexes, insertAt + 1, bucketIndexes.length - insertAt);
        System.arraycopy(bucketCounts, insertAt, counts, insertAt + 1, bucketCounts.length - insertAt);
        bucketIndexes = indexes;
        bucketCounts = counts;
    }
}
