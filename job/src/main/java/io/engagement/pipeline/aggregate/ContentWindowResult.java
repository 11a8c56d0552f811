package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.alerts.MinuteViews;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a fired window's counters into a {@link ContentMetrics} row, versioned by {@link WindowFirings}
 * so a late update replaces the earlier row downstream; a firing before the window closes
 * ({@link ProvisionalTrigger}) is a provisional row that the final one replaces. Side outputs, both stamped with the window's
 * last millisecond so they land in the window of the same end downstream, and both carrying what
 * this firing adds to the window's previous one (kept in window state while the window can fire);
 * a firing that adds nothing sends neither:
 * <ul>
 *   <li>{@link #CREATOR_UPDATES}: for the creator roll-up of the same grain, with the content's
 *       figures before and after, so the creator state holds no per-content entries;</li>
 *   <li>{@link #DELTAS} (finest grain only): from which the larger grains are built, so each event
 *       updates one window state instead of one per grain;</li>
 *   <li>{@link #FIRST_CLOSINGS} (when asked, for the alert rules): each window's first final firing as a
 *       slim {@link MinuteViews}, so the alerts read no copy of the whole row.</li>
 * </ul>
 */
public class ContentWindowResult
        extends ProcessWindowFunction<ContentWindowAccumulator, ContentMetrics, String, TimeWindow> {

    public static final OutputTag<ContentWindowUpdate> CREATOR_UPDATES =
            new OutputTag<>("content-window-creator-updates") {};
    public static final OutputTag<ContentWindowSnapshot> DELTAS = new OutputTag<>("content-window-deltas") {};
    public static final OutputTag<MinuteViews> FIRST_CLOSINGS = new OutputTag<>("content-window-first-closings") {};

    private static final ValueStateDescriptor<ContentWindowAccumulator> EMITTED =
            new ValueStateDescriptor<>("emitted-counters", ContentWindowAccumulator.class);

    private final Grain grain;
    private final boolean emitCreatorUpdates;
    private final boolean emitDeltas;
    private final ScoreBasis basis;
    private final boolean emitFirstClosings;
    /** Firings that would have sent a delta or creator update but added nothing since the previous one. */
    private transient Counter unchangedFirings;

    public ContentWindowResult(Grain grain) {
        this(grain, false, false, ScoreBasis.COUNTED);
    }

    public ContentWindowResult(Grain grain, boolean emitCreatorUpdates, boolean emitDeltas) {
        this(grain, emitCreatorUpdates, emitDeltas, ScoreBasis.COUNTED);
    }

    /** @param basis the plays the row's rates and scores are computed over ({@link ScoreBasis}) */
    public ContentWindowResult(Grain grain, boolean emitCreatorUpdates, boolean emitDeltas, ScoreBasis basis) {
        this(grain, emitCreatorUpdates, emitDeltas, basis, false);
    }

    /** @param emitFirstClosings also {@link #FIRST_CLOSINGS} (the alert rules read them) */
    public ContentWindowResult(
            Grain grain, boolean emitCreatorUpdates, boolean emitDeltas, ScoreBasis basis, boolean emitFirstClosings) {
        this.grain = grain;
        this.emitCreatorUpdates = emitCreatorUpdates;
        this.emitDeltas = emitDeltas;
        this.basis = basis;
        this.emitFirstClosings = emitFirstClosings;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        unchangedFirings =
                WindowFirings.unchangedFiringsCounter(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void process(
            String contentId,
            Context context,
            Iterable<ContentWindowAccumulator> elements,
            Collector<ContentMetrics> out)
            throws Exception {
        TimeWindow window = context.window();
        boolean provisional = ProvisionalTrigger.isProvisional(window, context.currentWatermark());
        long version = provisional ? WindowFirings.PROVISIONAL : WindowFirings.next(context.windowState());
        ContentWindowAccumulator acc = elements.iterator().next();
        ContentMetrics row =
                ContentMetrics.of(grain, window.getStart(), window.getEnd(), contentId, acc, version, basis);
        row.provisional = provisional;
        out.collect(row);
        if (emitFirstClosings && MinuteViews.isFirstClosing(row)) {
            context.output(FIRST_CLOSINGS, MinuteViews.of(row));
        }
        if (!emitDeltas && !emitCreatorUpdates) {
            return;
        }
        // The previous firing's counters (not its viewers: a delta carries the whole set) are kept
        // only while the window can still fire again.
        ValueState<ContentWindowAccumulator> emitted = context.windowState().getState(EMITTED);
        ContentWindowAccumulator previous = emitted.value();
        if (ContentWindowAggregate.addsNothingTo(acc, previous)) {
            // Nothing new since the previous firing: the larger grains and the creator have it all.
            // In live traffic most windows close right after a provisional firing with nothing new,
            // and each delta sent makes the hour, day and week fire once more.
            unchangedFirings.inc();
            return;
        }
        ContentWindowAccumulator delta = ContentWindowAggregate.delta(acc, previous);
        emitted.update(ContentWindowAggregate.countersOf(acc));
        if (emitDeltas) {
            context.output(
                    DELTAS, new ContentWindowSnapshot(contentId, window.getStart(), window.getEnd(), version, delta));
        }
        // Content not in the catalogue is attributed to no creator: no creator roll-up counts it.
        if (emitCreatorUpdates && !row.creatorId.isEmpty()) {
            context.output(CREATOR_UPDATES, ContentWindowUpdate.of(row, delta, previous, basis));
        }
    }

    @Override
    public void clear(Context context) throws Exception {
        WindowFirings.clear(context.windowState());
        context.windowState().getState(EMITTED).clear();
    }
}
