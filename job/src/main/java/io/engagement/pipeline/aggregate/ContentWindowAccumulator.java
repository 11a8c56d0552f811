package io.engagement.pipeline.aggregate;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Running counters of one content in one window, in window state (RocksDB) and in every partial,
 * written by {@link ContentWindowAccumulatorSerializer} (earlier releases: Flink's POJO serializer;
 * their state migrates on restore). Counters are plain event counts; every derived metric is computed from them by
 * {@link io.engagement.pipeline.metrics.EngagementFormulas} when the window fires.
 */
@TypeInfo(ContentWindowAccumulator.TypeInfoFactory.class)
public class ContentWindowAccumulator {
    /** First creator id seen for the content (creators do not change for a content). */
    public String creatorId;

    public long impressions;
    public long views;
    public long rewatches;
    public long watchTimeMs;
    public long completions;
    /** Plays that ended with a swipe-away, by how far they got (full plays are {@link #completions}). */
    public long endedOver75;

    public long endedOver50;
    public long endedOver25;
    public long endedUnder25;
    public long skips;
    /** Every swipe_away, including those at the very end (which count as completions, not skips). */
    public long swipedAway;
    /** Sum of loop_count over plays that ended in the window. */
    public long loopPlays;

    public long likes;
    public long unlikes;
    public long comments;
    public long shares;
    public long saves;
    public long unsaves;
    public long clicks;
    public long follows;
    public long unfollows;

    public long notInterested;
    public long reports;
    public long hides;

    /** Views by where the play started (seed 002 views.*): for_you/organic, following, ... */
    public long viewsOrganic;

    public long viewsFollowing;
    public long viewsProfile;
    public long viewsHashtag;
    public long viewsSearch;
    public long viewsDirect;
    public long viewsOtherSource;
    /** Views by device (seed 002 devices) and platform (seed 002 platforms). */
    public long viewsMobile;

    public long viewsTablet;
    public long viewsDesktop;
    public long viewsTv;
    public long viewsOtherDevice;
    public long viewsIos;
    public long viewsAndroid;
    public long viewsWeb;
    public long viewsOtherPlatform;

    /** Events folded (ContentCounter.EVENTS); with the two below, added after release v1 (0 in older state). */
    public long events;

    public long creatorMismatches;
    public long uncataloguedEvents;
    /** Validated views, and the completions and watch time of validated plays (ContentCounter.VALIDATED_*); 0 in older state. */
    public long validatedViews;

    public long validatedCompletions;
    public long validatedWatchTimeMs;

    /**
     * How far each play that ended got, for plays without a reported total watch time, while a
     * partial waits for the catalogue's duration (null otherwise, and always in window state).
     */
    public double[] pendingPlayProgress;
    /** How many of {@code pendingPlayProgress} are plays (the array grows by doubling, so a fold is amortised O(1)). */
    public int pendingPlays;

    public UniqueViewerSketch viewers = new UniqueViewerSketch();
    /** Watch time of each play that ended in the window, for the median. */
    public WatchTimeSketch playWatchTimes = new WatchTimeSketch();

    public ContentWindowAccumulator() {}

    /** Window state and partials are written by {@link ContentWindowAccumulatorSerializer}, not as a POJO. */
    public static final class TypeInfoFactory
            extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<ContentWindowAccumulator> {
        @Override
        public org.apache.flink.api.common.typeinfo.TypeInformation<ContentWindowAccumulator> createTypeInfo(
                java.lang.reflect.Type t,
                java.util.Map<String, org.apache.flink.api.common.typeinfo.TypeInformation<?>> genericParameters) {
            return new io.engagement.pipeline.serde.SerializerTypeInfo<>(
                    ContentWindowAccumulator.class, ContentWindowAccumulatorSerializer::new);
        }
    }

