package io.engagement.pipeline.velocity;

/** One hour of one content, as the velocity tracker keeps it: the hourly window's counters. */
public class HourCounts {
    public long views;
    /** likes + comments + shares, the engagement of seed 002's engagement rate. */
    public long engagements;

    public long shares;

    public HourCounts() {}

    public HourCounts(long views, long engagements, long shares) {
        this.views = views;
        this.engagements = engagements;
        this.shares = shares;
    }
}
