package io.engagement.pipeline.event;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The dimensions an event is broken down by, bounded to fixed vocabularies when the event is
 * validated, so no client can open new keys: a country is an ISO 3166-1 alpha-2 code (upper case) or
 * {@value #UNKNOWN_COUNTRY}; a device, platform or source is one of the values below (lower case)
 * or {@value #OTHER}. A missing value stays missing. The country list ships with the job
 * ({@code iso-3166-1-alpha-2.txt}); the other vocabularies are those the view breakdowns count
 * (docs/events.md, docs/metrics.md).
 */
public final class Dimensions {

    public static final String UNKNOWN_COUNTRY = "unknown";
    public static final String OTHER = "other";

    static final Set<String> COUNTRIES = loadCountries();
    static final Set<String> DEVICES = Set.of("mobile", "phone", "tablet", "desktop", "tv");
    static final Set<String> PLATFORMS = Set.of("ios", "android", "web");
    /** for_you, foryou, feed and organic all mean the for-you feed (the view breakdowns' {@code organic}). */
    static final Set<String> SOURCES =
            Set.of("for_you", "foryou", "feed", "organic", "following", "profile", "hashtag", "search", "direct");

    private Dimensions() {}

    /** The ISO code of {@code country} in upper case, {@value #UNKNOWN_COUNTRY} for any other text, null for none. */
    public static String country(String country) {
        if (country == null) {
            return null;
        }
        String code = country.toUpperCase(Locale.ROOT);
        return COUNTRIES.contains(code) ? code : UNKNOWN_COUNTRY;
    }

    public static String device(String device) {
        return inVocabulary(device, DEVICES);
    }

    public static String platform(String platform) {
        return inVocabulary(platform, PLATFORMS);
    }

    public static String source(String source) {
        return inVocabulary(source, SOURCES);
    }

    /** Whether an accepted event's value of a dimension is outside its vocabulary (counted, see ValidateEvents). */
    public static boolean isOutside(String boundedValue) {
        return OTHER.equals(boundedValue) || UNKNOWN_COUNTRY.equals(boundedValue);
    }

    private static String inVocabulary(String value, Set<String> vocabulary) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return vocabulary.contains(lower) ? lower : OTHER;
    }

    private static Set<String> loadCountries() {
        Set<String> codes = new HashSet<>();
        try (InputStream in = Dimensions.class.getResourceAsStream("/iso-3166-1-alpha-2.txt")) {
            if (in == null) {
                throw new IllegalStateException("iso-3166-1-alpha-2.txt is missing from the job's classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    codes.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(codes);
    }
}