    /**
     * Adds {@code sign} times every counter of {@code o} to this one's: the merge, delta and copy
     * of windows. Field by field, straight-line, not through {@link #counter} per counter: that
     * switch, called for every counter of every merge, was the largest self cost of the TaskManager
     * (docs/benchmarks.md, issue 20, twelfth session). {@code ContentWindowAccumulatorTest} checks that
     * it adds every counter, against {@link #counter}.
     */
    void addCounters(ContentWindowAccumulator o, long sign) {
        impressions += sign * o.impressions;
        views += sign * o.views;
        rewatches += sign * o.rewatches;
        watchTimeMs += sign * o.watchTimeMs;
        completions += sign * o.completions;
        endedOver75 += sign * o.endedOver75;
        endedOver50 += sign * o.endedOver50;
        endedOver25 += sign * o.endedOver25;
        endedUnder25 += sign * o.endedUnder25;
        skips += sign * o.skips;
        swipedAway += sign * o.swipedAway;
        loopPlays += sign * o.loopPlays;
        likes += sign * o.likes;
        unlikes += sign * o.unlikes;
        comments += sign * o.comments;
        shares += sign * o.shares;
        saves += sign * o.saves;
        unsaves += sign * o.unsaves;
        clicks += sign * o.clicks;
        follows += sign * o.follows;
        unfollows += sign * o.unfollows;
        notInterested += sign * o.notInterested;
        reports += sign * o.reports;
        hides += sign * o.hides;
        viewsOrganic += sign * o.viewsOrganic;
        viewsFollowing += sign * o.viewsFollowing;
        viewsProfile += sign * o.viewsProfile;
        viewsHashtag += sign * o.viewsHashtag;
        viewsSearch += sign * o.viewsSearch;
        viewsDirect += sign * o.viewsDirect;
        viewsOtherSource += sign * o.viewsOtherSource;
        viewsMobile += sign * o.viewsMobile;
        viewsTablet += sign * o.viewsTablet;
        viewsDesktop += sign * o.viewsDesktop;
        viewsTv += sign * o.viewsTv;
        viewsOtherDevice += sign * o.viewsOtherDevice;
        viewsIos += sign * o.viewsIos;
        viewsAndroid += sign * o.viewsAndroid;
        viewsWeb += sign * o.viewsWeb;
        viewsOtherPlatform += sign * o.viewsOtherPlatform;
        events += sign * o.events;
        creatorMismatches += sign * o.creatorMismatches;
        uncataloguedEvents += sign * o.uncataloguedEvents;
        validatedViews += sign * o.validatedViews;
        validatedCompletions += sign * o.validatedCompletions;
        validatedWatchTimeMs += sign * o.validatedWatchTimeMs;
    }

