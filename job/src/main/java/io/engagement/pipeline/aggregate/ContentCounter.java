package io.engagement.pipeline.aggregate;

import static io.engagement.pipeline.event.EventType.CLICK;
import static io.engagement.pipeline.event.EventType.COMMENT;
import static io.engagement.pipeline.event.EventType.FOLLOW;
import static io.engagement.pipeline.event.EventType.HIDE;
import static io.engagement.pipeline.event.EventType.IMPRESSION;
import static io.engagement.pipeline.event.EventType.LIKE;
import static io.engagement.pipeline.event.EventType.PAUSE;
import static io.engagement.pipeline.event.EventType.REPORT;
import static io.engagement.pipeline.event.EventType.RESUME;
import static io.engagement.pipeline.event.EventType.SAVE;
import static io.engagement.pipeline.event.EventType.SEEK;
import static io.engagement.pipeline.event.EventType.SHARE;
import static io.engagement.pipeline.event.EventType.SWIPE_AWAY;
import static io.engagement.pipeline.event.EventType.UNFOLLOW;
import static io.engagement.pipeline.event.EventType.UNLIKE;
import static io.engagement.pipeline.event.EventType.UNSAVE;
import static io.engagement.pipeline.event.EventType.VIEW_COMPLETE;
import static io.engagement.pipeline.event.EventType.VIEW_PROGRESS;
import static io.engagement.pipeline.event.EventType.VIEW_START;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.metrics.CompletionBucket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Every counter of a content window, named once. The constant's name gives the field of
 * {@link ContentWindowAccumulator} (camel case: {@code WATCH_TIME_MS} is {@code watchTimeMs}), the
 * field of {@link ContentMetrics} and the ClickHouse column of {@code content_metrics} (snake case:
 * {@code watch_time_ms}); the constant says which event types add to it and how much. From this
 * table come the event fold, the merge and delta of windows, the row, and the sink's column list,
 * so a counter cannot be left out of one of them and silently read 0 (docs/metrics.md, "Adding a
 * counter"). State stores the counters in this order ({@link ContentWindowAccumulatorSerializer}):
 * append a new counter at the end, never reorder or remove one. {@code ContentCounterTest} checks
 * that every long field of the accumulator is a constant here.
 */
public enum ContentCounter {
    IMPRESSIONS(count(IMPRESSION)),
    VIEWS(count(VIEW_START)),
    REWATCHES(when(VIEW_START, e -> Boolean.TRUE.equals(e.isRewatch))),
    /** Any event may report watch time since the play's previous report. */
    WATCH_TIME_MS(sum(EnumSet.allOf(EventType.class), e -> e.watchTimeMs)),
    /** A view_complete, or a swipe-away at the very end (a full play, not a skip). */
    COMPLETIONS(when(EnumSet.of(VIEW_COMPLETE, SWIPE_AWAY), EngagementEvent::completesPlay)),
    /** Plays that ended with a swipe-away, by how far they got. */
    ENDED_OVER_75(swipedAt(CompletionBucket.OVER_75)),
    ENDED_OVER_50(swipedAt(CompletionBucket.OVER_50)),
    ENDED_OVER_25(swipedAt(CompletionBucket.OVER_25)),
    ENDED_UNDER_25(swipedAt(CompletionBucket.UNDER_25)),
    SKIPS(when(SWIPE_AWAY, e -> swipeBucket(e) != CompletionBucket.FULL)),
    /** Every swipe_away, including those at the very end. */
    SWIPED_AWAY(count(SWIPE_AWAY)),
    /** Loops reported on the event that ends a play. */
    LOOP_PLAYS(sum(EnumSet.of(VIEW_COMPLETE, SWIPE_AWAY), e -> e.loopCount == null ? null : e.loopCount.longValue())),
    /** Not a column: {@code likes} is written net of unlikes. */
    UNLIKES(count(UNLIKE), false),
    LIKES(count(LIKE), UNLIKES),
    COMMENTS(count(COMMENT)),
    SHARES(count(SHARE)),
    /** Not a column: {@code saves} is written net of unsaves. */
    UNSAVES(count(UNSAVE), false),
    SAVES(count(SAVE), UNSAVES),
    CLICKS(count(CLICK)),
    FOLLOWS(count(FOLLOW)),
    UNFOLLOWS(count(UNFOLLOW)),
    NOT_INTERESTED(count(EventType.NOT_INTERESTED)),
    REPORTS(count(REPORT)),
    HIDES(count(HIDE)),
    /** Views by where the play started (seed 002 views.*), device and platform ({@link ViewBreakdown}). */
    VIEWS_ORGANIC(viewFrom(ViewBreakdown::source, ViewBreakdown.ORGANIC)),
    VIEWS_FOLLOWING(viewFrom(ViewBreakdown::source, "following")),
    VIEWS_PROFILE(viewFrom(ViewBreakdown::source, "profile")),
    VIEWS_HASHTAG(viewFrom(ViewBreakdown::source, "hashtag")),
    VIEWS_SEARCH(viewFrom(ViewBreakdown::source, "search")),
    VIEWS_DIRECT(viewFrom(ViewBreakdown::source, "direct")),
    VIEWS_OTHER_SOURCE(viewFrom(ViewBreakdown::source, ViewBreakdown.OTHER)),
    VIEWS_MOBILE(viewFrom(ViewBreakdown::device, "mobile")),
    VIEWS_TABLET(viewFrom(ViewBreakdown::device, "tablet")),
    VIEWS_DESKTOP(viewFrom(ViewBreakdown::device, "desktop")),
    VIEWS_TV(viewFrom(ViewBreakdown::device, "tv")),
    VIEWS_OTHER_DEVICE(viewFrom(ViewBreakdown::device, ViewBreakdown.OTHER)),
    VIEWS_IOS(viewFrom(ViewBreakdown::platform, "ios")),
    VIEWS_ANDROID(viewFrom(ViewBreakdown::platform, "android")),
    VIEWS_WEB(viewFrom(ViewBreakdown::platform, "web")),
    VIEWS_OTHER_PLATFORM(viewFrom(ViewBreakdown::platform, ViewBreakdown.OTHER)),

    /** Every event folded into the window: what a partial's ownership claim is counted in. */
    EVENTS(sum(EnumSet.allOf(EventType.class), e -> 1L), false),
    /**
     * Events whose {@code creator_id} contradicted the content catalogue: counted under the
     * catalogue's creator, and here (set by {@link io.engagement.pipeline.catalog.CatalogAttribution}, no event adds to it).
     */
    CREATOR_MISMATCHES(new Rule(EnumSet.noneOf(EventType.class), e -> 0)),
    /**
     * Events counted while the content was not (yet) in the catalogue: attributed to no creator
     * (set by {@link io.engagement.pipeline.catalog.CatalogAttribution}).
     */
    UNCATALOGUED_EVENTS(new Rule(EnumSet.noneOf(EventType.class), e -> 0)),

    /**
     * Validated views: view starts that passed the view gates ({@link io.engagement.pipeline.views.ViewGate}:
     * no actor above a human rate, not a repeat, docs/metrics.md). No event adds to these three; the
     * gates' partials set them ({@link io.engagement.pipeline.views.ValidatedViewPartials}).
     */
    VALIDATED_VIEWS(new Rule(EnumSet.noneOf(EventType.class), e -> 0)),
    /** Full plays among the play ends that passed the gates. */
    VALIDATED_COMPLETIONS(new Rule(EnumSet.noneOf(EventType.class), e -> 0)),
    /** Watch time of the plays whose end passed the gates (each play's own, as the median takes it). */
    VALIDATED_WATCH_TIME_MS(new Rule(EnumSet.noneOf(EventType.class), e -> 0));

    /**
     * Event types that only report playback (watch time, via {@link #WATCH_TIME_MS}) and count in no
     * other counter, on purpose. Every other type must add to some counter besides watch time.
     */
    public static final Set<EventType> PLAYBACK_ONLY =
            Collections.unmodifiableSet(EnumSet.of(VIEW_PROGRESS, PAUSE, RESUME, SEEK));

    private static final Map<EventType, ContentCounter[]> BY_TYPE = new EnumMap<>(EventType.class);
    private static final List<ContentCounter> IN_ROW;

    static {
        for (EventType type : EventType.values()) {
            BY_TYPE.put(
                    type,
                    Arrays.stream(values())
                            .filter(c -> c.rule.types.contains(type))
                            .toArray(ContentCounter[]::new));
        }
        List<ContentCounter> inRow = new ArrayList<>();
        for (ContentCounter c : values()) {
            if (c.inRow) {
                inRow.add(c);
            }
        }
        IN_ROW = Collections.unmodifiableList(inRow);
    }

    private final Rule rule;
    private final boolean inRow;
    /** Subtracted from this counter in the row ({@code likes} net of unlikes); null for none. */
    private final ContentCounter netOf;

    private final String field;

    /** A column of its own. */
    ContentCounter(Rule rule) {
        this(rule, true, null);
    }

    /** A column net of another counter. */
    ContentCounter(Rule rule, ContentCounter netOf) {
        this(rule, true, netOf);
    }

    /** {@code inRow = false}: kept in window state only, for another counter's net value. */
    ContentCounter(Rule rule, boolean inRow) {
        this(rule, inRow, null);
    }

    private ContentCounter(Rule rule, boolean inRow, ContentCounter netOf) {
        this.rule = rule;
        this.inRow = inRow;
        this.netOf = netOf;
        this.field = camelCase(name());
    }

    private static final ContentCounter[] ALL = values();

    /** Every counter, without the copy {@code values()} makes per call (merges run over it). */
    static ContentCounter[] all() {
        return ALL;
    }

    /** The counters an event of {@code type} can add to. */
    static ContentCounter[] countedBy(EventType type) {
        return BY_TYPE.get(type);
    }

    /** The counters written to content_metrics, each as its own column. */
    public static List<ContentCounter> inRow() {
        return IN_ROW;
    }

    /** How much {@code event}, of a type in {@link #countedBy}'s answer for it, adds to this counter. */
    long amount(EngagementEvent event) {
        return rule.amount.applyAsLong(event);
    }

    public long get(ContentWindowAccumulator acc) {
        return acc.counter(this);
    }

    public void set(ContentWindowAccumulator acc, long value) {
        acc.setCounter(this, value);
    }

    void add(ContentWindowAccumulator acc, long amount) {
        set(acc, get(acc) + amount);
    }

    /** The value the row and the feedback topic show: the counter, net of {@link #netOf} where it has one. */
    public long rowValue(ContentWindowAccumulator acc) {
        return netOf == null ? get(acc) : get(acc) - netOf.get(acc);
    }

    void copyToRow(ContentWindowAccumulator acc, ContentMetrics row) {
        row.setCounter(this, rowValue(acc));
    }

    public long get(ContentMetrics row) {
        return row.counter(this);
    }

    /** A count net of another ({@code likes} net of unlikes) can go below zero: a signed column. */
    public boolean canBeNegative() {
        return netOf != null;
    }

    public boolean isColumn() {
        return inRow;
    }

    /** The ClickHouse column of content_metrics. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Java field of the accumulator and of the row. */
    public String field() {
        return field;
    }

    public Set<EventType> countedTypes() {
        return rule.types;
    }

    // ---- rules ----------------------------------------------------------------------------------

    /** Which event types add to a counter, and how much one such event adds. */
    private record Rule(Set<EventType> types, ToLongFunction<EngagementEvent> amount) {}

    private static Rule count(EventType type) {
        return new Rule(EnumSet.of(type), e -> 1);
    }

    private static Rule when(EventType type, Predicate<EngagementEvent> condition) {
        return when(EnumSet.of(type), condition);
    }

    private static Rule when(Set<EventType> types, Predicate<EngagementEvent> condition) {
        return new Rule(types, e -> condition.test(e) ? 1 : 0);
    }

    private static Rule sum(Set<EventType> types, java.util.function.Function<EngagementEvent, Long> value) {
        return new Rule(types, e -> {
            Long v = value.apply(e);
            return v == null ? 0 : v;
        });
    }

    private static Rule swipedAt(CompletionBucket bucket) {
        return when(SWIPE_AWAY, e -> swipeBucket(e) == bucket);
    }

    private static Rule viewFrom(java.util.function.Function<EngagementEvent, String> category, String value) {
        return when(VIEW_START, e -> category.apply(e).equals(value));
    }

    /** Where a swipe-away ended the play; without progress it counts as the start. */
    private static CompletionBucket swipeBucket(EngagementEvent e) {
        return CompletionBucket.of(e.progress == null ? 0.0 : e.progress);
    }

    private static String camelCase(String constant) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? c : Character.toLowerCase(c));
                upper = false;
            }
        }
        return sb.toString();
    }
}
