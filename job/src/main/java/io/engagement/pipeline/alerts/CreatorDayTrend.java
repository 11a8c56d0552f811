package io.engagement.pipeline.alerts;

/**
 * A creator's typical day of views: the mean of the first {@link #WARM_UP_DAYS} days, then an exponentially
 * weighted mean with a week's memory; the state of {@link CreatorDayAlerts}. Days without a creator row
 * count as zero. A day that raises an alert is not learned from, so one extraordinary day does not move
 * the norm the next is measured against. Each day is judged on its own: two breaching days, two alerts.
 */
public class CreatorDayTrend {
    public static final int WARM_UP_DAYS = 7;
    private static final double ALPHA = 1.0 / WARM_UP_DAYS;

    public double typical;
    public long daysSeen;
    /** The last day stepped (epoch day). */
    public long lastDay;

    public CreatorDayTrend() {}

    static CreatorDayTrend startingAt(long day) {
        CreatorDayTrend trend = new CreatorDayTrend();
        trend.lastDay = day - 1;
        return trend;
    }

    /** Steps the days up to {@code day} (those in between with no views); the alert kind {@code day} raises, or null. */
    String advanceTo(long day, long views, AlertRules rules) {
        for (long d = lastDay + 1; d < day && d <= lastDay + 2L * WARM_UP_DAYS; d++) {
            learn(0); // days without views: learned from, never alerted on (there is no row to say so)
        }
        lastDay = day;
        String raised = null;
        if (daysSeen >= WARM_UP_DAYS) {
            if (views >= rules.minCreatorDayViews() && views >= typical * rules.creatorDayFactor()) {
                raised = CreatorAlert.DAY_HIGH;
            } else if (typical >= rules.minCreatorDayViews() && views <= typical / rules.creatorDayFactor()) {
                raised = CreatorAlert.DAY_LOW;
            }
        }
        if (raised == null) {
            learn(views);
        } else {
            daysSeen++;
        }
        return raised;
    }

    private void learn(long views) {
        if (daysSeen < WARM_UP_DAYS) {
            typical += (views - typical) / (daysSeen + 1);
        } else {
            typical += ALPHA * (views - typical);
        }
        daysSeen++;
    }
}