    /**
     * Every counter, in {@link ContentCounter} order (the state format of {@link
     * Content        out.writeLong(impressions);
     * out.writeLong(views);
     * out.writeLong(rewatches);
     * out.writeLong(watchTimeMs);
     * out.writeLong(completions);
     * out.writeLong(endedOver75);
     * out.writeLong(endedOver50);
     * out.writeLong(endedOver25);
     * out.writeLong(endedUnder25);
     * out.writeLong(skips);
     * out.writeLong(swipedAway);
     * out.writeLong(loopPlays);
     * out.writeLong(unlikes);
     * out.writeLong(likes);
     * out.writeLong(comments);
     * out.writeLong(shares);
     * out.writeLong(unsaves);
     * out.writeLong(saves);
     * out.writeLong(clicks);
     * out.writeLong(follows);
     * out.writeLong(unfollows);
     * out.writeLong(notInterested);
     * out.writeLong(reports);
     * out.writeLong(hides);
     * out.writeLong(viewsOrganic);
     * out.writeLong(viewsFollowing);
     * out.writeLong(viewsProfile);
     * out.writeLong(viewsHashtag);
     * out.writeLong(viewsSearch);
     * out.writeLong(viewsDirect);
     * out.writeLong(viewsOtherSource);
     * out.writeLong(viewsMobile);
     * out.writeLong(viewsTablet);
     * out.writeLong(viewsDesktop);
     * out.writeLong(viewsTv);
     * out.writeLong(viewsOtherDevice);
     * out.writeLong(viewsIos);
     * out.writeLong(viewsAndroid);
     * out.writeLong(viewsWeb);
     * out.writeLong(viewsOtherPlatform);
     * out.writeLong(events);
     * out.writeLong(creatorMismatches);
     * out.writeLong(uncataloguedEvents);
     * out.writeLong(validatedViews);
     * out.writeLong(validatedCompletions);
     * out.writeLong(validatedWatchTimeMs);indowAccumulatorSerializer}), straight-line for the reason {@link #addCounters} is;
     * {@code Content        out.writeLong(impressions);
     * out.writeLong(views);
     * out.writeLong(rewatches);
     * out.writeLong(watchTimeMs);
     * out.writeLong(completions);
     * out.writeLong(endedOver75);
     * out.writeLong(endedOver50);
     * out.writeLong(endedOver25);
     * out.writeLong(endedUnder25);
     * out.writeLong(skips);
     * out.writeLong(swipedAway);
     * out.writeLong(loopPlays);
     * out.writeLong(unlikes);
     * out.writeLong(likes);
     * out.writeLong(comments);
     * out.writeLong(shares);
     * out.writeLong(unsaves);
     * out.writeLong(saves);
     * out.writeLong(clicks);
     * out.writeLong(follows);
     * out.writeLong(unfollows);
     * out.writeLong(notInterested);
     * out.writeLong(reports);
     * out.writeLong(hides);
     * out.writeLong(viewsOrganic);
     * out.writeLong(viewsFollowing);
     * out.writeLong(viewsProfile);
     * out.writeLong(viewsHashtag);
     * out.writeLong(viewsSearch);
     * out.writeLong(viewsDirect);
     * out.writeLong(viewsOtherSource);
     * out.writeLong(viewsMobile);
     * out.writeLong(viewsTablet);
     * out.writeLong(viewsDesktop);
     * out.writeLong(viewsTv);
     * out.writeLong(viewsOtherDevice);
     * out.writeLong(viewsIos);
     * out.writeLong(viewsAndroid);
     * out.writeLong(viewsWeb);
     * out.writeLong(viewsOtherPlatform);
     * out.writeLong(events);
     * out.writeLong(creatorMismatches);
     * out.writeLong(uncataloguedEvents);
     * out.writeLong(validatedViews);
     * out.writeLong(validatedCompletions);
     * out.writeLong(validatedWatchTimeMs);indowAccumulatorTest} checks the order against {@link #counter}.
     */
    void writeCounters(org.apache.flink.core.memory.DataOutputView out) throws java.io.IOException {
        out.writeLong(impressions);
        out.writeLong(views);
        out.writeLong(rewatches);
        out.writeLong(watchTimeMs);
        out.writeLong(completions);
        out.writeLong(endedOver75);
        out.writeLong(endedOver50);
        out.writeLong(endedOver25);
        out.writeLong(endedUnder25);
        out.writeLong(skips);
        out.writeLong(swipedAway);
        out.writeLong(loopPlays);
        out.writeLong(unlikes);
        out.writeLong(likes);
        out.writeLong(comments);
        out.writeLong(shares);
        out.writeLong(unsaves);
        out.writeLong(saves);
        out.writeLong(clicks);
        out.writeLong(follows);
        out.writeLong(unfollows);
        out.writeLong(notInterested);
        out.writeLong(reports);
        out.writeLong(hides);
        out.writeLong(viewsOrganic);
        out.writeLong(viewsFollowing);
        out.writeLong(viewsProfile);
        out.writeLong(viewsHashtag);
        out.writeLong(viewsSearch);
        out.writeLong(viewsDirect);
        out.writeLong(viewsOtherSource);
        out.writeLong(viewsMobile);
        out.writeLong(viewsTablet);
        out.writeLong(viewsDesktop);
        out.writeLong(viewsTv);
        out.writeLong(viewsOtherDevice);
        out.writeLong(viewsIos);
        out.writeLong(viewsAndroid);
        out.writeLong(viewsWeb);
        out.writeLong(viewsOtherPlatform);
        out.writeLong(events);
        out.writeLong(creatorMismatches);
        out.writeLong(uncataloguedEvents);
        out.writeLong(validatedViews);
        out.writeLong(validatedCompletions);
        out.writeLong(validatedWatchTimeMs);
    }

