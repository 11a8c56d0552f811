package io.engagement.pipeline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An independent, deliberately naive reference for the window counters: parses every produced
 * message with plain Jackson, keeps the first occurrence of each valid event id, and counts per
 * (grain, content, window). Shares no code with the job, so a bug in the job cannot hide in it.
 */
public final class ReferenceAggregation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_TYPES = Set.of(
            "impression",
            "view_start",
            "view",
            "view_progress",
            "view_complete",
            "complete",
            "completion",
            "swipe_away",
            "skip",
            "pause",
            "resume",
            "seek",
            "like",
            "unlike",
            "comment",
            "share",
            "save",
            "unsave",
            "report",
            "not_interested",
            "hide",
            "follow",
            "unfollow",
            "click");
    private static final DateTimeFormatter CH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long WEEK = 7 * DAY;
    private static final long MONDAY_OFFSET = 4 * DAY;

    /** Counters of one window, in the column order of {@link #COLUMNS}. */
    public static final String COLUMNS =
            "impressions, views, unique_viewers, watch_time_ms, completions, skips, likes, shares, saves, clicks";

    /** Creator roll-ups (hour, day, week), in the column order of {@link #CREATOR_COLUMNS}. */
    public static final String CREATOR_COLUMNS = "contents, views, unique_viewers, completions";

    public final Map<String, long[]> windows = new TreeMap<>();
    public final Map<String, Set<String>> viewers = new TreeMap<>();
    public final Map<String, long[]> creatorWindows = new TreeMap<>();
    private final Map<String, Set<String>> creatorContents = new TreeMap<>();
    private final Map<String, Set<String>> creatorViewers = new TreeMap<>();
    public long accepted;
    public long invalid;
    public long duplicates;

    public static ReferenceAggregation of(List<String> messages, Set<String> excludedContents) {
        ReferenceAggregation ref = new ReferenceAggregation();
        Set<String> seen = new HashSet<>();
        for (String message : messages) {
            JsonNode e = parse(message);
            if (e == null) {
                ref.invalid++;
                continue;
            }
            if (!seen.add(e.get("event_id").asText())) {
                ref.duplicates++;
                continue;
            }
            ref.accepted++;
            if (!excludedContents.contains(e.get("content_id").asText())) {
                ref.add(e);
            }
        }
        return ref;
    }

    private static JsonNode parse(String message) {
        JsonNode e;
        try {
            e = JSON.readTree(message);
        } catch (Exception notJson) {
            return null;
        }
        if (e == null || !e.isObject()) {
            return null;
        }
        for (String field : List.of("event_id", "event_type", "content_id", "creator_id", "session_id", "event_time")) {
            if (!e.hasNonNull(field)) {
                return null;
            }
        }
        return KNOWN_TYPES.contains(e.get("event_type").asText()) ? e : null;
    }

    private void add(JsonNode e) {
        long t = e.get("event_time").asLong();
        String content = e.get("content_id").asText();
        String type = e.get("event_type").asText();
        String viewer = e.hasNonNull("user_id")
                ? "u" + e.get("user_id").asText()
                : "s" + e.get("session_id").asText();
        Map<String, Long> starts = new LinkedHashMap<>();
        starts.put("minute", t - Math.floorMod(t, MINUTE));
        starts.put("hour", t - Math.floorMod(t, HOUR));
        starts.put("day", t - Math.floorMod(t, DAY));
        starts.put("week", t - Math.floorMod(t - MONDAY_OFFSET, WEEK));
        for (Map.Entry<String, Long> s : starts.entrySet()) {
            String windowStart = LocalDateTime.ofInstant(Instant.ofEpochMilli(s.getValue()), ZoneOffset.UTC)
                    .format(CH_TIME);
            String key = s.getKey() + "\t" + content + "\t" + windowStart;
            if (!s.getKey().equals("minute")) {
                addToCreator(
                        s.getKey() + "\t" + e.get("creator_id").asText() + "\t" + windowStart,
                        content,
                        type,
                        viewer,
                        e);
            }
            long[] c = windows.computeIfAbsent(key, k -> new long[10]);
            switch (type) {
                case "impression" -> c[0]++;
                case "view_start", "view" -> {
                    c[1]++;
                    viewers.computeIfAbsent(key, k -> new HashSet<>()).add(viewer);
                    c[2] = viewers.get(key).size();
                }
                case "view_complete", "complete", "completion" -> c[4]++;
                case "swipe_away", "skip" -> {
                    if (e.path("progress").asDouble(0) >= 1.0) {
                        c[4]++; // a swipe at the very end is a full play, not a skip
                    } else {
                        c[5]++;
                    }
                }
                case "like" -> c[6]++;
                case "unlike" -> c[6]--;
                case "share" -> c[7]++;
                case "save" -> c[8]++;
                case "unsave" -> c[8]--;
                case "click" -> c[9]++;
                default -> {}
            }
            if (e.hasNonNull("watch_time_ms")) {
                c[3] += e.get("watch_time_ms").asLong();
            }
        }
    }

    private void addToCreator(String key, String content, String type, String viewer, JsonNode e) {
        long[] c = creatorWindows.computeIfAbsent(key, k -> new long[4]);
        creatorContents.computeIfAbsent(key, k -> new HashSet<>()).add(content);
        c[0] = creatorContents.get(key).size();
        switch (type) {
            case "view_start", "view" -> {
                c[1]++;
                creatorViewers.computeIfAbsent(key, k -> new HashSet<>()).add(viewer);
                c[2] = creatorViewers.get(key).size();
            }
            case "view_complete", "complete", "completion" -> c[3]++;
            case "swipe_away", "skip" -> {
                if (e.path("progress").asDouble(0) >= 1.0) {
                    c[3]++;
                }
            }
            default -> {}
        }
    }

    /** Creator rows as ClickHouse prints {@code SELECT grain, creator_id, window_start, CREATOR_COLUMNS}. */
    public List<String> creatorRows() {
        return format(creatorWindows);
    }

    /** Rows as ClickHouse prints them for {@code SELECT grain, content_id, window_start, COLUMNS ... FORMAT TSV}. */
    public List<String> rows() {
        return format(windows);
    }

    private static List<String> format(Map<String, long[]> counters) {
        List<String> rows = new java.util.ArrayList<>();
        for (Map.Entry<String, long[]> w : counters.entrySet()) {
            StringBuilder sb = new StringBuilder(w.getKey());
            for (long v : w.getValue()) {
                sb.append('\t').append(v);
            }
            rows.add(sb.toString());
        }
        rows.sort(null);
        return rows;
    }
}
