package io.engagement.pipeline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.alerts.CreatorAlert;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.testing.CollectingSink;
import io.engagement.pipeline.testing.TestSinks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Creator alerts through the production topology (MiniCluster, parallelism 2, in-memory sinks), over a
 * simulated day of view starts for three contents of one creator: steady traffic on a daily curve with
 * random noise, a planted surge (one minute of 200 views on content "surge", typically ~16 a minute),
 * and a planted slump (content "slump" down from ~16 to 1 a minute for 40 minutes). Expected: exactly
 * one spike, for the surge's minute, with its 200 views; exactly one drop, for the slump, within the
 * 10 minutes after it began; nothing for the steady content or the rest of the day.
 */
class CreatorAlertsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final int SURGE_MINUTE = 600;
    private static final int SLUMP_FROM = 900;
    private static final int SLUMP_MINUTES = 40;

    @Test
    void aPlantedSurgeAndAPlantedDropRaiseOneAlertEachAndSteadyTrafficNone() throws Exception {
        Random random = new Random(11);
        List<long[]> views = new ArrayList<>(); // {time, content index}
        String[] contents = {"steady", "surge", "slump"};
        for (int minute = 0; minute < 24 * 60; minute++) {
            double mean = 16 - 8 * Math.cos(2 * Math.PI * minute / (24 * 60)); // 8 .. 24 a minute
            for (int c = 0; c < contents.length; c++) {
                int count = 0;
                if (c == 1 && minute == SURGE_MINUTE) {
                    count = 200;
                } else if (c == 2 && minute >= SLUMP_FROM && minute < SLUMP_FROM + SLUMP_MINUTES) {
                    count = 1;
                } else {
                    for (int trial = 0; trial < 100; trial++) {
                        count += random.nextDouble() < mean / 100 ? 1 : 0;
                    }
                }
                for (int v = 0; v < count; v++) {
                    views.add(new long[] {T0 + minute * MINUTE + random.nextInt(60_000), c});
                }
            }
        }
        views.sort(Comparator.comparingLong(v -> v[0]));
        List<RawEvent> input = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            long[] v = views.get(i);
            String json = "{\"event_id\":\"v" + i + "\",\"event_type\":\"view_start\",\"content_id\":\""
                    + contents[(int) v[1]] + "\",\"creator_id\":\"k1\",\"user_id\":\"u" + random.nextInt(5_000)
                    + "\",\"session_id\":\"s" + i + "\",\"event_time\":" + v[0] + "}";
            input.add(new RawEvent(json.getBytes(StandardCharsets.UTF_8), "engagement-events", 0, i));
        }

        JobConfig config = JobConfig.fromSources(new String[] {"--validation.max-event-age", "3650 d"}, Map.of());
        CollectingSink<CreatorAlert> alerts = new CollectingSink<>();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        EngagementPipeline.configure(env);
        new EngagementPipeline(config, TestSinks.discarding().withAlerts(alerts, new CollectingSink<>()))
                .build(EngagementPipeline.validate(
                        env.fromData(TypeInformation.of(RawEvent.class), input.toArray(new RawEvent[0])), config));
        env.execute("creator-alerts-test");

        List<CreatorAlert> raised = alerts.records();
        assertEquals(2, raised.size(), raised.toString());
        Map<String, CreatorAlert> byKind = raised.stream().collect(Collectors.toMap(a -> a.kind, a -> a));

        CreatorAlert spike = byKind.get(CreatorAlert.SPIKE);
        assertEquals("surge", spike.contentId);
        assertEquals("k1", spike.creatorId);
        assertEquals(T0 + SURGE_MINUTE * MINUTE, spike.windowStartMs);
        assertEquals(200, spike.observedViews);

        CreatorAlert drop = byKind.get(CreatorAlert.DROP);
        assertEquals("slump", drop.contentId);
        long dropMinute = (drop.windowEndMs - T0) / MINUTE - 1;
        assertTrue(
                dropMinute >= SLUMP_FROM && dropMinute < SLUMP_FROM + 10,
                "the drop is raised within the 10-minute span after the slump began, at minute " + dropMinute);
        assertTrue(drop.observedViews * 4 <= drop.typicalViews, drop.toString());
    }
}
