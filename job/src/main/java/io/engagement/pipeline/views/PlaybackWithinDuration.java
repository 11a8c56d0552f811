package io.engagement.pipeline.views;

import io.engagement.pipeline.catalog.CatalogEntry;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The catalogue's half of the impossible-playback rule, keyed by content after the view gates: a play
 * end whose watch time is more than the content's catalogue duration times the times it played
 * ({@code loop_count} + 1), plus {@link ViewRules#playbackSlackMs}, is excluded
 * ({@code impossible_playback}): a short video cannot have been watched for an hour in one play, and
 * a watch time made of a client's own, longer {@code content_duration_ms} is caught here too. The
 * gates' half (watch time beyond the time since the view start) needs no catalogue. Content not (yet)
 * in the catalogue, or with no duration in it, is not checked. Claims pass on at once, in order,
 * so the validated counts are as timely as without the check.
 */
public class PlaybackWithinDuration extends KeyedCoProcessFunction<String, ViewClaim, CatalogEntry, ViewClaim> {

    static final String REASON = "impossible_playback";
    static final ValueStateDescriptor<Long> DURATION = new ValueStateDescriptor<>("catalog-duration-ms", Types.LONG);

    private final long slackMs;
    private transient ValueState<Long> durationMs;
    private transient Counter excludedClaims;

    public PlaybackWithinDuration(ViewRules rules) {
        this.slackMs = rules.playbackSlackMs();
    }

    @Override
    public void open(OpenContext openContext) {
        durationMs = getRuntimeContext().getState(DURATION);
        excludedClaims = getRuntimeContext()
                .getMetricGroup()
                .addGroup("engagement")
                .addGroup("views")
                .counter("claims_excluded");
    }

    @Override
    public void processElement1(ViewClaim claim, Context ctx, Collector<ViewClaim> out) throws Exception {
        if (claim.retraction) {
            if (claim.viewStart || !impossible(claim)) {
                out.collect(claim);
            } // else its claim was excluded here: it never counted (unless the duration changed since)
            return;
        }
        if (!claim.viewStart && claim.excludedBy == null && impossible(claim)) {
            claim.excludedBy = REASON;
            excludedClaims.inc();
        }
        out.collect(claim);
    }

    private boolean impossible(ViewClaim playEnd) throws Exception {
        Long duration = durationMs.value();
        return duration != null && duration > 0 && playEnd.playWatchTimeMs > duration * (playEnd.loops + 1L) + slackMs;
    }

    @Override
    public void processElement2(CatalogEntry entry, Context ctx, Collector<ViewClaim> out) throws Exception {
        if (entry.deleted || entry.durationMs == null) {
            durationMs.clear();
        } else {
            durationMs.update(entry.durationMs);
        }
    }
}
