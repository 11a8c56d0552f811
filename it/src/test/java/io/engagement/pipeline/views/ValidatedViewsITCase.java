package io.engagement.pipeline.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.EventValidator;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.loadgen.EventGenerator;
import io.engagement.pipeline.metrics.EngagementFormulas;
import io.engagement.pipeline.testing.CollectingSink;
import io.engagement.pipeline.testing.EveryEventWatermarks;
import io.engagement.pipeline.topology.EngagementPipeline;
import io.engagement.pipeline.topology.PipelineSinks;
import io.engagement.pipeline.velocity.ContentVelocity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validated views through the whole topology (MiniCluster, in-memory input and sinks): the load
 * generator's realistic traffic mixed with labelled bots (a view farm, rotating user ids under one
 * session, rotating users and sessions under one device, replays of one pattern under one user) and
 * a heavy but human viewer. Expected numbers come from a plain reference over the input messages,
 * not from the gates.
 */
class ValidatedViewsITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final long REPEAT_SPAN_MS = 30_000;

    /** A labelled message: who sent it (an honest actor or a bot), and the JSON. */
    private record Labelled(boolean bot, long sendAtMs, ObjectNode json) {}

    private final List<Labelled> messages = new ArrayList<>();
    private final Random random = new Random(11);
    private long botEventSequence;

    /**
     * At parallelism 1 every gate decides the late bot's minute before its late claims arrive (one
     * input channel each, watermarks in order with the data): the flag is raised late and what counted
     * is taken back. At 2, a gate whose other input is slower may still hold the minute open when they
     * arrive: flagged then on time, or late and taken back; the numbers are exact either way.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void botViewsAreExcludedAndHumanCountsAreExact(int parallelism) throws Exception {
        honestTraffic();
        heavyHumanViewer();
        viewFarm();
        rotatingUsersUnderOneSession();
        rotatingUsersAndSessionsUnderOneDevice();
        replaysOfOnePatternUnderOneUser();
        aBotWhoseMinuteFillsUpLate();
        messages.sort(Comparator.comparingLong(Labelled::sendAtMs));

        Reference expected = reference();
        assertTrue(expected.botViewStarts > 2_000, "bot view starts: " + expected.botViewStarts);
        assertTrue(expected.humanViewStarts > 1_000, "human view starts: " + expected.humanViewStarts);
        assertTrue(
                expected.humanValidatedViews < expected.humanViewStarts,
                "the honest traffic has some repeats to count once");

        CollectingSink<ContentMetrics> metrics = new CollectingSink<>();
        CollectingSink<SuspectActor> suspects = new CollectingSink<>();
        CollectingSink<ContentVelocity> velocity = new CollectingSink<>();
        run(metrics, suspects, velocity, parallelism);

        for (String grain : List.of("minute", "hour")) {
            Map<String, ContentMetrics> rows = finalRows(metrics.records(), grain);
            long validatedViews =
                    rows.values().stream().mapToLong(m -> m.validatedViews).sum();
            long views = rows.values().stream().mapToLong(m -> m.views).sum();
            assertEquals(
                    expected.humanViewStarts + expected.botViewStarts,
                    views,
                    grain + ": every view start is still a view");
            // Exact: no bot view counts (>= 99 % excluded is the floor; every one is), and every human one that is no
            // repeat does.
            assertEquals(
                    expected.humanValidatedViews,
                    validatedViews,
                    grain + ": validated views are the humans' without repeats");
            assertEquals(
                    rows.values().stream().mapToLong(m -> m.completions).sum(),
                    rows.values().stream()
                            .mapToLong(m -> m.validatedCompletions)
                            .sum(),
                    grain + ": bots complete no play, humans' all count");
            assertEquals(
                    expected.humanPlayWatchTimeMs,
                    rows.values().stream()
                            .mapToLong(m -> m.validatedWatchTimeMs)
                            .sum(),
                    grain + ": validated watch time is the humans' plays'");
        }

        // Rates and scores are over validated plays (ScoreBasis): each final hour row's completion rate
        // and engagement score are those of the reference's validated views of that content and hour
        // (the row's own completions, saves, shares, clicks and skips as inputs: every completion is a
        // human's, checked above). Without validation the farm's views would divide them.
        int scoredRows = 0;
        for (ContentMetrics row : finalRows(metrics.records(), "hour").values()) {
            long validated =
                    expected.validatedViewsByContentHour.getOrDefault(row.contentId + "@" + row.windowStartMs, 0L);
            assertEquals(
                    EngagementFormulas.completionRate(row.completions, validated),
                    row.completionRate,
                    1e-9,
                    "completion rate of " + row.contentId);
            assertEquals(
                    EngagementFormulas.engagementScore(
                            validated, row.completions, Math.max(0, row.saves), row.shares, row.clicks, row.skips),
                    row.engagementScore,
                    1e-9,
                    "engagement score of " + row.contentId);
            scoredRows += row.views > validated && validated > 0 ? 1 : 0;
        }
        assertTrue(scoredRows > 50, "rows whose score would differ over every view: " + scoredRows);

        // Trends follow validated views: each content's newest velocity counts its validated views of the
        // last 24 hours (all of this traffic), never the farm's.
        Map<String, ContentVelocity> newestVelocity = new TreeMap<>();
        for (ContentVelocity v : velocity.records()) {
            newestVelocity.merge(
                    v.contentId,
                    v,
                    (a, b) -> a.asOfMs != b.asOfMs ? (a.asOfMs > b.asOfMs ? a : b) : (a.version >= b.version ? a : b));
        }
        Map<String, Long> validatedByContent = new TreeMap<>();
        expected.validatedViewsByContentHour.forEach(
                (k, n) -> validatedByContent.merge(k.substring(0, k.indexOf('@')), n, Long::sum));
        for (Map.Entry<String, Long> content : validatedByContent.entrySet()) {
            ContentVelocity v = newestVelocity.get(content.getKey());
            assertTrue(v != null, "velocity of " + content.getKey());
            assertEquals(content.getValue(), v.viewsLast24h, "validated views in the last 24 h of " + content.getKey());
        }

        Set<String> flagged = suspects.records().stream()
                .map(s -> s.actorKind + ":" + s.actorId)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        for (String bot : List.of(
                "session:farm-session",
                "device:farm-device",
                "user:farm-user",
                "session:rotating-session",
                "device:rotating-device",
                "user:replayer",
                "session:late-session",
                "user:late-bot")) {
            assertTrue(flagged.contains(bot), bot + " flagged; flagged: " + flagged);
        }
        // The late bot's minute was decided under the limit and flagged only by its late claims.
        if (parallelism == 1) {
            assertTrue(
                    suspects.records().stream().anyMatch(s -> s.actorId.equals("late-session") && s.late),
                    "a late flag");
        }
        // Its 30 on-time plays passed every gate when the minute was decided (under the limit), and the
        // 10 first late ones too; only retractions bring its own contents' validated numbers back to 0.
        assertEquals(
                0,
                finalRows(metrics.records(), "minute").values().stream()
                        .filter(m -> m.contentId.startsWith("late-bot-content-"))
                        .mapToLong(m -> m.validatedViews + m.validatedCompletions + m.validatedWatchTimeMs)
                        .sum(),
                "taken back by the late flag");
        assertEquals(
                50,
                finalRows(metrics.records(), "minute").values().stream()
                        .filter(m -> m.contentId.startsWith("late-bot-content-"))
                        .mapToLong(m -> m.views)
                        .sum(),
                "every view start is still a view");
        List<String> honestFlagged =
                flagged.stream().filter(a -> !expected.botActors.contains(a)).toList();
        assertEquals(List.of(), honestFlagged, "no honest actor is flagged");
    }

    // ---- the traffic ------------------------------------------------------------------------------

    private void honestTraffic() throws Exception {
        EventGenerator generator =
                new EventGenerator(new EventGenerator.Settings(200, 20, 400, 1.1, 0.05, 0.0, 0.02, 0.0, 7));
        for (int i = 0; i < 700; i++) {
            for (EventGenerator.Timed t : generator.nextSession(T0 + i * 2_000L)) {
                messages.add(new Labelled(false, t.sendAtMs(), (ObjectNode)
                        JSON.readTree(t.message().value())));
            }
        }
    }

    /** 35 view starts a minute (the limit is 40) for four minutes, each a short play of another content. */
    private void heavyHumanViewer() {
        long start = T0 + 4 * 60_000;
        for (int minute = 0; minute < 4; minute++) {
            for (int i = 0; i < 35; i++) {
                long t = start + minute * 60_000L + i * 1_700L;
                String content = "content-" + (minute * 35 + i);
                add(false, play(content, "heavy", "heavy-session", "heavy-device", t, 1_500));
            }
        }
    }

    private void viewFarm() {
        for (int i = 0; i < 900; i++) { // 300 a minute for three minutes
            long t = T0 + 5 * 60_000 + i * 200L;
            add(true, play("content-" + random.nextInt(200), "farm-user", "farm-session", "farm-device", t, 500));
        }
    }

    private void rotatingUsersUnderOneSession() {
        for (int i = 0; i < 600; i++) {
            long t = T0 + 6 * 60_000 + i * 300L;
            add(true, play("content-" + random.nextInt(200), "rotating-user-" + i, "rotating-session", null, t, 500));
        }
    }

    private void rotatingUsersAndSessionsUnderOneDevice() {
        for (int i = 0; i < 600; i++) {
            long t = T0 + 7 * 60_000 + i * 300L;
            add(
                    true,
                    play(
                            "content-" + random.nextInt(200),
                            "device-farm-user-" + i,
                            "device-farm-session-" + i,
                            "rotating-device",
                            t,
                            500));
        }
    }

    /** One recorded browsing pattern (six plays) replayed 60 times in two minutes, new session and device each time. */
    private void replaysOfOnePatternUnderOneUser() {
        int[] contents = {3, 17, 42, 5, 99, 150};
        for (int replay = 0; replay < 60; replay++) {
            long t = T0 + 9 * 60_000 + replay * 2_000L;
            for (int p = 0; p < contents.length; p++) {
                add(
                        true,
                        play(
                                "content-" + contents[p],
                                "replayer",
                                "replay-session-" + replay,
                                "replay-device-" + replay,
                                t + p * 250L,
                                200));
            }
        }
    }

    /**
     * 30 plays in one minute (under the limit of 40: they count when the minute is decided), then, three
     * minutes later but within the allowed lateness, 20 more plays of that minute from the same
     * session, device and user: a late flag, after the minute's rows were written.
     */
    private void aBotWhoseMinuteFillsUpLate() {
        long minute = T0 + 12 * 60_000;
        for (int i = 0; i < 50; i++) {
            long t = minute + i * 1_000L;
            long sendAt = i < 30 ? t : minute + 3 * 60_000 + i * 100L;
            // Contents of its own, which no one else views: their rows show what was counted and taken back.
            for (ObjectNode e : play("late-bot-content-" + i % 10, "late-bot", "late-session", "late-device", t, 500)) {
                messages.add(new Labelled(
                        true, sendAt + (e.get("event_type").asText().equals("view_start") ? 0 : 500), e));
            }
        }
    }

    /** A view start and, {@code watchedMs} later, a swipe-away early in the content (never a completion). */
    private List<ObjectNode> play(String content, String user, String session, String device, long t, long watchedMs) {
        ObjectNode start = event("view_start", content, user, session, device, t);
        start.put("content_duration_ms", 30_000);
        ObjectNode end = event("swipe_away", content, user, session, device, t + watchedMs);
        end.put("watch_time_ms", watchedMs);
        end.put("total_watch_time_ms", watchedMs);
        end.put("progress", 0.05);
        return List.of(start, end);
    }

    private ObjectNode event(String type, String content, String user, String session, String device, long t) {
        ObjectNode e = JSON.createObjectNode();
        e.put("event_id", "labelled-" + (botEventSequence++));
        e.put("event_type", type);
        e.put("content_id", content);
        e.put("creator_id", "creator-1");
        if (user != null) {
            e.put("user_id", user);
        }
        e.put("session_id", session);
        if (device != null) {
            e.put("device_id", device);
        }
        e.put("event_time", t);
        return e;
    }

    private void add(boolean bot, List<ObjectNode> events) {
        for (ObjectNode e : events) {
            messages.add(new Labelled(bot, e.get("event_time").asLong(), e));
        }
    }

    // ---- the reference ----------------------------------------------------------------------------

    private static final class Reference {
        long humanViewStarts;
        long botViewStarts;
        long humanValidatedViews;
        long humanPlayWatchTimeMs;
        /** Validated views by "content@hour start" (the hour of the counted view start). */
        final Map<String, Long> validatedViewsByContentHour = new TreeMap<>();

        final Set<String> botActors = new HashSet<>();
    }

    /**
     * Counted by hand from the messages: each event id once (client retries), every human view start
     * except those less than the repeat span after the viewer's last counted start of the content
     * (the viewer: the user, else the device, else the session).
     */
    private Reference reference() {
        Reference r = new Reference();
        Set<String> seen = new HashSet<>();
        Map<String, List<Long>> humanStarts = new LinkedHashMap<>();
        for (Labelled m : messages) {
            JsonNode e = m.json();
            if (!seen.add(e.get("event_id").asText())) {
                continue;
            }
            String type = e.get("event_type").asText();
            if (m.bot()) {
                for (String kind : List.of("user", "session", "device")) {
                    JsonNode id = e.get(kind.equals("user") ? "user_id" : kind + "_id");
                    if (id != null) {
                        r.botActors.add(kind + ":" + id.asText());
                    }
                }
                r.botViewStarts += type.equals("view_start") ? 1 : 0;
                continue;
            }
            if (type.equals("view_start")) {
                r.humanViewStarts++;
                String viewer = e.has("user_id")
                        ? "u:" + e.get("user_id").asText()
                        : e.has("device_id")
                                ? "d:" + e.get("device_id").asText()
                                : "s:" + e.get("session_id").asText();
                humanStarts
                        .computeIfAbsent(viewer + "|" + e.get("content_id").asText(), k -> new ArrayList<>())
                        .add(e.get("event_time").asLong());
            } else if ((type.equals("view_complete") || type.equals("swipe_away")) && e.has("total_watch_time_ms")) {
                r.humanPlayWatchTimeMs += e.get("total_watch_time_ms").asLong();
            }
        }
        for (Map.Entry<String, List<Long>> viewerContent : humanStarts.entrySet()) {
            String content =
                    viewerContent.getKey().substring(viewerContent.getKey().indexOf('|') + 1);
            List<Long> times = viewerContent.getValue();
            times.sort(null);
            Long lastCounted = null;
            for (long t : times) {
                if (lastCounted == null || t - lastCounted >= REPEAT_SPAN_MS) {
                    r.humanValidatedViews++;
                    r.validatedViewsByContentHour.merge(
                            content + "@" + (t - Math.floorMod(t, 3_600_000L)), 1L, Long::sum);
                    lastCounted = t;
                }
            }
        }
        return r;
    }

    // ---- the job ----------------------------------------------------------------------------------

    private void run(
            CollectingSink<ContentMetrics> metrics,
            CollectingSink<SuspectActor> suspects,
            CollectingSink<ContentVelocity> velocity,
            int parallelism)
            throws Exception {
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--validation.max-event-age",
                    "3650 d",
                    "--views.validation",
                    "on",
                    "--views.max-starts-per-minute",
                    "40",
                    "--views.repeat-span",
                    "30 s"
                },
                Map.of());
        List<RawEvent> input = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            input.add(new RawEvent(
                    messages.get(i).json().toString().getBytes(StandardCharsets.UTF_8), "engagement-events", 0, i));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        EngagementPipeline.configure(env);
        PipelineSinks sinks = new PipelineSinks(
                        new CollectingSink<>(),
                        metrics,
                        new CollectingSink<>(),
                        new CollectingSink<>(),
                        new CollectingSink<>(),
                        new CollectingSink<>(),
                        new CollectingSink<>(),
                        velocity,
                        new CollectingSink<>(),
                        new CollectingSink<>(),
                        new CollectingSink<>(),
                        new CollectingSink<>())
                .withSuspectActors(suspects);
        // Watermarks after every event (not periodically): the late bot's claims are late in every run.
        EventValidator validator = new EventValidator(config.validationRules);
        long now = System.currentTimeMillis();
        DataStream<ValidatedRecord> validated = env.fromData(
                        TypeInformation.of(RawEvent.class), input.toArray(new RawEvent[0]))
                .map(r -> ValidatedRecord.of(validator.validate(r, now), now))
                .returns(ValidatedRecord.class);
        new EngagementPipeline(config, sinks).build(EveryEventWatermarks.assign(validated, config.outOfOrderness));
        env.execute("validated-views");
    }

    /** The newest version of each window's row of {@code grain}. */
    private static Map<String, ContentMetrics> finalRows(List<ContentMetrics> rows, String grain) {
        Map<String, ContentMetrics> newest = new TreeMap<>();
        for (ContentMetrics m : rows) {
            if (m.grain.equals(grain)) {
                newest.merge(m.contentId + "@" + m.windowStartMs, m, (a, b) -> a.version >= b.version ? a : b);
            }
        }
        return newest;
    }
}