    /** Every counter, in {@link ContentCounter} order: what {@link #writeCounters} wrote. */
    void readCounters(org.apache.flink.core.memory.DataInputView in) throws java.io.IOException {
        impressions = in.readLong();
        views = in.readLong();
        rewatches = in.readLong();
        watchTimeMs = in.readLong();
        completions = in.readLong();
        endedOver75 = in.readLong();
        endedOver50 = in.readLong();
        endedOver25 = in.readLong();
        endedUnder25 = in.readLong();
        skips = in.readLong();
        swipedAway = in.readLong();
        loopPlays = in.readLong();
        unlikes = in.readLong();
        likes = in.readLong();
        comments = in.readLong();
        shares = in.readLong();
        unsaves = in.readLong();
        saves = in.readLong();
        clicks = in.readLong();
        follows = in.readLong();
        unfollows = in.readLong();
        notInterested = in.readLong();
        reports = in.readLong();
        hides = in.readLong();
        viewsOrganic = in.readLong();
        viewsFollowing = in.readLong();
        viewsProfile = in.readLong();
        viewsHashtag = in.readLong();
        viewsSearch = in.readLong();
        viewsDirect = in.readLong();
        viewsOtherSource = in.readLong();
        viewsMobile = in.readLong();
        viewsTablet = in.readLong();
        viewsDesktop = in.readLong();
        viewsTv = in.readLong();
        viewsOtherDevice = in.readLong();
        viewsIos = in.readLong();
        viewsAndroid = in.readLong();
        viewsWeb = in.readLong();
        viewsOtherPlatform = in.readLong();
        events = in.readLong();
        creatorMismatches = in.readLong();
        uncataloguedEvents = in.readLong();
        validatedViews = in.readLong();
        validatedCompletions = in.readLong();
        validatedWatchTimeMs = in.readLong();
    }

    /**
     * The value of {@code counter}. A switch over the enum, which the compiler checks for every
     * counter, instead of a reflective handle per counter: merges run these for every counter of
     * every partial and delta, and a handle held in a field is not inlined (docs/benchmarks.md).
     * {@code ContentCounterTest} checks each case against the field the counter names.
     */
    public long counter(ContentCounter counter) {
        return switch (counter) {
            case IMPRESSIONS -> impressions;
            case VIEWS -> views;
            case REWATCHES -> rewatches;
            case WATCH_TIME_MS -> watchTimeMs;
            case COMPLETIONS -> completions;
            case ENDED_OVER_75 -> endedOver75;
            case ENDED_OVER_50 -> endedOver50;
            case ENDED_OVER_25 -> endedOver25;
            case ENDED_UNDER_25 -> endedUnder25;
            case SKIPS -> skips;
            case SWIPED_AWAY -> swipedAway;
            case LOOP_PLAYS -> loopPlays;
            case UNLIKES -> unlikes;
            case LIKES -> likes;
            case COMMENTS -> comments;
            case SHARES -> shares;
            case UNSAVES -> unsaves;
            case SAVES -> saves;
            case CLICKS -> clicks;
            case FOLLOWS -> follows;
            case UNFOLLOWS -> unfollows;
            case NOT_INTERESTED -> notInterested;
            case REPORTS -> reports;
            case HIDES -> hides;
            case VIEWS_ORGANIC -> viewsOrganic;
            case VIEWS_FOLLOWING -> viewsFollowing;
            case VIEWS_PROFILE -> viewsProfile;
            case VIEWS_HASHTAG -> viewsHashtag;
            case VIEWS_SEARCH -> viewsSearch;
            case VIEWS_DIRECT -> viewsDirect;
            case VIEWS_OTHER_SOURCE -> viewsOtherSource;
            case VIEWS_MOBILE -> viewsMobile;
            case VIEWS_TABLET -> viewsTablet;
            case VIEWS_DESKTOP -> viewsDesktop;
            case VIEWS_TV -> viewsTv;
            case VIEWS_OTHER_DEVICE -> viewsOtherDevice;
            case VIEWS_IOS -> viewsIos;
            case VIEWS_ANDROID -> viewsAndroid;
            case VIEWS_WEB -> viewsWeb;
            case VIEWS_OTHER_PLATFORM -> viewsOtherPlatform;
            case EVENTS -> events;
            case CREATOR_MISMATCHES -> creatorMismatches;
            case UNCATALOGUED_EVENTS -> uncataloguedEvents;
            case VALIDATED_VIEWS -> validatedViews;
            case VALIDATED_COMPLETIONS -> validatedCompletions;
            case VALIDATED_WATCH_TIME_MS -> validatedWatchTimeMs;
        };
    }

