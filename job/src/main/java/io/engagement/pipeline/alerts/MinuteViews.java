package io.engagement.pipeline.alerts;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.WindowFirings;

/** What the alert rules read of a content's closed minute: the slim record between the minute windows and {@link ContentAlerts}. */
public class MinuteViews {
    public String contentId;
    public String creatorId;
    public long windowStartMs;
    public long views;

    public MinuteViews() {}

    /** The minute's first final firing only: a provisional row is not a closed minute, a late update not a new one. */
    public static boolean isFirstClosing(ContentMetrics minute) {
        return WindowFirings.isFirstClosing(minute.provisional, minute.version);
    }

    public static MinuteViews of(ContentMetrics minute) {
        MinuteViews views = new MinuteViews();
        views.contentId = minute.contentId;
        views.creatorId = minute.creatorId;
        views.windowStartMs = minute.windowStartMs;
        views.views = minute.views;
        return views;
    }
}
