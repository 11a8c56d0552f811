package io.engagement.pipeline.alerts;

/**
 * A content's typical views per minute and where it stands against it: the state of {@link ContentAlerts}
 * per content, stepped one closed minute at a time (minutes without a window count as zero views).
 *
 * <p>The last {@link #SPAN_MINUTES} minutes are what the rules judge; the typical minute is learned only
 * from minutes that have left that span (the mean of the first {@link #WARM_UP_MINUTES}, then an
 * exponentially weighted mean with a half-hour memory), so a slump is judged against what came before
 * it, not against itself while it happens. Minutes of a spike or a drop are never learned (a surge
 * must not become the norm it is measured against), and an episode raises one alert: a spike ends with
 * a minute below half the spike threshold, a drop when the span is back at half its typical total. A
 * content silent for more than a day starts over. A flat field so Flink's POJO serializer keeps it.
 */
public class ContentViewTrend {
    /** Minutes learned before a content can raise an alert. */
    public static final int WARM_UP_MINUTES = 30;
    /** The drop rule's span: the last this many minutes. */
    public static final int SPAN_MINUTES = 10;
    /** A longer silence forgets the content. */
    static final long FORGET_AFTER_MINUTES = 24 * 60;

    static final int NORMAL = 0;
    static final int SPIKING = 1;
    static final int DROPPED = 2;

    private static final double ALPHA = 1.0 / WARM_UP_MINUTES;

    public String creatorId;
    public double typical;
    public long minutesLearned;
    /** The last minute stepped (epoch minute); minutes stepped since the start, for the span's fill. */
    public long lastMinute;

    public long minutesStepped;
    public int state;
    /** Views of the last {@link #SPAN_MINUTES} minutes, by epoch minute modulo the span. */
    public long[] recent;
    /** Bit i: the minute in slot i may be learned when it leaves the span (it was no spike or drop). */
    public int learnable;
    /** The drop timer registered for this content (event time), or {@link Long#MIN_VALUE}. */
    public long dropTimer;
    /** The minute whose close raised the last alert, the views the rule saw then, and what was typical for them. */
    public long alertMinute;

    public long alertViews;
    public double alertTypicalViews;

    public ContentViewTrend() {}

    static ContentViewTrend startingAt(long minute, String creatorId) {
        ContentViewTrend trend = new ContentViewTrend();
        trend.creatorId = creatorId;
        trend.lastMinute = minute - 1;
        trend.recent = new long[SPAN_MINUTES];
        trend.dropTimer = Long.MIN_VALUE;
        return trend;
    }

    /**
     * Steps every minute after the last one up to {@code minute}: the ones in between with no views,
     * {@code minute} itself with {@code views}. Returns the kind of the first alert the steps raised,
     * or null ({@link #alertMinute} says which minute raised it).
     */
    String advanceTo(long minute, long views, AlertRules rules) {
        if (minute - lastMinute > FORGET_AFTER_MINUTES) {
            // Start over, as a content first seen now (its pending drop timer is the caller's).
            typical = 0;
            minutesLearned = 0;
            minutesStepped = 0;
            state = NORMAL;
            learnable = 0;
            java.util.Arrays.fill(recent, 0);
            lastMinute = minute - 1;
        }
        String raised = null;
        for (long m = lastMinute + 1; m < minute; m++) {
            String kind = step(m, 0, rules);
            raised = raised != null ? raised : kind;
        }
        String kind = step(minute, views, rules);
        return raised != null ? raised : kind;
    }

    private String step(long minute, long views, AlertRules rules) {
        int slot = (int) Math.floorMod(minute, SPAN_MINUTES);
        if (minutesStepped >= SPAN_MINUTES && (learnable & (1 << slot)) != 0) {
            learn(recent[slot]); // the minute leaving the span
        }
        recent[slot] = views;
        learnable &= ~(1 << slot);
        lastMinute = minute;
        minutesStepped++;
        boolean warm = minutesLearned >= WARM_UP_MINUTES;
        switch (state) {
            case SPIKING -> {
                if (views < spikeThreshold(rules) / 2) {
                    state = NORMAL;
                    learnable |= 1 << slot;
                }
                return null;
            }
            case DROPPED -> {
                if (spanViews() >= typical * SPAN_MINUTES / 2) {
                    state = NORMAL;
                    learnable |= 1 << slot;
                }
                return null;
            }
            default -> {
                if (warm && views >= rules.minSpikeViews() && views >= spikeThreshold(rules)) {
                    state = SPIKING;
                    return raise(CreatorAlert.SPIKE, minute, views, typical);
                }
                if (watchesDrops(rules) && spanViews() <= dropThreshold(rules)) {
                    state = DROPPED;
                    learnable = 0; // the slump's minutes in the span are not the norm either
                    return raise(CreatorAlert.DROP, minute, spanViews(), typical * SPAN_MINUTES);
                }
                learnable |= 1 << slot;
                return null;
            }
        }
    }

    private String raise(String kind, long minute, long views, double typicalViews) {
        alertMinute = minute;
        alertViews = views;
        alertTypicalViews = typicalViews;
        return kind;
    }

    /** Whether a drop can be raised: warm, typically busy enough, not in an episode, the span filled. */
    boolean watchesDrops(AlertRules rules) {
        return state == NORMAL
                && minutesLearned >= WARM_UP_MINUTES
                && minutesStepped >= SPAN_MINUTES
                && typical >= rules.minTypicalViewsPerMinute();
    }

    /**
     * The first minute after the last one at whose close the drop rule would hold if no view came in
     * between (stepped on a copy), or {@link Long#MIN_VALUE} if none within the span.
     */
    long firstSilentDropMinute(AlertRules rules) {
        if (!watchesDrops(rules)) {
            return Long.MIN_VALUE;
        }
        ContentViewTrend ahead = copy();
        for (int i = 1; i <= SPAN_MINUTES; i++) {
            // A minute without views can raise only a drop (a spike needs at least one view).
            if (ahead.step(lastMinute + i, 0, rules) != null) {
                return lastMinute + i;
            }
        }
        return Long.MIN_VALUE;
    }

    long spanViews() {
        long sum = 0;
        for (long v : recent) {
            sum += v;
        }
        return sum;
    }

    double spikeThreshold(AlertRules rules) {
        return typical * rules.spikeFactor();
    }

    double dropThreshold(AlertRules rules) {
        return typical * SPAN_MINUTES / rules.dropFactor();
    }

    private void learn(long views) {
        if (minutesLearned < WARM_UP_MINUTES) {
            typical += (views - typical) / (minutesLearned + 1);
        } else {
            typical += ALPHA * (views - typical);
        }
        minutesLearned++;
    }

    /** What the rules step on, for stepping ahead without touching this state. */
    private ContentViewTrend copy() {
        ContentViewTrend c = new ContentViewTrend();
        c.creatorId = creatorId;
        c.typical = typical;
        c.minutesLearned = minutesLearned;
        c.lastMinute = lastMinute;
        c.minutesStepped = minutesStepped;
        c.state = state;
        c.recent = recent.clone();
        c.learnable = learnable;
        c.dropTimer = Long.MIN_VALUE;
        return c;
    }
}