    /** Sets {@code counter} (as {@link #counter}, checked the same way). */
    void setCounter(ContentCounter counter, long value) {
        long unused = switch (counter) {
            case IMPRESSIONS -> impressions = value;
            case VIEWS -> views = value;
            case REWATCHES -> rewatches = value;
            case WATCH_TIME_MS -> watchTimeMs = value;
            case COMPLETIONS -> completions = value;
            case ENDED_OVER_75 -> endedOver75 = value;
            case ENDED_OVER_50 -> endedOver50 = value;
            case ENDED_OVER_25 -> endedOver25 = value;
            case ENDED_UNDER_25 -> endedUnder25 = value;
            case SKIPS -> skips = value;
            case SWIPED_AWAY -> swipedAway = value;
            case LOOP_PLAYS -> loopPlays = value;
            case UNLIKES -> unlikes = value;
            case LIKES -> likes = value;
            case COMMENTS -> comments = value;
            case SHARES -> shares = value;
            case UNSAVES -> unsaves = value;
            case SAVES -> saves = value;
            case CLICKS -> clicks = value;
            case FOLLOWS -> follows = value;
            case UNFOLLOWS -> unfollows = value;
            case NOT_INTERESTED -> notInterested = value;
            case REPORTS -> reports = value;
            case HIDES -> hides = value;
            case VIEWS_ORGANIC -> viewsOrganic = value;
            case VIEWS_FOLLOWING -> viewsFollowing = value;
            case VIEWS_PROFILE -> viewsProfile = value;
            case VIEWS_HASHTAG -> viewsHashtag = value;
            case VIEWS_SEARCH -> viewsSearch = value;
            case VIEWS_DIRECT -> viewsDirect = value;
            case VIEWS_OTHER_SOURCE -> viewsOtherSource = value;
            case VIEWS_MOBILE -> viewsMobile = value;
            case VIEWS_TABLET -> viewsTablet = value;
            case VIEWS_DESKTOP -> viewsDesktop = value;
            case VIEWS_TV -> viewsTv = value;
            case VIEWS_OTHER_DEVICE -> viewsOtherDevice = value;
            case VIEWS_IOS -> viewsIos = value;
            case VIEWS_ANDROID -> viewsAndroid = value;
            case VIEWS_WEB -> viewsWeb = value;
            case VIEWS_OTHER_PLATFORM -> viewsOtherPlatform = value;
            case EVENTS -> events = value;
            case CREATOR_MISMATCHES -> creatorMismatches = value;
            case UNCATALOGUED_EVENTS -> uncataloguedEvents = value;
            case VALIDATED_VIEWS -> validatedViews = value;
            case VALIDATED_COMPLETIONS -> validatedCompletions = value;
            case VALIDATED_WATCH_TIME_MS -> validatedWatchTimeMs = value;
        };
    }
}
