package io.engagement.pipeline.session;

import io.engagement.pipeline.aggregate.UniqueViewerSketch;

/** Running counters of one viewing session (a Flink POJO, merged when two sessions merge). */
public class SessionAccumulator {
    public String userId;
    public long firstEventMs = Long.MAX_VALUE;
    public long lastEventMs = Long.MIN_VALUE;
    public long events;
    public long views;
    public long completions;
    public long likes;
    public long comments;
    public long shares;
    public long saves;
    public long clicks;
    public long watchTimeMs;
    /** Distinct contents with a view in the session (the same distinct counter as unique viewers). */
    public UniqueViewerSketch contentsViewed = new UniqueViewerSketch();

    public SessionAccumulator() {}
}
