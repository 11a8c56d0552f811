package io.engagement.pipeline.session;

import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Event-time session windows that never grow beyond a maximum duration ({@code session.max-duration}).
 * A session id reused forever (a buggy client, a kiosk, a bot) would otherwise keep one session
 * window, its state and its timers open forever, and its row would never be written.
 *
 * <p>Merging is Flink's (windows that touch or overlap merge), except that two windows are not merged
 * when the result would last longer than the maximum: the session then ends, and the next event starts
 * a new session, even within the gap. A session window spans first event .. last event + gap, so the
 * cap on the window is {@code maxDuration + gap}. Windows are merged greedily in start order, which
 * gives the same sessions whatever order the events arrive in as long as no cap is hit.
 */
public final class CappedSessionWindows extends EventTimeSessionWindows {

    private final long maxWindowMs;

    private CappedSessionWindows(long gapMs, long maxDurationMs) {
        super(gapMs);
        this.maxWindowMs = Math.addExact(maxDurationMs, gapMs);
    }

    public static CappedSessionWindows of(Duration gap, Duration maxDuration) {
        if (gap.isNegative() || gap.isZero() || maxDuration.isNegative()) {
            throw new IllegalArgumentException("session gap must be > 0 and max duration >= 0");
        }
        return new CappedSessionWindows(gap.toMillis(), maxDuration.toMillis());
    }

    @Override
    public void mergeWindows(Collection<TimeWindow> windows, MergeCallback<TimeWindow> callback) {
        List<TimeWindow> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingLong(TimeWindow::getStart));
        List<TimeWindow> group = new ArrayList<>();
        TimeWindow cover = null;
        for (TimeWindow window : sorted) {
            if (cover != null && cover.intersects(window) && fits(cover.cover(window))) {
                group.add(window);
                cover = cover.cover(window);
                continue;
            }
            mergeGroup(group, cover, callback);
            group = new ArrayList<>(List.of(window));
            cover = window;
        }
        mergeGroup(group, cover, callback);
    }

    private boolean fits(TimeWindow window) {
        return window.getEnd() - window.getStart() <= maxWindowMs;
    }

    private static void mergeGroup(List<TimeWindow> group, TimeWindow cover, MergeCallback<TimeWindow> callback) {
        if (group.size() > 1) {
            callback.merge(group, cover);
        }
    }

    @Override
    public String toString() {
        return "CappedSessionWindows(gap=" + sessionTimeout + ", maxWindow=" + maxWindowMs + ")";
    }
}
