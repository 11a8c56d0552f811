package io.engagement.pipeline.retention;

import java.util.Arrays;

/**
 * The play ends of one content and window folded before the shuffle ({@link RetentionPartials}): their
 * exits, and with a content catalogue each play's end position, kept for the intro hold until the
 * catalogue's duration is known ({@link RetentionDurations}). Lives on the heap of the pre-aggregation
 * only; never in state.
 */
public final class PlayEnds {

    final RetentionCounts counts = new RetentionCounts();
    private double[] positions;
    private int size;

    void keepPosition(double position) {
        if (positions == null) {
            positions = new double[4];
        } else if (size == positions.length) {
            positions = Arrays.copyOf(positions, size * 2);
        }
        positions[size++] = position;
    }

    /** The kept positions, or {@code null} when none were kept. */
    double[] positions() {
        return positions == null ? null : Arrays.copyOf(positions, size);
    }
}
