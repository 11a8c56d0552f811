package io.engagement.pipeline.loadgen;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A content with a known story, so a demo shows a creator alert (docs/metrics.md#creator-alerts): 75
 * minutes of history sent first with event times in the past (10 views a minute, so the content is
 * warm when the live traffic starts, and at least one hour of its history has closed: velocity, trending
 * and trending labels read closed hours only, and a demo's live traffic of a few minutes rarely closes
 * one), then 10 views a minute live, and once a surge of 100 views at
 * {@code surgeAtMs} into the run: a spike of 10x its typical minute. The history lands only in a job
 * whose watermark is not past it yet (a job started fresh, or restored from a run more than 75 minutes
 * old); otherwise its events are too late and no alert comes.
 */
final class PlantedSurge {
    static final int HISTORY_MINUTES = 75;
    static final int VIEWS_PER_MINUTE = 10;
    static final int SURGE_VIEWS = 100;

    private final String topic;
    private final String contentId;
    private final String creatorId;
    private final long surgeAtMs;
    private long nextSteadyMs;
    private boolean surged;
    private long seq;

    PlantedSurge(String topic, String contentId, String creatorId, long surgeAtMs) {
        this.topic = topic;
        this.contentId = contentId;
        this.creatorId = creatorId;
        this.surgeAtMs = surgeAtMs;
    }

    /** The content's catalogue entry: its owner, and labels for trending by hashtag, sound and category. */
    String catalogueEntry() {
        return "{\"content_id\":\"" + contentId + "\",\"creator_id\":\"" + creatorId
                + "\",\"duration_ms\":30000,\"category\":\"music\",\"hashtags\":[\"surge\",\"dance\"],"
                + "\"sound_id\":\"sound-surge\"}";
    }

    String contentId() {
        return contentId;
    }

    void sendHistory(KafkaProducer<byte[], byte[]> producer, long nowMs) {
        long firstMinute = (nowMs / 60_000 - HISTORY_MINUTES) * 60_000;
        for (long minute = firstMinute; minute < nowMs - 60_000; minute += 60_000) {
            for (int v = 0; v < VIEWS_PER_MINUTE; v++) {
                send(producer, minute + v * 6_000L);
            }
        }
        nextSteadyMs = nowMs;
    }

    /** Called as the live traffic runs ({@code elapsedMs} into it): steady views, and the surge once. */
    void maybeSend(KafkaProducer<byte[], byte[]> producer, long nowMs, long elapsedMs) {
        while (nowMs >= nextSteadyMs) {
            send(producer, nowMs);
            nextSteadyMs += 60_000 / VIEWS_PER_MINUTE;
        }
        if (!surged && elapsedMs >= surgeAtMs) {
            surged = true;
            for (int v = 0; v < SURGE_VIEWS; v++) {
                send(producer, nowMs);
            }
            System.out.printf(
                    "loadgen: planted a surge of %d views on %s (creator %s)%n", SURGE_VIEWS, contentId, creatorId);
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, long eventTimeMs) {
        long n = seq++;
        String json = "{\"event_id\":\"" + contentId + "-" + n + "\",\"event_type\":\"view_start\",\"content_id\":\""
                + contentId + "\",\"creator_id\":\"" + creatorId + "\",\"user_id\":\"" + contentId + "-viewer-" + n
                + "\",\"session_id\":\"" + contentId + "-session-" + n + "\",\"event_time\":" + eventTimeMs + "}";
        producer.send(new ProducerRecord<>(
                topic, contentId.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
    }
}
