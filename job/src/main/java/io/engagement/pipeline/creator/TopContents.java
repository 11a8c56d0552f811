package io.engagement.pipeline.creator;

import java.util.Arrays;

/**
 * The creator's best contents, bounded: at most {@link #CAPACITY} entries, ranked by engagement score,
 * then views, then content id. A content is re-ranked whenever its window fires again.
 *
 * <p>Why bounded is enough: a content's score changes only when its window fires, and every firing
 * passes through here. The first entry is therefore the true top content unless every listed content
 * has since fallen below one that was pushed out, which takes {@value #CAPACITY} late updates that all
 * lower a score within one window (docs/metrics.md).
 */
final class TopContents {

    static final int CAPACITY = 16;

    private TopContents() {}

    /** Enters or re-ranks one content in {@code acc}'s list; a content without views is not ranked. */
    static void offer(CreatorAccumulator acc, String contentId, double score, long views) {
        int n = acc.topContentIds.length;
        String[] ids = Arrays.copyOf(acc.topContentIds, n + 1);
        double[] scores = Arrays.copyOf(acc.topEngagementScores, n + 1);
        long[] viewCounts = Arrays.copyOf(acc.topViews, n + 1);
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (!ids[i].equals(contentId)) {
                ids[size] = ids[i];
                scores[size] = scores[i];
                viewCounts[size] = viewCounts[i];
                size++;
            }
        }
        if (views > 0) {
            int at = size;
            while (at > 0 && ranksAbove(score, views, contentId, scores[at - 1], viewCounts[at - 1], ids[at - 1])) {
                ids[at] = ids[at - 1];
                scores[at] = scores[at - 1];
                viewCounts[at] = viewCounts[at - 1];
                at--;
            }
            ids[at] = contentId;
            scores[at] = score;
            viewCounts[at] = views;
            size++;
        }
        size = Math.min(size, CAPACITY);
        acc.topContentIds = Arrays.copyOf(ids, size);
        acc.topEngagementScores = Arrays.copyOf(scores, size);
        acc.topViews = Arrays.copyOf(viewCounts, size);
    }

    static boolean ranksAbove(double scoreA, long viewsA, String idA, double scoreB, long viewsB, String idB) {
        if (scoreA != scoreB) {
            return scoreA > scoreB;
        }
        if (viewsA != viewsB) {
            return viewsA > viewsB;
        }
        return idA.compareTo(idB) < 0;
    }
}
