package io.engagement.pipeline.velocity;

/**
 * Velocity of one content as of the end of an hour (seed 002 velocity and trend): one row of
 * ClickHouse table {@code content_velocity} and a {@code content_velocity} message on the feedback topic.
 */
public class ContentVelocity {
    public String contentId;
    public String creatorId;
    /** End of the last hour included, epoch ms. */
    public long asOfMs;
    /** Grows with every emission for the content (late updates re-emit the same asOf), for upserts. */
    public long version;

    public long viewsLast24h;
    public long viewsPrevious24h;
    public long engagementsLast24h;
    public long sharesLast24h;
    public double viewsPerHour;
    public double engagementPerHour;
    public double sharesPerHour;
    /** rising, stable or declining. */
    public String trend;

    public boolean trending;
    public double peakViewsPerHour;
    public long peakAtMs;

    public ContentVelocity() {}

    @Override
    public String toString() {
        return "ContentVelocity{" + contentId + " asOf=" + asOfMs + " v" + version + " vph=" + viewsPerHour + ' '
                + trend + '}';
    }
}
