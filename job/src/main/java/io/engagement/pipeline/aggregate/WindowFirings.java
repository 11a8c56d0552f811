package io.engagement.pipeline.aggregate;

import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The firing count of one window, kept in per-window state: the first final firing is version 1 and
 * every late update one more (provisional firings are version {@link #PROVISIONAL} and not counted), so ReplacingMergeTree(version) keeps the newest row. The count is in
 * checkpointed state, so a replay after a restore re-emits the same version, which replaces rather
 * than duplicates.
 */
public final class WindowFirings {

    private static final ValueStateDescriptor<Long> FIRINGS = new ValueStateDescriptor<>("firings", Long.class);

    /**
     * The version of every provisional row (a firing before the window closes): below every final
     * version, so the final row replaces all provisional ones, and among provisional rows
     * ReplacingMergeTree keeps the newest written, which after a restore is the replay's.
     */
    public static final long PROVISIONAL = 0;

    private WindowFirings() {}

    /** A row of a window's first final firing: the window has just closed (no provisional row, no late update). */
    public static boolean isFirstClosing(boolean provisional, long version) {
        return !provisional && version == 1;
    }

    /**
     * The counter {@code engagement.window_firings_unchanged}: firings that wrote their row but sent no
     * delta and no creator update, having added nothing since the window's previous firing.
     */
    public static Counter unchangedFiringsCounter(MetricGroup operatorMetrics) {
        return operatorMetrics.addGroup("engagement").counter("window_firings_unchanged");
    }

    /** Counts this firing and returns its version. */
    public static long next(KeyedStateStore windowState) throws Exception {
        ValueState<Long> firings = windowState.getState(FIRINGS);
        long version = firings.value() == null ? 1 : firings.value() + 1;
        firings.update(version);
        return version;
    }

    public static void clear(KeyedStateStore windowState) {
        windowState.getState(FIRINGS).clear();
    }
}
