package io.engagement.pipeline.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engagement.pipeline.creator.CreatorMetrics;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A creator's day against its typical day (factor 3, at least 100 views); figures by hand in the comments. */
class CreatorDayAlertsTest {

    private static final long D = CreatorDayAlerts.DAY_MS;
    private static final long DAY0 = 20_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, CreatorMetrics, CreatorAlert> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new CreatorDayAlerts(new AlertRules(4, 50, 4, 5, 3, 100)), m -> m.creatorId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void day(long day, long views, long version, boolean provisional) throws Exception {
        CreatorMetrics m = new CreatorMetrics();
        m.grain = "day";
        m.creatorId = "k";
        m.windowStartMs = day * D;
        m.windowEndMs = (day + 1) * D;
        m.views = views;
        m.version = version;
        m.provisional = provisional;
        if (CreatorDayAlerts.isFirstClosing(m)) {
            harness.processElement(new StreamRecord<>(m, (day + 1) * D - 1));
        }
    }

    @Test
    void aDayFarAboveOrBelowTheTypicalDayRaisesOneAlertEach() throws Exception {
        for (int i = 0; i < 7; i++) {
            day(DAY0 + i, 1_000, 1, false); // typical: exactly 1 000 a day
        }
        day(DAY0 + 7, 2_900, 1, false); // under 3 x 1 000: nothing
        day(DAY0 + 8, 900, 0, true); // a provisional row: not a closed day
        // day 7 was learned from: typical 1 000 + (2 900 - 1 000) / 7 = 1 271.43; 3 x that = 3 814.3
        day(DAY0 + 8, 4_000, 1, false);
        day(DAY0 + 8, 4_100, 2, false); // a late update of the same day: not a new day
        assertEquals(1, harness.extractOutputValues().size());
        CreatorAlert high = harness.extractOutputValues().get(0);
        assertEquals(CreatorAlert.DAY_HIGH, high.kind);
        assertEquals("", high.contentId);
        assertEquals(4_000, high.observedViews);
        assertEquals(1_000 + 1_900 / 7.0, high.typicalViews, 1e-9);
        assertEquals("day_high:k:" + (DAY0 + 9) * D, high.alertId);

        // A day not learned from: the typical day is still 1 271.43; a third of it is 423.8.
        day(DAY0 + 9, 400, 1, false);
        List<CreatorAlert> alerts = harness.extractOutputValues();
        assertEquals(2, alerts.size());
        assertEquals(CreatorAlert.DAY_LOW, alerts.get(1).kind);
        assertEquals(400, alerts.get(1).observedViews);
    }
}
