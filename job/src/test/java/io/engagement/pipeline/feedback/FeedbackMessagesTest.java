package io.engagement.pipeline.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.velocity.ContentVelocity;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The feedback messages are the JSON of docs/topics.md, byte for byte: compared with the same message
 * built as a Jackson tree, field by field from the documented list (how the messages were written
 * before the streaming generator).
 */
class FeedbackMessagesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aContentWindowsScoresAsDocumented() throws Exception {
        ContentMetrics m = new ContentMetrics();
        m.contentId = "content-\u00e9\"7";
        m.creatorId = "";
        m.grain = "hour";
        m.windowStartMs = 1_764_979_200_000L;
        m.windowEndMs = 1_764_982_800_000L;
        m.version = 3;
        m.views = 1_234;
        m.validatedViews = 1_200;
        m.uniqueViewers = 987;
        m.completionRate = 0.4375;
        m.engagementRate = 1.0 / 3.0;
        m.engagementScore = 72.5;
        m.qualityScore = Double.MIN_VALUE;
        m.shares = 12;
        m.skips = 300;
        m.notInterested = 4;
        m.reports = 1;

        ObjectNode expected = MAPPER.createObjectNode();
        expected.put("type", "content_scores");
        expected.put("content_id", "content-\u00e9\"7");
        expected.put("creator_id", "");
        expected.put("grain", "hour");
        expected.put("window_start", "2025-12-06T00:00:00Z");
        expected.put("window_end", "2025-12-06T01:00:00Z");
        expected.put("version", 3L);
        expected.put("views", 1_234L);
        expected.put("validated_views", 1_200L);
        expected.put("unique_viewers", 987L);
        expected.put("completion_rate", 0.4375);
        expected.put("engagement_rate", 1.0 / 3.0);
        expected.put("engagement_score", 72.5);
        expected.put("quality_score", Double.MIN_VALUE);
        expected.put("shares", 12L);
        expected.put("skips", 300L);
        expected.put("not_interested", 4L);
        expected.put("reports", 1L);

        assertEquals(
                new String(MAPPER.writeValueAsBytes(expected), StandardCharsets.UTF_8),
                new String(FeedbackMessages.value(m), StandardCharsets.UTF_8));
    }

    @Test
    void aContentsVelocityAsDocumented() throws Exception {
        ContentVelocity v = new ContentVelocity();
        v.contentId = "c1";
        v.creatorId = "k1";
        v.asOfMs = 1_764_982_800_000L;
        v.version = 2;
        v.viewsPerHour = 150.5;
        v.engagementPerHour = 20.25;
        v.sharesPerHour = 1.5;
        v.viewsLast24h = 3_000;
        v.viewsPrevious24h = 1_000;
        v.trend = "rising";
        v.trending = true;
        v.peakViewsPerHour = 400;
        v.peakAtMs = 1_764_975_600_000L;

        ObjectNode expected = MAPPER.createObjectNode();
        expected.put("type", "content_velocity");
        expected.put("content_id", "c1");
        expected.put("creator_id", "k1");
        expected.put("as_of", "2025-12-06T01:00:00Z");
        expected.put("version", 2L);
        expected.put("views_per_hour", 150.5);
        expected.put("engagement_per_hour", 20.25);
        expected.put("shares_per_hour", 1.5);
        expected.put("views_last_24h", 3_000L);
        expected.put("views_previous_24h", 1_000L);
        expected.put("trend", "rising");
        expected.put("trending", true);
        expected.put("peak_views_per_hour", 400.0);
        expected.put("peak_at", "2025-12-05T23:00:00Z");

        assertEquals(
                new String(MAPPER.writeValueAsBytes(expected), StandardCharsets.UTF_8),
                new String(FeedbackMessages.value(v), StandardCharsets.UTF_8));
    }
}
