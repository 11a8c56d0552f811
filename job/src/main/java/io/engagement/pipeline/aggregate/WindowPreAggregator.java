package io.engagement.pipeline.aggregate;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The local half of a two-phase window aggregation (the technique Flink SQL's planner applies to
 * window aggregates): chained before the shuffle to a keyed tumbling window, it folds records into a
 * partial per (key, window) on the heap and sends one partial instead of every record; the window
 * downstream merges partials. A partial is stamped with the last millisecond of the newest minute it
 * folded, capped at its window's last millisecond (so the downstream window assigner puts it into the
 * window it was folded for): a trigger that judges liveness by the element's time
 * ({@link ProvisionalTrigger}) then sees a backlog's partial of today's day or this week as old, by the
 * minutes it holds, although the window itself ends in the future; and a live minute's partial as live
 * for as long as that minute can still take events, whatever its events' own times.
 *
 * <p>What the window downstream sees is what it would have seen record by record, in the same
 * order relative to this channel's watermarks:
 * <ul>
 *   <li>before forwarding a watermark, the buffered windows whose last millisecond it passes are
 *       flushed, so no partial arrives after the watermark that fires its window; later windows keep
 *       folding (a backfill's watermark passes a minute every fraction of a second, and flushing
 *       everything each time split every content-minute into two or three partials);</li>
 *   <li>a record for a window already behind the watermark (a late update: the window has fired)
 *       is sent at once, alone, never buffered: each late record still causes exactly one late
 *       firing, and a replay after a restore reproduces the same row versions;</li>
 *   <li>{@link #prepareSnapshotPreBarrier} flushes before every checkpoint and savepoint barrier, so
 *       the buffer is never part of a checkpoint (it holds no state), and {@link #finish} at the end
 *       of input;</li>
 *   <li>with a live horizon (the larger grains of a cascade), a buffer that holds a live partial
 *       (its newest input no older, in wall-clock time, than the horizon) is flushed whole right
 *       after the next watermark has gone through the task (a processing-time callback, so the
 *       operators chained beside this one see the watermark first): in live traffic each window
 *       gets at most one input per finer firing anyway, so holding it until the barrier bundles
 *       nothing and only puts the larger windows' firings in front of the checkpoint barrier. A
 *       backlog's partials are not live and keep folding until their window closes or the barrier;</li>
 *   <li>a full buffer ({@code maxEntries}) is flushed whole, bounding heap use; with
 *       {@code maxEntries} 0 every record is sent alone (the record-by-record data flow, for A/B
 *       measurements and the differential test).</li>
 * </ul>
 * The watermark is this operator's own, not checkpointed: after a restore the windows downstream also
 * start at no watermark and merge what arrives before the first one, as they would record by record.
 */
public final class WindowPreAggregator<IN, K, ACC, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT> {

    private final PreAggregation<IN, K, ACC, OUT> aggregation;
    private final long sizeMs;
    private final long offsetMs;
    private final int maxEntries;
    /** Partials are stamped with the end of the newest such span they folded (capped at the window's end). */
    private final long stampSpanMs;
    /** A buffer holding an input no older than this (wall clock) is flushed after the next watermark; 0: never. */
    private final long liveHorizonMs;

    /** The span whose end stamps a partial by default: a minute, the finest grain. */
    public static final Duration STAMP_SPAN = Duration.ofMinutes(1);

    /**
     * Buffered partials by window start, then key: windows are flushed in order as the watermark
     * passes them, and a record finds its slot without allocating a composite key.
     */
    private transient NavigableMap<Long, Map<K, Slot<ACC>>> buffer;

    private transient int entries;
    /** The window the last record went to, and its partials: most records fall into the same one. */
    private transient long lastWindowStart;

    private transient Map<K, Slot<ACC>> lastWindow;
    private transient long currentWatermark;
    /** The newest timestamp of the inputs buffered since the buffer was last empty. */
    private transient long newestBuffered;

    private transient boolean liveFlushScheduled;
    private transient Counter recordsIn;
    private transient Counter partialsOut;

    public WindowPreAggregator(
            PreAggregation<IN, K, ACC, OUT> aggregation, Duration size, Duration offset, int maxEntries) {
        this(aggregation, size, offset, maxEntries, STAMP_SPAN);
    }

    /** @param stampSpan partials carry the end of the newest span of this length they folded ({@link #STAMP_SPAN}) */
    public WindowPreAggregator(
            PreAggregation<IN, K, ACC, OUT> aggregation,
            Duration size,
            Duration offset,
            int maxEntries,
            Duration stampSpan) {
        this(aggregation, size, offset, maxEntries, stampSpan, Duration.ZERO);
    }

    /**
     * @param liveHorizon a buffer holding an input no older than this, in wall-clock time, is flushed
     *     right after the next watermark ({@link Duration#ZERO}: only when windows close, at the
     *     barrier, when full)
     */
    public WindowPreAggregator(
            PreAggregation<IN, K, ACC, OUT> aggregation,
            Duration size,
            Duration offset,
            int maxEntries,
            Duration stampSpan,
            Duration liveHorizon) {
        this.stampSpanMs = stampSpan.toMillis();
        this.liveHorizonMs = liveHorizon.toMillis();
        if (liveHorizonMs < 0) {
            throw new IllegalArgumentException("liveHorizon must not be negative: " + liveHorizon);
        }
        if (stampSpanMs <= 0) {
            throw new IllegalArgumentException("stampSpan must be positive: " + stampSpan);
        }
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
        this.aggregation = aggregation;
        this.sizeMs = size.toMillis();
        this.offsetMs = offset.toMillis();
        this.maxEntries = maxEntries;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new TreeMap<>();
        entries = 0;
        lastWindow = null;
        currentWatermark = Long.MIN_VALUE;
        newestBuffered = Long.MIN_VALUE;
        liveFlushScheduled = false;
        recordsIn = getMetricGroup().addGroup("engagement").counter("pre_aggregation_records_in");
        partialsOut = getMetricGroup().addGroup("engagement").counter("pre_aggregation_partials_out");
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        recordsIn.inc();
        IN in = element.getValue();
        long windowStart = TimeWindow.getWindowStartWithOffset(element.getTimestamp(), offsetMs, sizeMs);
        long windowMaxTs = windowStart + sizeMs - 1;
        K key = aggregation.key(in);
        if (windowMaxTs <= currentWatermark || maxEntries == 0) {
            ACC alone = aggregation.createAccumulator();
            aggregation.add(alone, in);
            emit(key, windowStart, alone, element.getTimestamp());
            return;
        }
        Map<K, Slot<ACC>> window =
                windowStart == lastWindowStart && lastWindow != null ? lastWindow : bufferedWindow(windowStart);
        Slot<ACC> slot = window.get(key);
        if (slot != null && !aggregation.folds(slot.acc, in)) {
            emit(key, windowStart, slot.acc, slot.newest);
            window.remove(key);
            entries--;
            slot = null;
        }
        if (slot == null) {
            if (entries >= maxEntries) {
                flushAll();
                window = bufferedWindow(windowStart);
            }
            slot = new Slot<>(aggregation.createAccumulator(), element.getTimestamp());
            window.put(key, slot);
            entries++;
        }
        aggregation.add(slot.acc, in);
        slot.newest = Math.max(slot.newest, element.getTimestamp());
        newestBuffered = Math.max(newestBuffered, element.getTimestamp());
    }

    /** A buffered partial and the newest timestamp folded into it. */
    private static final class Slot<ACC> {
        final ACC acc;
        long newest;

        Slot(ACC acc, long newest) {
            this.acc = acc;
            this.newest = newest;
        }
    }

    private Map<K, Slot<ACC>> bufferedWindow(long windowStart) {
        lastWindowStart = windowStart;
        lastWindow = buffer.computeIfAbsent(windowStart, start -> new HashMap<>());
        return lastWindow;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // Only the windows this watermark closes: later ones keep folding until theirs passes.
        while (!buffer.isEmpty() && buffer.firstKey() + sizeMs - 1 <= mark.getTimestamp()) {
            flushWindow(buffer.pollFirstEntry());
        }
        currentWatermark = Math.max(currentWatermark, mark.getTimestamp());
        super.processWatermark(mark);
        if (liveHorizonMs > 0 && entries > 0 && !liveFlushScheduled) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            if (newestBuffered + liveHorizonMs > now) {
                liveFlushScheduled = true;
                getProcessingTimeService().registerTimer(now, time -> {
                    liveFlushScheduled = false;
                    flushAll();
                });
            }
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushAll();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    /** Number of buffered partials (tests). */
    int buffered() {
        return entries;
    }

    private void flushAll() {
        while (!buffer.isEmpty()) {
            flushWindow(buffer.pollFirstEntry());
        }
    }

    private void flushWindow(Map.Entry<Long, Map<K, Slot<ACC>>> window) {
        long windowStart = window.getKey();
        for (Map.Entry<K, Slot<ACC>> partial : window.getValue().entrySet()) {
            emit(partial.getKey(), windowStart, partial.getValue().acc, partial.getValue().newest);
        }
        entries -= window.getValue().size();
        if (buffer.isEmpty()) {
            newestBuffered = Long.MIN_VALUE;
        }
        if (window.getValue() == lastWindow) {
            lastWindow = null;
        }
    }

    private void emit(K key, long windowStart, ACC acc, long newestTimestamp) {
        partialsOut.inc();
        OUT partial = aggregation.partial(key, windowStart, windowStart + sizeMs, acc);
        long newestSpanEnd = Math.floorDiv(newestTimestamp, stampSpanMs) * stampSpanMs + stampSpanMs - 1;
        output.collect(new StreamRecord<>(partial, Math.min(windowStart + sizeMs - 1, newestSpanEnd)));
    }
}
