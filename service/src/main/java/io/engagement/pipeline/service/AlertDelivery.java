package io.engagement.pipeline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Delivers the job's creator alerts (the alerts topic, read_committed) to the creators' webhooks
 * ({@link AlertWebhooks}): each alert POSTed as the topic's JSON, signed, with header
 * {@code X-Engagement-Alert-Id}; retried with exponential backoff on network errors, 5xx, 408 and 429
 * ({@code service.alert-delivery-attempts}, first wait {@code service.alert-delivery-backoff}, doubling),
 * given up at once on another 4xx. Every attempt goes to ClickHouse table {@code alert_deliveries} (the
 * delivery log). The alerts of one poll are delivered in parallel, and the consumer's offsets are
 * committed once each of them is delivered or given up: at least once, so after a crash a receiver may
 * see an alert again and drops it by its id. A failing webhook delays the other alerts of its poll by at
 * most its retries; it never touches the service's HTTP threads.
 */
final class AlertDelivery implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlertDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final ServiceConfig config;
    private final AlertWebhooks webhooks;
    private final ClickHouseHttp clickhouse;
    private final HttpClient http;
    private final ExecutorService workers;
    private final Thread loop;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong gaveUp = new AtomicLong();
    final AtomicLong withoutWebhook = new AtomicLong();

    AlertDelivery(ServiceConfig config, AlertWebhooks webhooks, ClickHouseHttp clickhouse) {
        this.config = config;
        this.webhooks = webhooks;
        this.clickhouse = clickhouse;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.workers = Executors.newFixedThreadPool(8, runnable -> {
            Thread t = new Thread(runnable, "alert-delivery-worker");
            t.setDaemon(true);
            return t;
        });
        this.loop = new Thread(this::run, "alert-delivery");
        this.loop.setDaemon(true);
    }

    AlertDelivery start() {
        loop.start();
        LOG.info("delivering alerts from {} to the webhooks of {} creators", config.alertsTopic, webhooks.size());
        return this;
    }

    private void run() {
        Properties p = io.engagement.pipeline.settings.KafkaClientProperties.toProperties(config.kafkaProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.alertDeliveryGroup);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        // The slowest poll waits for every delivery's retries: allow for them.
        long retriesMs = config.alertDeliveryBackoff.toMillis() * (1L << Math.min(config.alertDeliveryAttempts, 20))
                + config.alertDeliveryAttempts * REQUEST_TIMEOUT.toMillis();
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(Math.max(300_000, 2 * retriesMs)));
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "engagement-service-alerts");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(config.alertsTopic));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                List<Future<?>> deliveries = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    deliveries.add(workers.submit(() -> deliver(record.value())));
                }
                for (Future<?> delivery : deliveries) {
                    delivery.get();
                }
                c.commitSync();
            }
        } catch (WakeupException e) {
            // close()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("alert delivery stopped: {}", e.toString(), e);
        }
    }

    /** One alert, with its retries. Never throws: every outcome is logged. */
    void deliver(byte[] body) {
        JsonNode alert;
        try {
            alert = JSON.readTree(body);
        } catch (IOException e) {
            alert = null;
        }
        if (alert == null || !alert.hasNonNull("alert_id") || !alert.hasNonNull("creator_id")) {
            LOG.warn("alert message without alert_id or creator_id skipped ({} bytes)", body == null ? 0 : body.length);
            return;
        }
        String alertId = alert.get("alert_id").asText();
        String creatorId = alert.get("creator_id").asText();
        AlertWebhooks.Webhook hook = webhooks.of(creatorId);
        if (hook == null) {
            withoutWebhook.incrementAndGet();
            return;
        }
        long waitMs = config.alertDeliveryBackoff.toMillis();
        for (int attempt = 1; attempt <= config.alertDeliveryAttempts && running; attempt++) {
            int status = 0;
            String error = "";
            try {
                long now = Instant.now().getEpochSecond();
                HttpRequest request = HttpRequest.newBuilder(hook.url())
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "engagement-alerts")
                        .header("X-Engagement-Alert-Id", alertId)
                        .header("X-Engagement-Signature", AlertWebhooks.signature(hook.secret(), now, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                status = http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status >= 200 && status < 300) {
                    delivered.incrementAndGet();
                    log(alertId, creatorId, attempt, "delivered", status, "");
                    return;
                }
                error = "HTTP " + status;
                if (status < 500 && status != 408 && status != 429) {
                    gaveUp.incrementAndGet();
                    log(alertId, creatorId, attempt, "gave_up", status, error + " (not retried)");
                    return;
                }
            } catch (IOException e) {
                error = ClickHouseHttp.oneLine(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt == config.alertDeliveryAttempts) {
                gaveUp.incrementAndGet();
                log(alertId, creatorId, attempt, "gave_up", status, error);
                return;
            }
            failedAttempts.incrementAndGet();
            log(alertId, creatorId, attempt, "failed", status, error);
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            waitMs *= 2;
        }
    }

    private void log(String alertId, String creatorId, int attempt, String outcome, int status, String error) {
        ObjectNode row = JSON.createObjectNode();
        row.put("alert_id", alertId);
        row.put("creator_id", creatorId);
        row.put("attempt", attempt);
        row.put("outcome", outcome);
        row.put("http_status", status);
        row.put("error", error.length() > 500 ? error.substring(0, 500) : error);
        row.put("at", Instant.now().getEpochSecond());
        try {
            clickhouse.execute("INSERT INTO " + config.clickhouseDatabase + ".alert_deliveries FORMAT JSONEachRow\n"
                    + JSON.writeValueAsString(row));
        } catch (IOException e) {
            LOG.warn(
                    "alert {} attempt {} {}: the delivery log was not written: {}",
                    alertId,
                    attempt,
                    outcome,
                    ClickHouseHttp.oneLine(e));
        }
    }

    /** The delivery counters in Prometheus' text format (appended to the service's /metrics). */
    String prometheusText() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP engagement_service_alert_deliveries_total Alerts by outcome: delivered, gave_up, no_webhook;"
                        + " failed counts attempts that were retried.\n")
                .append("# TYPE engagement_service_alert_deliveries_total counter\n");
        out.append("engagement_service_alert_deliveries_total{outcome=\"delivered\"} ")
                .append(delivered.get())
                .append('\n');
        out.append("engagement_service_alert_deliveries_total{outcome=\"failed\"} ")
                .append(failedAttempts.get())
                .append('\n');
        out.append("engagement_service_alert_deliveries_total{outcome=\"gave_up\"} ")
                .append(gaveUp.get())
                .append('\n');
        out.append("engagement_service_alert_deliveries_total{outcome=\"no_webhook\"} ")
                .append(withoutWebhook.get())
                .append('\n');
        return out.toString();
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
