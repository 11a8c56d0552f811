package io.engagement.pipeline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.retention.ContentRetention;
import io.engagement.pipeline.testing.CollectingSink;
import io.engagement.pipeline.testing.TestSinks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Audience retention through the production topology (MiniCluster, parallelism 2, in-memory sinks):
 * a generator plays three contents with exit positions it knows, in shuffled order within a few
 * seconds of disorder, over three hours; the retention rows of every (content, hour) are exactly the
 * exits counted from the known positions by plain integer arithmetic, and so is the intro hold.
 */
class RetentionITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000;

    @Test
    void everyHourCountsWhereItsPlaysEnded() throws Exception {
        Random random = new Random(2026);
        String[] contents = {"r1", "r2", "r3"};
        long[] durationsMs = {15_000, 60_000, 240_000};
        // (content, hour start) -> the 21 exit counts and the intro plays and held, computed from the
        // positions given in thousandths: i / 50 is the 5 % step, 1000 the end.
        Map<String, long[]> expected = new TreeMap<>();
        List<String> events = new ArrayList<>();
        for (int play = 0; play < 3_000; play++) {
            int c = random.nextInt(contents.length);
            long at = T0 + random.nextInt(3 * 3_600) * 1_000L;
            int thousandths = random.nextInt(4) == 0 ? 1000 : random.nextInt(1000);
            String id = "p" + play;
            events.add(json(id + "-start", "view_start", contents[c], id, at, ""));
            events.add(
                    thousandths == 1000
                            ? json(
                                    id + "-end",
                                    "view_complete",
                                    contents[c],
                                    id,
                                    at + 500,
                                    durationField(durationsMs[c]))
                            : json(
                                    id + "-end",
                                    "swipe_away",
                                    contents[c],
                                    id,
                                    at + 500,
                                    ",\"progress\":" + (thousandths / 1000.0) + durationField(durationsMs[c])));
            long[] counts = expected.computeIfAbsent(
                    contents[c] + " " + Instant.ofEpochMilli(at + 500 - Math.floorMod(at + 500, HOUR)),
                    k -> new long[23]);
            counts[thousandths == 1000 ? 20 : thousandths / 50]++;
            if (durationsMs[c] >= 30_000) { // a content shorter than 30 s has no intro to hold
                counts[21]++;
                if ((long) thousandths * durationsMs[c] >= 30_000L * 1000) {
                    counts[22]++;
                }
            }
        }
        Collections.shuffle(events, random);
        List<RawEvent> input = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            input.add(new RawEvent(events.get(i).getBytes(StandardCharsets.UTF_8), "engagement-events", 0, i));
        }

        // Shuffled over three hours: let everything be on time.
        JobConfig config = JobConfig.fromSources(
                new String[] {"--validation.max-event-age", "3650 d", "--watermark.out-of-orderness", "4 h"}, Map.of());
        CollectingSink<ContentRetention> retention = new CollectingSink<>();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        EngagementPipeline.configure(env);
        new EngagementPipeline(config, TestSinks.discarding().withContentRetention(retention))
                .build(EngagementPipeline.validate(
                        env.fromData(TypeInformation.of(RawEvent.class), input.toArray(new RawEvent[0])), config));
        env.execute("retention-test");

        Map<String, long[]> actual = new TreeMap<>();
        for (ContentRetention row : retention.records()) {
            assertEquals(1, row.version, row.toString()); // every play on time: one final firing per hour
            assertEquals("k1", row.creatorId, "without a catalogue, the owner the events claim");
            long[] counts = Arrays.copyOf(row.counts.exits, 23);
            counts[21] = row.counts.introPlays;
            counts[22] = row.counts.introHeld;
            actual.put(row.contentId + " " + Instant.ofEpochMilli(row.windowStartMs), counts);
        }
        assertEquals(toText(expected), toText(actual));
    }

    private static String durationField(long durationMs) {
        return ",\"content_duration_ms\":" + durationMs;
    }

    private static String json(String id, String type, String content, String user, long time, String extra) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"content_id\":\"" + content
                + "\",\"creator_id\":\"k1\",\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user
                + "\",\"event_time\":" + time + extra + "}";
    }

    private static Map<String, String> toText(Map<String, long[]> counts) {
        Map<String, String> text = new TreeMap<>();
        counts.forEach((k, v) -> text.put(k, Arrays.toString(v)));
        return text;
    }
}
