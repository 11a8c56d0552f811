package io.engagement.pipeline.it;

import static io.engagement.pipeline.testing.KafkaTestBroker.send;
import static io.engagement.pipeline.testing.PipelineScenario.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engagement.pipeline.StartHorizon;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.RealServers;
import io.engagement.pipeline.testing.ReferenceRanker;
import io.engagement.pipeline.testing.ReferenceRanker.Content;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-user signals on the real broker and ClickHouse, through the production job with a content
 * catalogue (issue "The recommender's side", point 1): the {@link ReferenceRanker} reads the compacted
 * topic as the recommender would. A "not interested" drops the content, and its creator's other content,
 * in that user's ranking within seconds; a view farm (accounts over the view-start rate) moves nothing;
 * an erasure request writes a tombstone and the user starts over; a bad erasure request is a dead
 * letter. Every user's versions arrive once each, in order (read_committed). (And an event's custom
 * properties reach the raw events table through the job's shuffles.)
 */
class UserSignalsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String EVENTS = "signal-events";
    private static final String CATALOGUE = "signal-catalogue";
    private static final String SIGNALS = "engagement-user-signals";
    private static final String ERASURES = "engagement-erasures";
    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RealServers SERVERS = RealServers.perClass()
            .topic(EVENTS, 2)
            .topic(CATALOGUE, 1)
            .topic("engagement-dlq", 1)
            .topic("engagement-feedback", 1)
            .topic("engagement-alerts", 1)
            .topic(SIGNALS, 2)
            .topic(ERASURES, 1);

    private static final List<Content> CANDIDATES = List.of(
            new Content("a2", "A", "comedy", List.of("fun")),
            new Content("a3", "A", "comedy", List.of("fun")),
            new Content("b2", "B", "music", List.of("beats")),
            new Content("c1", "C", "sports", List.of("goal")),
            new Content("f1", "F", "money", List.of("cash")));

    private int ids;

    private String event(String type, String content, String user, long time, String more) {
        return "{\"event_id\":\"e" + (ids++) + "\",\"event_type\":\"" + type + "\",\"content_id\":\"" + content
                + "\",\"creator_id\":\"claimed\",\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user
                + "\",\"event_time\":" + time + more + "}";
    }

    private static String catalogue(String content, String creator, String category, String tag) {
        return "{\"content_id\":\"" + content + "\",\"creator_id\":\"" + creator + "\",\"duration_ms\":20000,"
                + "\"category\":\"" + category + "\",\"hashtags\":[\"" + tag + "\"]}";
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aNotInterestedMovesTheRankingWithinSecondsAndAViewFarmMovesNothing(@TempDir Path checkpoints)
            throws Exception {
        JobConfig config = JobConfig.fromSources(
                new String[] {
                    "--kafka.bootstrap-servers", SERVERS.kafka().bootstrapServers(),
                    "--kafka.input-topic", EVENTS,
                    "--kafka.catalog-topic", CATALOGUE,
                    "--kafka.starting-offsets", "earliest",
                    "--clickhouse.url", SERVERS.clickhouse().jdbcUrl(),
                    "--clickhouse.flush-interval", "200 ms",
                    "--validation.max-event-age", "3650 d",
                    "--window.grains", "minute,hour",
                    "--views.max-starts-per-minute", "10",
                    "--user-signals.emit-interval", "500 ms"
                },
                Map.of());
        try (KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            for (String[] c : new String[][] {
                {"a1", "A", "comedy", "fun"}, {"a2", "A", "comedy", "fun"}, {"a3", "A", "comedy", "fun"},
                {"b1", "B", "music", "beats"}, {"b2", "B", "music", "beats"}, {"c1", "C", "sports", "goal"},
                {"f1", "F", "money", "cash"}
            }) {
                send(producer, CATALOGUE, null, c[0], catalogue(c[0], c[1], c[2], c[3]));
            }
        }
        Configuration conf = PipelineScenario.flinkConf(checkpoints);
        conf.setString("restart-strategy.type", "none");
        JobClient job =
                PipelineScenario.job(conf, 2, config, null, StartHorizon.NONE).executeAsync("user-signals");
        try (SignalsReader topic = new SignalsReader();
                KafkaProducer<byte[], byte[]> producer = SERVERS.kafka().producer()) {
            waitUntil(() -> SERVERS.clickhouse().count("SELECT count() FROM engagement.content_catalog") == 7, 90);
            // u1 watched and liked A's comedy, finished B's song, watched half of C's match; the events
            // claim another creator ("claimed"): the catalogue's owner counts. Three other users like b2.
            send(
                    producer,
                    EVENTS,
                    null,
                    "a1",
                    event(
                            "view_complete",
                            "a1",
                            "u1",
                            T0,
                            ",\"properties\":{\"plan\":\"pro\",\"ab\":{\"feed\":\"v2\"}}"));
            send(producer, EVENTS, null, "a1", event("like", "a1", "u1", T0 + 1_000, ""));
            send(producer, EVENTS, null, "b1", event("view_complete", "b1", "u1", T0 + 2_000, ""));
            send(
                    producer,
                    EVENTS,
                    null,
                    "c1",
                    event("swipe_away", "c1", "u1", T0 + 3_000, ",\"progress\":0.5,\"total_watch_time_ms\":10000"));
            for (String crowd : List.of("h1", "h2", "h3")) {
                send(producer, EVENTS, null, "b2", event("like", "b2", crowd, T0 + 4_000, ""));
            }
            waitUntil(
                    () -> topic.poll()
                            && topic.has("u1", 4)
                            && topic.has("h1", 1)
                            && topic.has("h2", 1)
                            && topic.has("h3", 1),
                    60);
            // By hand: A = 1.5 + 2, B = 1.5, C = 0.5 (same for their categories and hashtags); the crowd
            // gives B 0.1 x 3 x 2. a2 = a3 = 10.5, b2 = 4.5 + 0.6, c1 = 1.5, f1 = 0.
            assertEquals(List.of("a2", "a3", "b2", "c1", "f1"), rank("u1", topic));
            assertEquals(3.5, score(topic.latest("u1"), "creators", "A"), 1e-3);
            assertEquals(0.0, score(topic.latest("u1"), "creators", "claimed"));

            // "Not interested" in a2: gone from the ranking, and A's other content falls below the rest.
            long sentAt = System.currentTimeMillis();
            send(producer, EVENTS, null, "a2", event("not_interested", "a2", "u1", T0 + 600_000, ""));
            waitUntil(() -> topic.poll() && topic.has("u1", 5), 30);
            long latencyMs = System.currentTimeMillis() - sentAt;
            System.out.printf("not_interested acknowledged -> user's profile on the topic: %d ms%n", latencyMs);
            assertTrue(latencyMs < 10_000, "within seconds: " + latencyMs + " ms");
            List<String> afterNotInterested = rank("u1", topic);
            assertEquals(List.of("b2", "c1", "f1", "a3"), afterNotInterested);
            assertEquals(
                    "not_interested",
                    topic.latest("u1")
                            .get("recent_negatives")
                            .get(0)
                            .get("kind")
                            .asText());
            assertEquals(
                    "A",
                    topic.latest("u1")
                            .get("recent_negatives")
                            .get(0)
                            .get("creator_id")
                            .asText());

            // A view farm: 20 accounts, each 15 view starts of f1 in one minute (the limit is 10), plus a
            // completion, a like and a share of f1. Unflagged, they would give F a crowd score of
            // 0.1 x 20 x 6.5 = 13 and put f1 first.
            for (int bot = 0; bot < 20; bot++) {
                String user = "bot" + bot;
                send(producer, EVENTS, null, "f1", event("like", "f1", user, T0 + 700_000, ""));
                for (int i = 0; i < 15; i++) {
                    send(producer, EVENTS, null, "f1", event("view_start", "f1", user, T0 + 720_000 + i * 100, ""));
                }
                send(producer, EVENTS, null, "f1", event("view_complete", "f1", user, T0 + 722_000, ""));
                send(producer, EVENTS, null, "f1", event("share", "f1", user, T0 + 723_000, ""));
            }
            waitUntil(
                    () -> {
                        topic.poll();
                        for (int bot = 0; bot < 20; bot++) {
                            JsonNode p = topic.latest("bot" + bot);
                            if (p == null || !p.get("suspect").asBoolean()) {
                                return false;
                            }
                        }
                        return true;
                    },
                    60);
            for (int bot = 0; bot < 20; bot++) {
                JsonNode p = topic.latest("bot" + bot);
                assertEquals(0, p.get("creators").size(), "a flagged account carries no affinity");
            }
            assertEquals(afterNotInterested, rank("u1", topic), "the farm moved nothing");

            // Erasure of h1 with the tool: a tombstone, then h1 starts over. A bad request is a dead letter.
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int code = io.engagement.pipeline.clickhouse.EraseUser.run(
                    new String[] {
                        "h1",
                        "--url",
                        SERVERS.clickhouse().httpUrl(),
                        "--kafka",
                        SERVERS.kafka().bootstrapServers()
                    },
                    Map.of(),
                    new java.io.PrintStream(out, true),
                    System.err);
            assertEquals(0, code);
            assertTrue(out.toString().contains("erasure request written to " + ERASURES), out.toString());
            send(producer, ERASURES, null, "x", "{\"user\":\"h2\"}");
            waitUntil(() -> topic.poll() && topic.erased("h1"), 30);
            send(producer, EVENTS, null, "c1", event("save", "c1", "h1", T0 + 800_000, ""));
            waitUntil(() -> topic.poll() && topic.latest("h1") != null, 30);
            assertEquals(1, topic.latest("h1").get("version").asLong(), "the erased like is gone");
            assertEquals(0.0, score(topic.latest("h1"), "creators", "B"));
            assertEquals(2.0, score(topic.latest("h1"), "creators", "C"), 1e-3);
            waitUntil(
                    () -> SERVERS.clickhouse()
                                    .count("SELECT count() FROM engagement.dead_letters"
                                            + " WHERE reason = 'invalid_erasure_request' AND source_topic = '"
                                            + ERASURES + "'")
                            == 1,
                    30);
            assertFalse(topic.duplicates, "every version of a user arrives once, in order: " + topic.versions);
            // The custom properties of u1's first event, through the job's shuffles to the raw events table.
            assertEquals(
                    List.of("['ab.feed','plan']\t['v2','pro']"),
                    SERVERS.clickhouse()
                            .rows("SELECT property_keys, property_values FROM engagement.engagement_events"
                                    + " WHERE user_id = 'u1' AND event_type = 'view_complete' AND content_id = 'a1'"));
        } finally {
            PipelineScenario.cancelAndAwait(job);
        }
    }

    private static List<String> rank(String user, SignalsReader topic) {
        return ReferenceRanker.rank(user, topic.latest, CANDIDATES);
    }

    private static double score(JsonNode profile, String dimension, String id) {
        for (JsonNode entry : profile.get(dimension)) {
            if (entry.get("id").asText().equals(id)) {
                return entry.get("score").asDouble();
            }
        }
        return 0;
    }

    /** Follows the user-signals topic as a read_committed consumer: the newest profile per user. */
    private static final class SignalsReader implements AutoCloseable {
        final Map<String, JsonNode> latest = new HashMap<>();
        final Map<String, List<Long>> versions = new LinkedHashMap<>();
        final Map<String, Boolean> tombstones = new HashMap<>();
        boolean duplicates;
        private final KafkaConsumer<byte[], byte[]> consumer;

        SignalsReader() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS.kafka().bootstrapServers());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "signals-reader");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(p);
            consumer.subscribe(List.of(SIGNALS));
        }

        /** Reads what is committed so far; always true (for use inside a wait condition). */
        boolean poll() throws Exception {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                String user = new String(r.key(), StandardCharsets.UTF_8);
                if (r.value() == null) {
                    latest.remove(user);
                    tombstones.put(user, true);
                    versions.computeIfAbsent(user, u -> new ArrayList<>()).add(0L);
                    continue;
                }
                JsonNode profile = JSON.readTree(r.value());
                long version = profile.get("version").asLong();
                List<Long> seen = versions.computeIfAbsent(user, u -> new ArrayList<>());
                if (!seen.isEmpty() && seen.get(seen.size() - 1) >= version) {
                    duplicates = true;
                }
                seen.add(version);
                latest.put(user, profile);
            }
            return true;
        }

        JsonNode latest(String user) {
            return latest.get(user);
        }

        boolean has(String user, long version) {
            return latest.containsKey(user) && latest.get(user).get("version").asLong() >= version;
        }

        boolean erased(String user) {
            return tombstones.getOrDefault(user, false);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
