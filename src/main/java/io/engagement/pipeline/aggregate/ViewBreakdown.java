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

    static void merge(ContentWindowAccumulator a, ContentWindowAccumulator b) {
        a.viewsOrganic += b.viewsOrganic;
        a.viewsFollowing += b.viewsFollowing;
        a.viewsProfile += b.viewsProfile;
        a.viewsHashtag += b.viewsHashtag;
        a.viewsSearch += b.viewsSearch;
        a.viewsDirect += b.viewsDirect;
        a.viewsOtherSource += b.viewsOtherSource;
        a.viewsMobile += b.viewsMobile;
        a.viewsTablet += b.viewsTablet;
        a.viewsDesktop += b.viewsDesktop;
        a.viewsTv += b.viewsTv;
        a.viewsOtherDevice += b.viewsOtherDevice;
        a.viewsIos += b.viewsIos;
        a.viewsAndroid += b.viewsAndroid;
        a.viewsWeb += b.viewsWeb;
        a.viewsOtherPlatform += b.viewsOtherPlatform;
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
