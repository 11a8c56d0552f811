package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.event.EngagementEvent;
import java.util.Locale;

/**
 * The categories of the view breakdowns (seed 002 ContentMetrics views, devices, platforms), counted by
 * the {@code VIEWS_*} constants of {@link ContentCounter}. Values are matched case-insensitively;
 * anything else, or a missing value, is {@link #OTHER}.
 */
final class ViewBreakdown {

    static final String ORGANIC = "organic";
    static final String OTHER = "other";

    private ViewBreakdown() {}

    /** Where the play started: for_you / foryou / feed count as the organic (for-you) feed. */
    static String source(EngagementEvent e) {
        return switch (lower(e.source)) {
            case "for_you", "foryou", "organic", "feed" -> ORGANIC;
            case "following" -> "following";
            case "profile" -> "profile";
            case "hashtag" -> "hashtag";
            case "search" -> "search";
            case "direct" -> "direct";
            default -> OTHER;
        };
    }

    static String device(EngagementEvent e) {
        return switch (lower(e.device)) {
            case "mobile", "phone" -> "mobile";
            case "tablet" -> "tablet";
            case "desktop" -> "desktop";
            case "tv" -> "tv";
            default -> OTHER;
        };
    }

    static String platform(EngagementEvent e) {
        return switch (lower(e.platform)) {
            case "ios" -> "ios";
            case "android" -> "android";
            case "web" -> "web";
            default -> OTHER;
        };
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
