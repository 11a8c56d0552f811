package io.engagement.pipeline.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/** The Flink-free duration parser reads every setting as Flink's own TimeUtils does (the settings' documented grammar). */
class DurationsTest {

    @Test
    void parsesWhatFlinksTimeUtilsParses() {
        for (String text : List.of(
                "0",
                "250",
                "200 ms",
                "200ms",
                "30 s",
                "30s",
                "5 min",
                "5min",
                "10 m",
                "6 h",
                "7 d",
                "3650 d",
                "1 day",
                "2 days",
                "3 hours",
                "90 seconds",
                "15 minutes",
                "12 MS",
                " 7 d ",
                "1 second",
                "5 millis",
                "7 micros",
                "9 ns")) {
            assertEquals(TimeUtils.parseDuration(text), Durations.parse(text), text);
        }
    }

    @Test
    void refusesWhatFlinksTimeUtilsRefuses() {
        for (String text : List.of("", "ten s", "5 weeks", "-5 s", "1.5 s", "s", "99999999999999999999 d")) {
            assertThrows(IllegalArgumentException.class, () -> TimeUtils.parseDuration(text), text);
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(text), text);
        }
    }
}
