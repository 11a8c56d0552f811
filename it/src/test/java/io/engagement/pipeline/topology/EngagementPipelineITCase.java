package io.engagement.pipeline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.CountryMetrics;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.creator.CreatorMetrics;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.LateEvent;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.event.RejectReason;
import io.engagement.pipeline.session.SessionMetrics;
import io.engagement.pipeline.testing.CollectingSink;
import io.engagement.pipeline.velocity.ContentVelocity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The production topology on a Flink MiniCluster with in-memory input and sinks: fast, and checks
 * the wiring (validation, dead letters, dedup, every grain, feedback) end to end.
 */
class EngagementPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli(); // a Monday

    private static RawEvent raw(long offset, String json) {
        return new RawEvent(json.getBytes(StandardCharsets.UTF_8), "engagement-events", 0, offset);
    }

    private static String json(String id, String type, String content, String user, long time) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"content_id\":\"" + content
                + "\",\"creator_id\":\"k1\",\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user
                + "\",\"event_time\":" + time + "}";
    }

    @Test
    void validatesDeduplicatesAndAggregatesEveryGrain() throws Exception {
        List<RawEvent> input = new ArrayList<>();
        input.add(raw(0, json("e1", "view_start", "c1", "u1", T0)));
        input.add(raw(1, json("e2", "view_start", "c1", "u2", T0 + 61_000))); // next minute, same hour
        input.add(raw(2, json("e1", "view_start", "c1", "u1", T0))); // client retry
        input.add(raw(3, json("e3", "like", "c1", "u2", T0 + 62_000)));
        input.add(raw(4, json("e4", "view", "c2", "u1", T0 + 3_600_000))); // alias, next hour
        input.add(raw(5, "not json"));
        input.add(raw(6, json("e5", "teleport", "c1", "u1", T0)));

        JobConfig config = JobConfig.fromSources(new String[] {"--validation.max-event-age", "3650 d"}, Map.of());
        CollectingSink<EngagementEvent> events = new CollectingSink<>();
        CollectingSink<ContentMetrics> metrics = new CollectingSink<>();
        CollectingSink<ContentMetrics> feedback = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetterTable = new CollectingSink<>();
        CollectingSink<EngagementEvent> duplicates = new CollectingSink<>();
        CollectingSink<LateEvent> late = new CollectingSink<>();
        CollectingSink<ContentVelocity> velocity = new CollectingSink<>();
        CollectingSink<ContentVelocity> velocityFeedback = new CollectingSink<>();
        CollectingSink<SessionMetrics> sessions = new CollectingSink<>();
        CollectingSink<CreatorMetrics> creators = new CollectingSink<>();
        CollectingSink<CountryMetrics> countries = new CollectingSink<>();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        EngagementPipeline.configure(env);
        new EngagementPipeline(
                        config,
                        new PipelineSinks(
                                events,
                                metrics,
                                feedback,
                                deadLetters,
                                deadLetterTable,
                                duplicates,
                                late,
                                velocity,
                                velocityFeedback,
                                sessions,
                                creators,
                                countries))
                .build(EngagementPipeline.validate(
                        env.fromData(TypeInformation.of(RawEvent.class), input.toArray(new RawEvent[0])), config));
        env.execute("topology-test");

        assertEquals(
                List.of("e1", "e2", "e3", "e4"),
                events.records().stream().map(e -> e.eventId).sorted().toList());
        assertEquals(
                List.of(RejectReason.MALFORMED_JSON, RejectReason.UNKNOWN_EVENT_TYPE),
                deadLetters.records().stream().map(d -> d.reason).sorted().toList());
        assertEquals(
                List.of(5L, 6L),
                deadLetters.records().stream().map(d -> d.sourceOffset).sorted().toList());
        assertEquals(deadLetters.records().size(), deadLetterTable.records().size());
        assertEquals(
                List.of(2L),
                duplicates.records().stream().map(e -> e.sourceOffset).toList()); // the retry of e1
        assertEquals(List.of(), late.records());

        // grain/content/window -> views, computed by hand from the input above
        Map<String, Long> expectedViews = new TreeMap<>(Map.of(
                "minute c1 2026-03-02T10:00:00Z", 1L,
                "minute c1 2026-03-02T10:01:00Z", 1L,
                "minute c2 2026-03-02T11:00:00Z", 1L,
                "hour c1 2026-03-02T10:00:00Z", 2L,
                "hour c2 2026-03-02T11:00:00Z", 1L,
                "day c1 2026-03-02T00:00:00Z", 2L,
                "day c2 2026-03-02T00:00:00Z", 1L,
                "week c1 2026-03-02T00:00:00Z", 2L,
                "week c2 2026-03-02T00:00:00Z", 1L));
        assertEquals(expectedViews, viewsByWindow(metrics.records()));
        assertEquals(expectedViews, viewsByWindow(feedback.records()));
        ContentMetrics hourC1 = metrics.records().stream()
                .filter(m -> m.grain.equals("hour") && m.contentId.equals("c1"))
                .findFirst()
                .orElseThrow();
        assertEquals(2, hourC1.uniqueViewers);
        assertEquals(1, hourC1.likes);
        assertEquals(50.0, hourC1.engagementRate, 1e-9); // 1 like / 2 views

        // Velocity from the hourly results: each content is emitted for its hour, one row each. The last
        // real watermark is 10:59:30 (11:00:00 minus the 30 s out-of-orderness), so both hour windows
        // close only at the end of input, and the quiet hours after them never closed: no zero-hour rows.
        Map<String, Long> velocityRows = new TreeMap<>();
        for (ContentVelocity v : velocity.records()) {
            velocityRows.merge(v.contentId, 1L, Long::sum);
        }
        assertEquals(Map.of("c1", 1L, "c2", 1L), velocityRows);
        assertEquals(velocity.records().size(), velocityFeedback.records().size());
        ContentVelocity c1First = velocity.records().stream()
                .filter(v -> v.contentId.equals("c1") && v.version == 1)
                .findFirst()
                .orElseThrow();
        assertEquals(2.0 / 24, c1First.viewsPerHour, 1e-12); // 2 views in the last 24 h
        assertEquals("rising", c1First.trend);

        // Creator k1 owns c1 and c2. Its day and week hold both contents: 3 views by 2 viewers (u1
        // watched both), so unique viewers are merged, not summed (which would give 3).
        assertEquals(
                new TreeMap<>(Map.of(
                        "hour 2026-03-02T10:00:00Z", "contents=1 views=2 uniques=2 top=c1",
                        "hour 2026-03-02T11:00:00Z", "contents=1 views=1 uniques=1 top=c2",
                        "day 2026-03-02T00:00:00Z", "contents=2 views=3 uniques=2 top=c1",
                        "week 2026-03-02T00:00:00Z", "contents=2 views=3 uniques=2 top=c1")),
                summaries(
                        creators.records(),
                        m -> m.grain + " " + Instant.ofEpochMilli(m.windowStartMs),
                        m -> "contents=" + m.contents + " views=" + m.views + " uniques=" + m.uniqueViewers + " top="
                                + m.topContentId));
        // No country in the input: one 'unknown' row per content and window of each grain but minute.
        assertEquals(
                new TreeMap<>(Map.of(
                        "hour c1 unknown 2026-03-02T10:00:00Z", 2L,
                        "hour c2 unknown 2026-03-02T11:00:00Z", 1L,
                        "day c1 unknown 2026-03-02T00:00:00Z", 2L,
                        "day c2 unknown 2026-03-02T00:00:00Z", 1L,
                        "week c1 unknown 2026-03-02T00:00:00Z", 2L,
                        "week c2 unknown 2026-03-02T00:00:00Z", 1L)),
                summaries(
                        countries.records(),
                        m -> m.grain + " " + m.contentId + " " + m.country + " "
                                + Instant.ofEpochMilli(m.windowStartMs),
                        m -> m.views));

        // Sessions: s-u1 has e1 (c1) and e4 (c2) an hour apart: more than the 30 min gap, so two
        // sessions; s-u2 has e2 and e3.
        assertEquals(
                List.of("s-u1 1", "s-u1 1", "s-u2 2"),
                sessions.records().stream()
                        .map(m -> m.sessionId + " " + m.events)
                        .sorted()
                        .toList());
    }

    private static <T, V> Map<String, V> summaries(List<T> rows, Function<T, String> key, Function<T, V> value) {
        Map<String, V> summaries = new TreeMap<>();
        for (T row : rows) {
            if (summaries.put(key.apply(row), value.apply(row)) != null) {
                throw new AssertionError("more than one row for " + key.apply(row));
            }
        }
        return summaries;
    }

    private static Map<String, Long> viewsByWindow(List<ContentMetrics> rows) {
        Map<String, Long> views = new TreeMap<>();
        for (ContentMetrics m : rows) {
            views.put(m.grain + " " + m.contentId + " " + Instant.ofEpochMilli(m.windowStartMs), m.views);
        }
        return views;
    }

    @Test
    void pseudonymisedUserIdsStillGiveUniqueViewersAndSessions() throws Exception {
        List<RawEvent> input = new ArrayList<>();
        input.add(raw(0, json("e1", "view_start", "c1", "u1", T0)));
        input.add(raw(1, json("e2", "view_start", "c1", "u2", T0 + 61_000)));
        input.add(raw(2, json("e3", "view_start", "c1", "u1", T0 + 62_000)));
        input.add(raw(3, json("e5", "teleport", "c1", "u1", T0)));
        String key = "a-test-key-of-at-least-32-characters";
        // The job graph carries where the key is, read on the TaskManager (this JVM): a file here.
        java.nio.file.Path keyFile = java.nio.file.Files.createTempFile("hmac-key", ".txt");
        java.nio.file.Files.writeString(keyFile, key);
        keyFile.toFile().deleteOnExit();
        JobConfig config = JobConfig.fromSources(
                new String[] {"--validation.max-event-age", "3650 d"},
                Map.of("ENGAGEMENT_PRIVACY_USER_ID_HMAC_KEY", "${file:" + keyFile + "}"));
        CollectingSink<EngagementEvent> events = new CollectingSink<>();
        CollectingSink<ContentMetrics> metrics = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        CollectingSink<SessionMetrics> sessions = new CollectingSink<>();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        EngagementPipeline.configure(env);
        new EngagementPipeline(
                        config,
                        new PipelineSinks(
                                events,
                                metrics,
                                new CollectingSink<>(),
                                deadLetters,
                                new CollectingSink<>(),
                                new CollectingSink<>(),
                                new CollectingSink<>(),
                                new CollectingSink<>(),
                                new CollectingSink<>(),
                                sessions,
                                new CollectingSink<>(),
                                new CollectingSink<>()))
                .build(EngagementPipeline.validate(
                        env.fromData(TypeInformation.of(RawEvent.class), input.toArray(new RawEvent[0])), config));
        env.execute("pseudonymisation-test");

        io.engagement.pipeline.event.UserIdPseudonymizer p = new io.engagement.pipeline.event.UserIdPseudonymizer(key);
        assertEquals(
                List.of(p.pseudonym("u1"), p.pseudonym("u1"), p.pseudonym("u2")),
                events.records().stream()
                        .map(e -> e.userId)
                        .sorted(java.util.Comparator.comparing((String u) -> !u.equals(p.pseudonym("u1"))))
                        .toList());
        // 3 views by 2 viewers in the hour, as without pseudonyms; 2 sessions, each with its user's pseudonym.
        ContentMetrics hour = metrics.records().stream()
                .filter(m -> m.grain.equals("hour"))
                .findFirst()
                .orElseThrow();
        assertEquals(3, hour.views);
        assertEquals(2, hour.uniqueViewers);
        assertEquals(
                new java.util.TreeSet<>(List.of(p.pseudonym("u1"), p.pseudonym("u2"))),
                new java.util.TreeSet<>(
                        sessions.records().stream().map(s -> s.userId).toList()));
        assertEquals(1, deadLetters.records().size());
        String payload = deadLetters.records().get(0).payload;
        assertTrue(!payload.contains("\"u1\"") && payload.contains(p.pseudonym("u1")), payload);
    }
}
