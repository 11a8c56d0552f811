package io.engagement.pipeline.feedback;

import io.engagement.pipeline.aggregate.ContentMetrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The JSON a recommender reads from the feedback topic (docs/topics.md): the scores of one content in
 * one window. Plain JSON with snake_case names so consumers need none of our code. Messages are keyed
 * by content id, so one content's updates stay in order on one partition; a consumer keeps, per
 * (content_id, grain, window_start), the message with the highest {@code version}.
 */
public final class FeedbackMessages {

    public static final String TYPE = "content_scores";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FeedbackMessages() {}

    public static byte[] key(ContentMetrics m) {
        return m.contentId.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(ContentMetrics m) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", TYPE);
        json.put("content_id", m.contentId);
        json.put("creator_id", m.creatorId);
        json.put("grain", m.grain);
        json.put("window_start", Instant.ofEpochMilli(m.windowStartMs).toString());
        json.put("window_end", Instant.ofEpochMilli(m.windowEndMs).toString());
        json.put("version", m.version);
        json.put("views", m.views);
        json.put("unique_viewers", m.uniqueViewers);
        json.put("completion_rate", m.completionRate);
        json.put("engagement_rate", m.engagementRate);
        json.put("engagement_score", m.engagementScore);
        json.put("quality_score", m.qualityScore);
        json.put("shares", m.shares);
        json.put("skips", m.skips);
        json.put("not_interested", m.notInterested);
        json.put("reports", m.reports);
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize feedback for " + m, e);
        }
    }
}
