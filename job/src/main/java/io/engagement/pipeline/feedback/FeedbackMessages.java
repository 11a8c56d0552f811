package io.engagement.pipeline.feedback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.velocity.ContentVelocity;
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
    public static final String VELOCITY_TYPE = "content_velocity";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FeedbackMessages() {}

    public static byte[] key(ContentMetrics m) {
        return m.contentId.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] key(ContentVelocity v) {
        return v.contentId.getBytes(StandardCharsets.UTF_8);
    }

    /** Velocity and trend of one content as of the end of an hour; keep the highest version per content and as_of. */
    public static byte[] value(ContentVelocity v) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", VELOCITY_TYPE);
        json.put("content_id", v.contentId);
        json.put("creator_id", v.creatorId);
        json.put("as_of", Instant.ofEpochMilli(v.asOfMs).toString());
        json.put("version", v.version);
        json.put("views_per_hour", v.viewsPerHour);
        json.put("engagement_per_hour", v.engagementPerHour);
        json.put("shares_per_hour", v.sharesPerHour);
        json.put("views_last_24h", v.viewsLast24h);
        json.put("views_previous_24h", v.viewsPrevious24h);
        json.put("trend", v.trend);
        json.put("trending", v.trending);
        json.put("peak_views_per_hour", v.peakViewsPerHour);
        json.put("peak_at", Instant.ofEpochMilli(v.peakAtMs).toString());
        return write(json, v);
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
        json.put("validated_views", m.validatedViews);
        json.put("unique_viewers", m.uniqueViewers);
        json.put("completion_rate", m.completionRate);
        json.put("engagement_rate", m.engagementRate);
        json.put("engagement_score", m.engagementScore);
        json.put("quality_score", m.qualityScore);
        json.put("shares", m.shares);
        json.put("skips", m.skips);
        json.put("not_interested", m.notInterested);
        json.put("reports", m.reports);
        return write(json, m);
    }

    private static byte[] write(ObjectNode json, Object source) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize feedback for " + source, e);
        }
    }
}
