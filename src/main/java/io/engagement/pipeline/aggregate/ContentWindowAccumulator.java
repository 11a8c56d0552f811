package io.engagement.pipeline.aggregate;

/**
 * Running counters of one content in one window. A Flink POJO so RocksDB state is serialized by the
 * PojoSerializer. Counters are plain event counts; every derived metric is computed from them by
 * {@link io.engagement.pipeline.metrics.EngagementFormulas} when the window fires.
 */
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
}
