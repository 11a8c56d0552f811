package io.engagement.pipeline.feedback;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.velocity.ContentVelocity;
import java.io.IOException;
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
    private static final JsonFactory JSON = new JsonFactory();

    private FeedbackMessages() {}

    public static byte[] key(ContentMetrics m) {
        return m.contentId.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] key(ContentVelocity v) {
        return v.contentId.getBytes(StandardCharsets.UTF_8);
    }

    /** Velocity and trend of one content as of the end of an hour; keep the highest version per content and as_of. */
    public static byte[] value(ContentVelocity v) {
        return message(v, json -> {
            json.writeStringField("type", VELOCITY_TYPE);
            json.writeStringField("content_id", v.contentId);
            json.writeStringField("creator_id", v.creatorId);
            json.writeStringField("as_of", Instant.ofEpochMilli(v.asOfMs).toString());
            json.writeNumberField("version", v.version);
            json.writeNumberField("views_per_hour", v.viewsPerHour);
            json.writeNumberField("engagement_per_hour", v.engagementPerHour);
            json.writeNumberField("shares_per_hour", v.sharesPerHour);
            json.writeNumberField("views_last_24h", v.viewsLast24h);
            json.writeNumberField("views_previous_24h", v.viewsPrevious24h);
            json.writeStringField("trend", v.trend);
            json.writeBooleanField("trending", v.trending);
            json.writeNumberField("peak_views_per_hour", v.peakViewsPerHour);
            json.writeStringField("peak_at", Instant.ofEpochMilli(v.peakAtMs).toString());
        });
    }

    /**
     * The scores of one content window. Written field by field with Jackson's streaming generator, not
     * built as a tree first: one message per closed window of every content, and the tree was most of
     * what the feedback writer allocated (docs/benchmarks.md, issue 20, twelfth session).
     */
    public static byte[] value(ContentMetrics m) {
        return message(m, json -> {
            json.writeStringField("type", TYPE);
            json.writeStringField("content_id", m.contentId);
            json.writeStringField("creator_id", m.creatorId);
            json.writeStringField("grain", m.grain);
            json.writeStringField(
                    "window_start", Instant.ofEpochMilli(m.windowStartMs).toString());
            json.writeStringField(
                    "window_end", Instant.ofEpochMilli(m.windowEndMs).toString());
            json.writeNumberField("version", m.version);
            json.writeNumberField("views", m.views);
            json.writeNumberField("validated_views", m.validatedViews);
            json.writeNumberField("unique_viewers", m.uniqueViewers);
            json.writeNumberField("completion_rate", m.completionRate);
            json.writeNumberField("engagement_rate", m.engagementRate);
            json.writeNumberField("engagement_score", m.engagementScore);
            json.writeNumberField("quality_score", m.qualityScore);
            json.writeNumberField("shares", m.shares);
            json.writeNumberField("skips", m.skips);
            json.writeNumberField("not_interested", m.notInterested);
            json.writeNumberField("reports", m.reports);
        });
    }

    /** The fields of one message, written in order. */
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] message(Object source, Fields fields) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize feedback for " + source, e);
        }
        return bytes.toByteArray();
    }
}
