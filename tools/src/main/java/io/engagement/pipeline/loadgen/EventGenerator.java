package io.engagement.pipeline.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates realistic client traffic, deterministically for a given seed: Zipf-skewed content
 * popularity, creators owning several contents, sessions that play several contents, each play an
 * impression, a view start, progress heartbeats and a completion or a swipe-away, and engagement
 * actions at plausible rates. A configurable share of messages is out of order, late, retried
 * (duplicate event id) or malformed, as real clients produce.
 */
public final class EventGenerator {

    /** One Kafka message: key (content id, or null for garbage) and value. */
    public record Message(String key, String value) {}

    /** A message and the wall-clock time a client sends it (its event time, later if delayed). */
    public record Timed(long sendAtMs, Message message) {}

    public record Settings(
            int contents,
            int creators,
            int users,
            double zipfExponent,
            double outOfOrderFraction,
            double lateFraction,
            double duplicateFraction,
            double malformedFraction,
            long seed) {
        public static Settings defaults() {
            return new Settings(500, 50, 5_000, 1.1, 0.05, 0.01, 0.02, 0.005, 42);
        }
    }

    private static final String[] SOURCES = {
        "for_you", "for_you", "for_you", "following", "profile", "hashtag", "search", "direct"
    };
    private static final String[] DEVICES = {"mobile", "mobile", "mobile", "tablet", "desktop", "tv"};
    private static final String[] PLATFORMS = {"ios", "android", "android", "web"};
    private static final String[] COUNTRIES = {"US", "US", "BR", "IN", "GB", "DE", "FR", "JP", "MX", "ID"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Random random;
    private final double[] zipfCdf;
    private long eventSequence;
    private long sessionSequence;

    public EventGenerator(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.zipfCdf = zipfCdf(settings.contents(), settings.zipfExponent());
    }

    /** The messages of one viewing session starting at {@code startMs}, each with its send time. */
    public List<Timed> nextSession(long startMs) {
        List<Timed> out = new ArrayList<>();
        String user = "user-" + random.nextInt(settings.users());
        boolean anonymous = random.nextDouble() < 0.1;
        String session = "sess-" + settings.seed() + "-" + (sessionSequence++);
        String device = pick(DEVICES);
        String platform = pick(PLATFORMS);
        String country = pick(COUNTRIES);
        long t = startMs;
        int plays = 1 + random.nextInt(6);
        for (int p = 0; p < plays; p++) {
            int content = zipfContent();
            String contentId = "content-" + content;
            String creatorId = creatorOf(content);
            long durationMs = durationMsOf(content);
            String source = pick(SOURCES);
            // One install per user (an anonymous session's own): what a real app sends as device_id.
            String deviceId = "dev-" + (anonymous ? session : user);
            Base base = new Base(
                    contentId,
                    creatorId,
                    anonymous ? null : user,
                    session,
                    source,
                    device,
                    platform,
                    country,
                    deviceId);

            add(out, base.event("impression", t));
            t += 300 + random.nextInt(700);
            if (random.nextDouble() < 0.15) {
                continue; // scrolled past without playing
            }
            ObjectNode start = base.event("view_start", t);
            start.put("content_duration_ms", durationMs);
            start.put("is_rewatch", random.nextDouble() < 0.08);
            add(out, start);

            double watchedFraction = random.nextDouble() < 0.35 ? 1.0 : random.nextDouble();
            long watchedMs = (long) (durationMs * watchedFraction);
            long reported = 0;
            while (watchedMs - reported > 5_000) {
                reported += 5_000;
                ObjectNode progress = base.event("view_progress", t + reported);
                progress.put("watch_time_ms", 5_000);
                progress.put("progress", round((double) reported / durationMs));
                add(out, progress);
            }
            ObjectNode end = base.event(watchedFraction >= 1.0 ? "view_complete" : "swipe_away", t + watchedMs);
            end.put("watch_time_ms", watchedMs - reported);
            end.put("progress", round(watchedFraction));
            end.put("total_watch_time_ms", watchedMs);
            if (watchedFraction >= 1.0 && random.nextDouble() < 0.2) {
                end.put("loop_count", 1 + random.nextInt(3));
            }
            add(out, end);
            t += watchedMs;
            maybe(out, base, "like", 0.12, t);
            maybe(out, base, "comment", 0.03, t);
            maybe(out, base, "share", 0.02, t);
            maybe(out, base, "save", 0.03, t);
            maybe(out, base, "click", 0.04, t);
            maybe(out, base, "follow", 0.01, t);
            maybe(out, base, "not_interested", 0.01, t);
            maybe(out, base, "report", 0.002, t);
            t += 200 + random.nextInt(800);
        }
        return disorder(out);
    }

    private List<Timed> disorder(List<Timed> messages) {
        List<Timed> out = new ArrayList<>(messages.size() + 4);
        for (Timed m : messages) {
            if (random.nextDouble() < settings.outOfOrderFraction()) {
                m = new Timed(m.sendAtMs() + 1_000 + random.nextInt(20_000), m.message()); // delayed by the network
            }
            out.add(m);
            if (random.nextDouble() < settings.duplicateFraction()) {
                out.add(new Timed(m.sendAtMs() + 500 + random.nextInt(5_000), m.message())); // client retry
            }
            if (random.nextDouble() < settings.malformedFraction()) {
                out.add(new Timed(m.sendAtMs(), garbage()));
            }
        }
        return out;
    }

    /** An event from {@code ageMs} ago, as a client flushing an offline buffer would send. */
    /**
     * The content catalogue of the generated contents (what a platform's content service publishes
     * before anyone views them): owner and duration as the events claim them, keyed by content id.
     */
    public List<Message> catalogue() {
        List<Message> entries = new ArrayList<>(settings.contents());
        for (int content = 0; content < settings.contents(); content++) {
            ObjectNode e = JSON.createObjectNode();
            e.put("content_id", "content-" + content);
            e.put("creator_id", creatorOf(content));
            e.put("duration_ms", durationMsOf(content));
            e.put("category", CATEGORIES[content % CATEGORIES.length]);
            // Two hashtags and a sound per content, so trending by label has labels of every kind.
            e.putArray("hashtags")
                    .add(HASHTAGS[content % HASHTAGS.length])
                    .add(HASHTAGS[
                            (content + 1 + (content / HASHTAGS.length) % (HASHTAGS.length - 1)) % HASHTAGS.length]);
            e.put("sound_id", "sound-" + (content % SOUNDS));
            entries.add(new Message("content-" + content, e.toString()));
        }
        return entries;
    }

    private static final String[] CATEGORIES = {"music", "comedy", "sports", "education", "gaming", "food"};
    private static final String[] HASHTAGS = {"fyp", "dance", "recipe", "goal", "tutorial", "prank", "travel"};
    private static final int SOUNDS = 25;

    private String creatorOf(int content) {
        return "creator-" + (content % settings.creators());
    }

    private static long durationMsOf(int content) {
        return 5_000 + (content * 7_919L % 55_000);
    }

    public Message lateEvent(long nowMs, long ageMs) {
        int content = zipfContent();
        Base base = new Base(
                "content-" + content,
                creatorOf(content),
                "user-" + random.nextInt(settings.users()),
                "sess-late-" + (sessionSequence++),
                "for_you",
                "mobile",
                "ios",
                "US",
                null);
        ObjectNode e = base.event("view_start", nowMs - ageMs);
        return new Message(base.contentId, e.toString());
    }

    public boolean nextIsLate() {
        return random.nextDouble() < settings.lateFraction();
    }

    private Message garbage() {
        return switch (random.nextInt(4)) {
            case 0 -> new Message(null, "{\"event_id\": \"broken-" + (eventSequence++) + "\", \"event_type\": ");
            case 1 ->
                new Message(
                        null,
                        "{\"event_id\":\"g-" + (eventSequence++) + "\",\"event_type\":\"teleport\","
                                + "\"content_id\":\"content-1\",\"creator_id\":\"creator-1\",\"session_id\":\"s\",\"event_time\":0}");
            case 2 -> new Message(null, "{\"event_id\":\"g-" + (eventSequence++) + "\",\"event_type\":\"like\"}");
            default -> new Message(null, "not json at all");
        };
    }

    private void maybe(List<Timed> out, Base base, String type, double probability, long t) {
        if (random.nextDouble() < probability) {
            add(out, base.event(type, t + random.nextInt(1_000)));
        }
    }

    private void add(List<Timed> out, ObjectNode event) {
        out.add(new Timed(
                event.get("event_time").asLong(),
                new Message(event.get("content_id").asText(), event.toString())));
    }

    private int zipfContent() {
        double u = random.nextDouble();
        int lo = 0;
        int hi = zipfCdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipfCdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Fields shared by every event of one play. */
    private final class Base {
        final String contentId;
        final String creatorId;
        final String userId;
        final String sessionId;
        final String source;
        final String device;
        final String platform;
        final String country;
        final String deviceId;

        Base(
                String contentId,
                String creatorId,
                String userId,
                String sessionId,
                String source,
                String device,
                String platform,
                String country,
                String deviceId) {
            this.contentId = contentId;
            this.creatorId = creatorId;
            this.userId = userId;
            this.sessionId = sessionId;
            this.source = source;
            this.device = device;
            this.platform = platform;
            this.country = country;
            this.deviceId = deviceId;
        }

        ObjectNode event(String type, long timeMs) {
            ObjectNode e = JSON.createObjectNode();
            e.put("event_id", "evt-" + settings.seed() + "-" + (eventSequence++));
            e.put("event_type", type);
            e.put("content_id", contentId);
            e.put("creator_id", creatorId);
            if (userId != null) {
                e.put("user_id", userId);
            }
            e.put("session_id", sessionId);
            e.put("event_time", timeMs);
            e.put("source", source);
            e.put("device", device);
            e.put("platform", platform);
            e.put("country", country);
            if (deviceId != null) {
                e.put("device_id", deviceId);
            }
            return e;
        }
    }
}
