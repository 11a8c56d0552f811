package io.engagement.pipeline.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The JSON of one alert on the alerts topic (docs/topics.md#creator-alert), keyed by creator id so a
 * creator's alerts stay in order. The same body is what the service posts to the creator's webhook.
 */
public final class AlertMessages {

    public static final String TYPE = "creator_alert";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertMessages() {}

    public static byte[] key(CreatorAlert alert) {
        return alert.creatorId.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(CreatorAlert alert) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("type", TYPE);
        json.put("alert_id", alert.alertId);
        json.put("kind", alert.kind);
        json.put("creator_id", alert.creatorId);
        json.put("content_id", alert.contentId);
        json.put("window_start", Instant.ofEpochMilli(alert.windowStartMs).toString());
        json.put("window_end", Instant.ofEpochMilli(alert.windowEndMs).toString());
        json.put("observed_views", alert.observedViews);
        json.put("typical_views", Math.round(alert.typicalViews * 10) / 10.0);
        json.put("raised_at", Instant.ofEpochMilli(alert.raisedAtMs).toString());
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + alert, e);
        }
    }
}
