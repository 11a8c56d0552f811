package io.engagement.pipeline.alerts;

/**
 * One alert for a creator (issue 24, seed 004 7.3): a content far above or below its typical minute,
 * or a creator's day far off its typical day. One message on the alerts topic (key: the creator) and
 * one row of ClickHouse table {@code creator_alerts}.
 *
 * <p>{@link #alertId} is derived from what raised the alert (kind, content or creator, the minute or
 * day that breached), so a replay after a restore raises the same id: the topic is written in Kafka
 * transactions (one message per alert for a read_committed reader), and the table keeps one row per id.
 */
public class CreatorAlert {
    /** A content's minute at least {@code alerts.spike-factor} times its typical minute. */
    public static final String SPIKE = "spike";
    /** A content's last minutes at most 1/{@code alerts.drop-factor} of their typical total. */
    public static final String DROP = "drop";
    /** A creator's day at least {@code alerts.creator-day-factor} times its typical day. */
    public static final String DAY_HIGH = "day_high";
    /** A creator's day at most 1/{@code alerts.creator-day-factor} of its typical day. */
    public static final String DAY_LOW = "day_low";

    public String alertId;
    public String kind;
    public String creatorId;
    /** Empty for the creator's day rules. */
    public String contentId;
    /** The span the rule looked at: the minute of a spike, the last minutes of a drop, the day. */
    public long windowStartMs;

    public long windowEndMs;
    /** Views in that span. */
    public long observedViews;
    /** What the span would typically have had (the baseline times the span's length). */
    public double typicalViews;
    /** Wall clock when the job raised it (a replay keeps the first raise's row in the table). */
    public long raisedAtMs;

    public CreatorAlert() {}

    static CreatorAlert of(
            String kind,
            String creatorId,
            String contentId,
            long windowStartMs,
            long windowEndMs,
            long observedViews,
            double typicalViews) {
        CreatorAlert alert = new CreatorAlert();
        alert.kind = kind;
        alert.creatorId = creatorId == null ? "" : creatorId;
        alert.contentId = contentId == null ? "" : contentId;
        alert.windowStartMs = windowStartMs;
        alert.windowEndMs = windowEndMs;
        alert.observedViews = observedViews;
        alert.typicalViews = typicalViews;
        alert.alertId = kind
                + ':'
                + (contentId == null || contentId.isEmpty() ? alert.creatorId : contentId)
                + ':'
                + windowEndMs;
        alert.raisedAtMs = System.currentTimeMillis();
        return alert;
    }

    @Override
    public String toString() {
        return "CreatorAlert{" + alertId + " creator=" + creatorId + " observed=" + observedViews + " typical="
                + typicalViews + '}';
    }
}
