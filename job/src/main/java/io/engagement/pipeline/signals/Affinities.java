package io.engagement.pipeline.signals;

import java.util.Arrays;

/**
 * A user's decayed affinity scores in one dimension (creators, categories or hashtags), at most a
 * bounded number of entries: when a new id comes to a full set, the entry with the smallest absolute
 * score goes (the new one itself when it is the weakest). Parallel arrays, so Flink's POJO serializer
 * keeps it without Kryo; a user follows tens of creators, so a linear scan beats a hash map here.
 */
public class Affinities {
    public String[] ids = new String[0];
    public double[] scores = new double[0];

    public Affinities() {}

    /** Multiplies every score by {@code factor} (the decay from the profile's old reference time to a newer one). */
    void decay(double factor) {
        for (int i = 0; i < scores.length; i++) {
            scores[i] *= factor;
        }
    }

    /** Adds {@code weight} to {@code id}'s score, keeping at most {@code maxEntries} entries. */
    void add(String id, double weight, int maxEntries) {
        if (id == null || weight == 0) {
            return;
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                scores[i] += weight;
                return;
            }
        }
        if (ids.length < maxEntries) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            scores = Arrays.copyOf(scores, scores.length + 1);
            ids[ids.length - 1] = id;
            scores[scores.length - 1] = weight;
            return;
        }
        int weakest = -1;
        for (int i = 0; i < scores.length; i++) {
            if (weakest < 0 || Math.abs(scores[i]) < Math.abs(scores[weakest])) {
                weakest = i;
            }
        }
        if (weakest >= 0 && Math.abs(scores[weakest]) < Math.abs(weight)) {
            ids[weakest] = id;
            scores[weakest] = weight;
        }
    }

    /** The score of {@code id}, 0 when it has none. */
    public double score(String id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                return scores[i];
            }
        }
        return 0;
    }

    int size() {
        return ids.length;
    }

    void clear() {
        ids = new String[0];
        scores = new double[0];
    }

    /** The entries by descending score (ties by id), copied. */
    Affinities sorted() {
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byScore = Double.compare(scores[b], scores[a]);
            return byScore != 0 ? byScore : ids[a].compareTo(ids[b]);
        });
        Affinities copy = new Affinities();
        copy.ids = new String[ids.length];
        copy.scores = new double[ids.length];
        for (int i = 0; i < order.length; i++) {
            copy.ids[i] = ids[order[i]];
            copy.scores[i] = scores[order[i]];
        }
        return copy;
    }
}
