package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.event.EngagementEvent;

import java.util.Locale;

/**
 * Views by source, device and platform (seed 002 ContentMetrics views, devices, platforms). Values
 * are matched case-insensitively; anything else, or a missing value, counts as "other".
 */
final class ViewBreakdown {

    private ViewBreakdown() {}

    static void count(ContentWindowAccumulator acc, EngagementEvent e) {
        switch (lower(e.source)) {
            case "for_you", "foryou", "organic", "feed" -> acc.viewsOrganic++;
            case "following" -> acc.viewsFollowing++;
            case "profile" -> acc.viewsProfile++;
            case "hashtag" -> acc.viewsHashtag++;
            case "search" -> acc.viewsSearch++;
            case "direct" -> acc.viewsDirect++;
            default -> acc.viewsOtherSource++;
        }
        switch (lower(e.device)) {
            case "mobile", "phone" -> acc.viewsMobile++;
            case "tablet" -> acc.viewsTablet++;
            case "desktop" -> acc.viewsDesktop++;
            case "tv" -> acc.viewsTv++;
            default -> acc.viewsOtherDevice++;
        }
        switch (lower(e.platform)) {
            case "ios" -> acc.viewsIos++;
            case "android" -> acc.viewsAndroid++;
            case "web" -> acc.viewsWeb++;
            default -> acc.viewsOtherPlatform++;
        }
    }

    /** Adds {@code sign} times b's view breakdown to a's (sign -1 subtracts). */
    static void add(ContentWindowAccumulator a, ContentWindowAccumulator b, long sign) {
        a.viewsOrganic += sign * b.viewsOrganic;
        a.viewsFollowing += sign * b.viewsFollowing;
        a.viewsProfile += sign * b.viewsProfile;
        a.viewsHashtag += sign * b.viewsHashtag;
        a.viewsSearch += sign * b.viewsSearch;
        a.viewsDirect += sign * b.viewsDirect;
        a.viewsOtherSource += sign * b.viewsOtherSource;
        a.viewsMobile += sign * b.viewsMobile;
        a.viewsTablet += sign * b.viewsTablet;
        a.viewsDesktop += sign * b.viewsDesktop;
        a.viewsTv += sign * b.viewsTv;
        a.viewsOtherDevice += sign * b.viewsOtherDevice;
        a.viewsIos += sign * b.viewsIos;
        a.viewsAndroid += sign * b.viewsAndroid;
        a.viewsWeb += sign * b.viewsWeb;
        a.viewsOtherPlatform += sign * b.viewsOtherPlatform;
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
