package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engagement.pipeline.clickhouse.AnalystQuery;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.sink.ProductionSinks;
import io.engagement.pipeline.source.KafkaInput;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import io.engagement.pipeline.topology.EngagementPipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production source, topology and sinks against a real Kafka broker and a real ClickHouse
 * server, the job on a Flink MiniCluster with RocksDB and exactly-once checkpoints. The input is a
 * crafted set (duplicates, malformed messages, an out-of-order event); every expected number below is
 * worked out by hand from that set, not taken from the job's output.
 */
class EndToEndKafkaClickHouseITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli(); // a Monday
    private static final String INPUT = "engagement-events";
    private static final String DLQ = "engagement-dlq";
    private static final String FEEDBACK = "engagement-feedback";

    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.perClass().topic(INPUT, 2).jobTopics().topic(FEEDBACK, 2);

    private static String event(String id, String type, String content, String user, long offsetMs, String extra) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"content_id\":\"" + content
                + "\",\"creator_id\":\"" + (content.equals("B") ? "k2" : "k1") + "\",\"user_id\":\"" + user
                + "\",\"session_id\":\"s-" + user + "\",\"event_time\":" + (T0 + offsetMs) + extra + "}";
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void eventsFlowFromKafkaToClickHouseAndTheFeedbackTopic(@TempDir Path checkpoints) throws Exception {
        // Content A on partition 0, in this order (a13 arrives after later events: out of order).
        List<String> partition0 = List.of(
                event("a1", "impression", "A", "u1", 0, ""),
                event("a2", "view_start", "A", "u1", 1_000, ",\"source\":\"for_you\",\"country\":\"us\""),
                event("a3", "view_progress", "A", "u1", 5_000, ",\"watch_time_ms\":4000,\"progress\":0.4"),
                event("a4", "view_complete", "A", "u1", 12_000, ",\"watch_time_ms\":6000,\"progress\":1.0"),
                event("a5", "like", "A", "u1", 13_000, ""),
                event("a6", "view_start", "A", "u2", 20_000, ""),
                event("a7", "swipe_away", "A", "u2", 23_000, ",\"watch_time_ms\":3000,\"progress\":0.1"),
                event("a8", "view_start", "A", "u1", 30_000, ",\"is_rewatch\":true"),
                event("a9", "save", "A", "u1", 31_000, ""),
                event("a5", "like", "A", "u1", 13_000, ""), // client retry of a5
                event("a10", "view_start", "A", "u3", 65_000, ""),
                event("a11", "share", "A", "u3", 70_000, ""),
                event(
                        "a12",
                        "view_complete",
                        "A",
                        "u3",
                        75_000,
                        ",\"watch_time_ms\":10000,\"content_duration_ms\":30000"),
                event("a13", "view", "A", "u4", 40_000, "")); // out of order, alias
        // Content B and the bad messages on partition 1 (offsets 0..2 good, 3..7 bad, 8 a retry).
        List<String> partition1 = new ArrayList<>(List.of(
                event("b1", "view_start", "B", "u1", 61_000, ""),
                event("b2", "skip", "B", "u1", 62_000, ",\"watch_time_ms\":500,\"progress\":0.6"),
                event("b3", "click", "B", "u1", 63_000, "")));
        List<String> bad = List.of(
                "{\"event_id\": \"x1\", ", // 3 malformed
                event("x2", "teleport", "B", "u1", 64_000, ""), // 4 unknown type
                event("x3", "like", "B", "u1", 64_000, "").replace("\"content_id\"", "\"contentId\""), // 5 missing
                event("x4", "view_complete", "B", "u1", 64_000, ",\"watch_time_ms\":-20"), // 6 bad watch time
                event(
                        "x5",
                        "like",
                        "B",
                        "u1",
                        Instant.parse("2099-01-01T00:00:00Z").toEpochMilli() - T0,
                        "")); // 7 future
        partition1.addAll(bad);
        partition1.add(event("b1", "view_start", "B", "u1", 61_000, "")); // 8 retry of b1
        // Content C, also of creator k1 (offsets 9..11): u5 watches from Great Britain, loops twice
        // and swipes away at the very end after 50 s in all (a full play), then saves it.
        partition1.add(event("c1", "view_start", "C", "u5", 120_000, ",\"source\":\"following\",\"country\":\"gb\""));
        partition1.add(event(
                "c2",
                "swipe_away",
                "C",
                "u5",
                150_000,
                ",\"watch_time_ms\":20000,\"progress\":1.0,"
                        + "\"total_watch_time_ms\":50000,\"loop_count\":2,\"country\":\"gb\""));
        partition1.add(event("c3", "save", "C", "u5", 151_000, ",\"country\":\"gb\""));
        // Offset 12: 300 000 control characters. Escaped whole as JSON (\\u0001 each) the dead letter
        // would be 1.8 MB, over the producer's 1 MB record limit: the job would fail on it forever.
        // Over validation.max-message-bytes (64 KiB), it is rejected before parsing.
        String hugeGarbage = "\u0001".repeat(300_000);
        partition1.add(hugeGarbage);
        for (String value : partition0) {
            SERVERS.kafka().send(INPUT, 0, "A", value);
        }
        for (String value : partition1) {
            SERVERS.kafka().send(INPUT, 1, "B", value);
        }

        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--kafka.bootstrap-servers",
                    SERVERS.kafka().bootstrapServers(),
                    "--clickhouse.url",
                    SERVERS.clickhouse().jdbcUrl(),
                    "--kafka.starting-offsets",
                    "earliest",
                    "--validation.max-event-age",
                    "3650 d"
                },
                Map.of());
        runJobToEndOfInput(config, checkpoints);

        // Raw events: 19 distinct accepted events (13 for A, 3 for B, 3 for C); retries and bad messages absent.
        assertEquals(
                List.of("19\t19"),
                SERVERS.clickhouse()
                        .rows("SELECT count(), uniqExact(event_id) FROM engagement.engagement_events FINAL"));
        assertEquals(
                List.of("A\tview_start\tu4\t2026-03-02 10:00:40"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT content_id, event_type, user_id, event_time FROM engagement.engagement_events WHERE event_id = 'a13'"));
        assertEquals(0, SERVERS.clickhouse().count("SELECT count() FROM engagement.late_events"));

        // Accounting: partition 0 had 14 messages (13 accepted, 1 retry), partition 1 had 13
        // (6 accepted, 6 rejected, 1 retry); each offset has exactly one outcome row.
        assertEquals(
                List.of(
                        "engagement-events\t0\t13\t1\t0\t0\t14\t14\t0\t13",
                        "engagement-events\t1\t6\t1\t6\t0\t13\t13\t0\t12"),
                SERVERS.clickhouse()
                        .rows(AnalystQuery.load(Path.of("sql/queries/reconciliation.sql"))
                                .render(Map.of())));
        // The demo's report adds the same up for a person: 27 messages = 19 + 2 + 6 + 0.
        String accounting = io.engagement.pipeline.report.StackReport.accounting(
                SERVERS.clickhouse().http(), "engagement", 27);
        assertTrue(
                accounting.matches(
                        "(?s).*messages on engagement-events +27\n.*accepted .* +19 .*"
                                + "duplicates .* +2 .*dead letters .* +6 .*too late .* +0 .*= accounted +27\n.*Every message is accounted for.*"),
                accounting);
        assertTrue(io.engagement.pipeline.report.StackReport.accounting(
                        SERVERS.clickhouse().http(), "engagement", 30)
                .contains("3 messages not accounted for yet"));

        // Window rows, hand-computed (see the event list above):
        // A minute 10:00: views a2,a6,a8,a13 = 4; viewers u1,u2,u4 = 3; watch 4000+6000+3000 = 13000;
        //   1 completion (25 %), 1 skip (progress 0.1 -> under 25 %), 1 rewatch (rate 1/3), 1 like, 1 save.
        //   engagement rate 1/4 = 25; action rate (1 save)/4 = 25; score 40/4 + 30/4 - 20/4 = 12.5;
        //   quality 0.35*25 + 0.30*min(100, 25/20*100) + 0.20*0 + 0.15*min(100, 33.3/30*100) = 53.75
        // A minute 10:01: 1 view (u3), 10000 ms, 1 completion (100 %), 1 share: engagement rate 100,
        //   action rate 100, score 40 + 20 = 60, quality 35 + 30 + 20 + 0 = 85
        // B minute 10:01: 1 view, 500 ms, 1 skip at 0.6 (over 50 %), 1 click: score 10 - 20 -> 0,
        //   action rate 100, quality 0
        // A hour/day/week: 5 views, 4 viewers, 23000 ms, 2 completions (40 %), 1 skip, 1 rewatch (25 %),
        //   1 like, 1 save, 1 share: engagement rate 2/5 = 40, action rate 2/5 = 40,
        //   score 16 + 6 + 4 - 4 = 22, quality 14 + 30 + 20 + 0.15*83.33 = 76.5
        String aMinute0 = "1\t4\t3\t13000\t3250\t1\t25\t0\t0\t0\t1\t1\t1\t1\t0\t1\t0\t25\t25\t12.5\t53.75";
        String aMinute1 = "0\t1\t1\t10000\t10000\t1\t100\t0\t0\t0\t0\t0\t0\t0\t1\t0\t0\t100\t100\t60\t85";
        String aLonger = "1\t5\t4\t23000\t4600\t2\t40\t0\t0\t0\t1\t1\t1\t1\t1\t1\t0\t40\t40\t22\t76.5";
        String b = "0\t1\t1\t500\t500\t0\t0\t0\t1\t0\t0\t1\t0\t0\t0\t0\t1\t0\t100\t0\t0";
        // C minute 10:02 and longer: 1 view, 20000 ms, 1 completion (the swipe at the end), 1 save:
        //   action rate 100, score 40 + 30 = 70, quality 0.35 * 100 = 35
        String c = "0\t1\t1\t20000\t20000\t1\t100\t0\t0\t0\t0\t0\t0\t0\t0\t1\t0\t0\t100\t70\t35";
        List<String> expected = List.of(
                "day\tA\t2026-03-02 00:00:00\t2026-03-03 00:00:00\tk1\t1\t" + aLonger,
                "day\tB\t2026-03-02 00:00:00\t2026-03-03 00:00:00\tk2\t1\t" + b,
                "day\tC\t2026-03-02 00:00:00\t2026-03-03 00:00:00\tk1\t1\t" + c,
                "hour\tA\t2026-03-02 10:00:00\t2026-03-02 11:00:00\tk1\t1\t" + aLonger,
                "hour\tB\t2026-03-02 10:00:00\t2026-03-02 11:00:00\tk2\t1\t" + b,
                "hour\tC\t2026-03-02 10:00:00\t2026-03-02 11:00:00\tk1\t1\t" + c,
                "minute\tA\t2026-03-02 10:00:00\t2026-03-02 10:01:00\tk1\t1\t" + aMinute0,
                "minute\tA\t2026-03-02 10:01:00\t2026-03-02 10:02:00\tk1\t1\t" + aMinute1,
                "minute\tB\t2026-03-02 10:01:00\t2026-03-02 10:02:00\tk2\t1\t" + b,
                "minute\tC\t2026-03-02 10:02:00\t2026-03-02 10:03:00\tk1\t1\t" + c,
                "week\tA\t2026-03-02 00:00:00\t2026-03-09 00:00:00\tk1\t1\t" + aLonger,
                "week\tB\t2026-03-02 00:00:00\t2026-03-09 00:00:00\tk2\t1\t" + b,
                "week\tC\t2026-03-02 00:00:00\t2026-03-09 00:00:00\tk1\t1\t" + c);
        assertEquals(
                expected,
                SERVERS.clickhouse()
                        .rows("SELECT grain, content_id, window_start, window_end, creator_id, version,"
                                + " impressions, views, unique_viewers, watch_time_ms, round(avg_watch_time_ms, 2), completions,"
                                + " round(completion_rate, 2), ended_over_75, ended_over_50, ended_over_25, ended_under_25, skips,"
                                + " rewatches, likes, shares, saves, clicks, round(engagement_rate, 2), round(action_rate, 2),"
                                + " round(engagement_score, 2), round(quality_score, 2)"
                                + " FROM engagement.content_metrics FINAL ORDER BY grain, content_id, window_start"));

        // View breakdowns: of A's four views in minute 10:00 only a2 says where it came from (for_you);
        // no view names a device or platform.
        assertEquals(
                List.of("1\t3\t4\t4"),
                SERVERS.clickhouse()
                        .rows("SELECT views_organic, views_other_source, views_other_device,"
                                + " views_other_platform FROM engagement.content_metrics FINAL WHERE grain = 'minute' AND content_id = 'A'"
                                + " AND window_start = toDateTime('2026-03-02 10:00:00')"));

        // Play totals per hour: A's only play-end sample is a12 (a 30 s video completed, no total sent),
        // C's is c2's total of 50 s; swipe-aways a7, b2 ("skip") and c2; feed views a2 (for_you) and
        // c1 (following); C looped twice.
        assertEquals(
                List.of("A\t30\t1\t1\t0", "B\t0\t1\t0\t0", "C\t50\t1\t1\t2"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT content_id, round(median_watch_time_ms / 1000), swiped_away, feed_views, loop_plays"
                                        + " FROM engagement.content_metrics FINAL WHERE grain = 'hour' ORDER BY content_id"));

        // Creators, the same for the hour, day and week (all events are in hour 10:00 of a Monday):
        // k1 = A + C: 2 contents, 6 views, viewers u1..u5 = 5, 43000 ms (7166.67 per view), median of
        //   the play samples {30 s, 50 s} = 30 s (lower middle), 3 completions (50 %), average of the
        //   content completion rates (40 + 100) / 2 = 70, 1 like, 1 share, 2 saves, 0 clicks, 1 skip:
        //   engagement (1 + 0 + 1) / 6 = 33.33 %, action (2 + 1 + 0) / 6 = 50 %,
        //   score 40 * 3/6 + 30 * 2/6 + 20 * 1/6 - 20 * 1/6 = 30; top content C (score 70 > A's 22).
        // k2 = B: 1 content, 1 view, 500 ms, no play sample, 1 click, 1 skip: action 100 %, score 0.
        String k1 = "k1\t1\t2\t6\t5\t43000\t7166.67\t30\t3\t50\t70\t1\t1\t2\t0\t1\t33.33\t50\t30\tC\t1\t70";
        String k2 = "k2\t1\t1\t1\t1\t500\t500\t0\t0\t0\t0\t0\t0\t0\t1\t1\t0\t100\t0\tB\t1\t0";
        List<String> creatorRows = new ArrayList<>();
        for (String window :
                List.of("day\t2026-03-02 00:00:00", "hour\t2026-03-02 10:00:00", "week\t2026-03-02 00:00:00")) {
            creatorRows.add(window + "\t" + k1);
            creatorRows.add(window + "\t" + k2);
        }
        assertEquals(
                creatorRows,
                SERVERS.clickhouse()
                        .rows("SELECT grain, window_start, creator_id, version, contents, views,"
                                + " unique_viewers, watch_time_ms, round(avg_watch_time_ms, 2), round(median_watch_time_ms / 1000),"
                                + " completions, round(completion_rate, 2), round(avg_completion_rate, 2), likes, shares, saves, clicks,"
                                + " skips, round(engagement_rate, 2), round(action_rate, 2), round(engagement_score, 2), top_content_id,"
                                + " top_content_views, round(top_content_engagement_score, 2)"
                                + " FROM engagement.creator_metrics FINAL ORDER BY grain, window_start, creator_id"));

        // Countries, the same for hour, day and week: a2 came from "us" (upper-cased), A's other views
        // sent no country (4 views by u1, u2, u3, u4; 23000 ms; completions a4, a12); B unknown; C "gb".
        List<String> countryRows = new ArrayList<>();
        for (String grain : List.of("day", "hour", "week")) {
            countryRows.add(grain + "\tA\tUS\t1\t1\t0\t0");
            countryRows.add(grain + "\tA\tunknown\t4\t4\t23000\t2");
            countryRows.add(grain + "\tB\tunknown\t1\t1\t500\t0");
            countryRows.add(grain + "\tC\tGB\t1\t1\t20000\t1");
        }
        assertEquals(
                countryRows,
                SERVERS.clickhouse()
                        .rows(
                                "SELECT grain, content_id, country, views, unique_viewers, watch_time_ms,"
                                        + " completions FROM engagement.content_country_metrics FINAL ORDER BY grain, content_id, country"));

        // Sessions (30 min gap), from the event list: s-u1 = a1..a9 and b1..b3 without the retries:
        // 10 events from 10:00:00 to 10:01:03, views a2, a8 (A) and b1 (B), completion a4, like a5,
        // save a9, click b3, watch 4000 + 6000 + 500 ms; engagement (1 save + 0 shares + 1 click) / 3.
        // s-u2 = a6, a7; s-u3 = a10..a12; s-u4 = a13.
        assertEquals(
                List.of(
                        "s-u1\tu1\t2026-03-02 10:00:00\t2026-03-02 10:01:03\t63000\t10\t3\t2\t1\t1\t1\t0\t1\t10500\t3500\t66.67",
                        "s-u2\tu2\t2026-03-02 10:00:20\t2026-03-02 10:00:23\t3000\t2\t1\t1\t0\t0\t0\t0\t0\t3000\t3000\t0",
                        "s-u3\tu3\t2026-03-02 10:01:05\t2026-03-02 10:01:15\t10000\t3\t1\t1\t1\t0\t0\t1\t0\t10000\t10000\t100",
                        "s-u4\tu4\t2026-03-02 10:00:40\t2026-03-02 10:00:40\t0\t1\t1\t1\t0\t0\t0\t0\t0\t0\t0\t0",
                        "s-u5\tu5\t2026-03-02 10:02:00\t2026-03-02 10:02:31\t31000\t3\t1\t1\t1\t0\t1\t0\t0\t20000\t20000\t100"),
                SERVERS.clickhouse()
                        .rows("SELECT session_id, user_id, session_start, session_end, duration_ms, version, views,"
                                + " contents_viewed, completions, likes, saves, shares, clicks, watch_time_ms,"
                                + " round(avg_watch_time_ms, 1), round(engagement_rate, 2)"
                                + " FROM engagement.session_metrics FINAL ORDER BY session_id"));

        // Feedback topic: one committed message per window row, keyed by content id.
        List<ConsumerRecord<byte[], byte[]>> feedback = SERVERS.kafka().readCommitted(FEEDBACK);
        TreeSet<String> feedbackSummary = new TreeSet<>();
        List<JsonNode> velocityMessages = new ArrayList<>();
        int scoreMessages = 0;
        for (ConsumerRecord<byte[], byte[]> r : feedback) {
            JsonNode m = JSON.readTree(r.value());
            assertEquals(m.get("content_id").asText(), new String(r.key(), StandardCharsets.UTF_8));
            if (m.get("type").asText().equals("content_velocity")) {
                velocityMessages.add(m);
                continue;
            }
            assertEquals("content_scores", m.get("type").asText());
            scoreMessages++;
            feedbackSummary.add(String.join(
                    " ",
                    m.get("grain").asText(),
                    m.get("content_id").asText(),
                    m.get("window_start").asText(),
                    m.get("version").asText(),
                    m.get("views").asText(),
                    m.get("unique_viewers").asText(),
                    fmt(m.get("engagement_score")),
                    fmt(m.get("quality_score"))));
        }
        assertEquals(13, scoreMessages);
        assertEquals(
                new TreeSet<>(List.of(
                        "day A 2026-03-02T00:00:00Z 1 5 4 22.0 76.5",
                        "day B 2026-03-02T00:00:00Z 1 1 1 0.0 0.0",
                        "day C 2026-03-02T00:00:00Z 1 1 1 70.0 35.0",
                        "hour A 2026-03-02T10:00:00Z 1 5 4 22.0 76.5",
                        "hour B 2026-03-02T10:00:00Z 1 1 1 0.0 0.0",
                        "hour C 2026-03-02T10:00:00Z 1 1 1 70.0 35.0",
                        "minute A 2026-03-02T10:00:00Z 1 4 3 12.5 53.75",
                        "minute A 2026-03-02T10:01:00Z 1 1 1 60.0 85.0",
                        "minute B 2026-03-02T10:01:00Z 1 1 1 0.0 0.0",
                        "minute C 2026-03-02T10:02:00Z 1 1 1 70.0 35.0",
                        "week A 2026-03-02T00:00:00Z 1 5 4 22.0 76.5",
                        "week B 2026-03-02T00:00:00Z 1 1 1 0.0 0.0",
                        "week C 2026-03-02T00:00:00Z 1 1 1 70.0 35.0")),
                feedbackSummary);

        // Velocity (seed 002), from the hour windows: A had 5 views, 1 like and 1 share in hour 10:00,
        // B 1 view. As of 11:00: A 5/24 views, 2/24 engagements, 1/24 shares per hour, rising (5 > 1.2 * 0).
        // The input ends at 10:02, so the hour windows close only at the end of input, and no later
        // hour closed at all: one row per content, no zero hours.
        assertEquals(
                List.of(
                        "A\t2026-03-02 11:00:00\t1\t5\t0\t0.2083\t0.0833\t0.0417\trising\t0\t0.2083\t2026-03-02 11:00:00",
                        "B\t2026-03-02 11:00:00\t1\t1\t0\t0.0417\t0\t0\trising\t0\t0.0417\t2026-03-02 11:00:00"),
                SERVERS.clickhouse()
                        .rows("SELECT content_id, as_of, version, views_last_24h, views_previous_24h,"
                                + " round(views_per_hour, 4), round(engagement_per_hour, 4), round(shares_per_hour, 4), trend,"
                                + " trending, round(peak_views_per_hour, 4), peak_at FROM engagement.content_velocity FINAL"
                                + " WHERE content_id IN ('A', 'B') ORDER BY content_id, as_of"));
        assertEquals(
                List.of("A\t1", "B\t1", "C\t1"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT content_id, count() FROM engagement.content_velocity FINAL GROUP BY content_id ORDER BY content_id"));
        assertEquals(3, velocityMessages.size());

        // Dead letters: exactly the six bad messages, with reason, original payload and position.
        List<ConsumerRecord<byte[], byte[]>> deadLetters = SERVERS.kafka().readCommitted(DLQ);
        List<String> expectedReasons = List.of(
                "malformed_json", "unknown_event_type", "missing_field", "invalid_watch_time", "future_event_time");
        assertEquals(6, deadLetters.size());
        List<JsonNode> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
            letters.add(JSON.readTree(r.value()));
        }
        letters.sort((x, y) -> Long.compare(
                x.get("source_offset").asLong(), y.get("source_offset").asLong()));
        for (int i = 0; i < 5; i++) {
            JsonNode letter = letters.get(i);
            assertEquals(expectedReasons.get(i), letter.get("reason").asText());
            assertEquals(bad.get(i), letter.get("payload").asText());
            assertEquals("utf8", letter.get("payload_encoding").asText());
            assertEquals(INPUT, letter.get("source_topic").asText());
            assertEquals(1, letter.get("source_partition").asInt());
            assertEquals(3 + i, letter.get("source_offset").asLong());
            assertEquals(bad.get(i).length(), letter.get("payload_bytes").asInt());
            assertFalse(letter.get("payload_truncated").asBoolean());
        }
        assertTrue(letters.get(2).get("detail").asText().contains("'content_id'"));
        // The huge message: base64 of its first 48 KiB (three 0x01 bytes are "AQEB"), flagged, with
        // the original size.
        JsonNode huge = letters.get(5);
        assertEquals("message_too_large", huge.get("reason").asText());
        assertEquals(12, huge.get("source_offset").asLong());
        assertEquals("base64", huge.get("payload_encoding").asText());
        assertEquals("AQEB".repeat(16_384), huge.get("payload").asText());
        assertEquals(300_000, huge.get("payload_bytes").asInt());
        assertTrue(huge.get("payload_truncated").asBoolean());
        assertEquals(
                List.of("12\tmessage_too_large\t65536\t300000\t1"),
                SERVERS.clickhouse()
                        .rows(
                                "SELECT source_offset, reason,"
                                        + " length(payload), payload_bytes, payload_truncated FROM engagement.dead_letters FINAL WHERE payload_truncated = 1"));
    }

    private static String fmt(JsonNode number) {
        return Double.toString(Math.round(number.asDouble() * 100) / 100.0);
    }

    /** The production source (bounded to the offsets present at start), topology and sinks. */
    static void runJobToEndOfInput(JobConfig config, Path checkpoints) throws Exception {
        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        // A failure must fail the test, not restart forever.
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        EngagementPipeline.configure(env);
        DataStream<ValidatedRecord> raw = env.fromSource(
                        KafkaInput.builder(config)
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        EngagementPipeline.watermarks(config),
                        "kafka")
                .uid("kafka-source");
        new EngagementPipeline(config, ProductionSinks.create(config)).build(raw);
        env.execute("end-to-end-test");
    }
}
