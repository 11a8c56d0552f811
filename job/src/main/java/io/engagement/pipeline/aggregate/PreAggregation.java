package io.engagement.pipeline.aggregate;

import java.io.Serializable;

/**
 * What {@link WindowPreAggregator} folds: how an input record is keyed, folded into a partial
 * accumulator of its tumbling window, and turned into the partial record the keyed window downstream
 * merges. The downstream window must merge partials with the same arithmetic as {@link #add}, so that
 * one partial of n records counts what the n records would have counted one by one.
 *
 * @param <IN> the record before the shuffle (an event, or a finer window's delta)
 * @param <K> the key the downstream window is keyed by
 * @param <ACC> the partial accumulator (for the content and country cascades, the downstream window's own
 *     accumulator type)
 * @param <OUT> the partial record sent through the shuffle
 */
public interface PreAggregation<IN, K, ACC, OUT> extends Serializable {

    K key(IN in);

    ACC createAccumulator();

    /**
     * Whether {@code in} may join the partial {@code acc}; when not, the partial is sent as it is and
     * {@code in} starts a new one. Content partials hold the events of one ownership claim, so the
     * catalogue join can count the events whose claim it contradicts exactly.
     */
    default boolean folds(ACC acc, IN in) {
        return true;
    }

    /** Folds {@code in} into {@code acc}; must not keep a reference to {@code in} (object reuse). */
    void add(ACC acc, IN in);

    /** The partial of {@code key} for the window {@code [windowStartMs, windowEndMs)}. */
    OUT partial(K key, long windowStartMs, long windowEndMs, ACC acc);
}
