package io.engagement.pipeline.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces accepted events to the input topic and answers only once Kafka has them: an idempotent
 * producer with {@code acks=all}, keyed by content id (the job's partitioning). The events between
 * "accepted" and "acknowledged" are bounded ({@code service.max-pending-events}); when that bound or
 * the wait for Kafka ({@code service.produce-timeout}) is exceeded, the caller answers 503 with
 * Retry-After and the client sends the same events again. An event may then reach Kafka twice (the
 * first send can still complete): the job drops the copy by its event id, so nothing is lost and
 * nothing counted twice.
 */
public final class EventPublisher implements AutoCloseable {

    /** One event to produce: the key (content id), the message, its server time. */
    public record Outgoing(String contentId, byte[] message, long serverTimeMs) {}

    /** Kafka did not acknowledge in time, or too many events are pending: answer 503 and let the client retry. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message);
        }
    }

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Semaphore pending;
    private final int maxPending;
    private final Duration timeout;

    public EventPublisher(Producer<String, byte[]> producer, String topic, int maxPending, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.pending = new Semaphore(maxPending);
        this.maxPending = maxPending;
        this.timeout = timeout;
    }

    public static EventPublisher forConfig(ServiceConfig config) {
        // The client properties first (security, client id, ...), so the service's own settings below win.
        Properties p = io.engagement.pipeline.settings.KafkaClientProperties.toProperties(config.kafkaProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(config.kafkaLinger.toMillis()));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // send() must not block a request thread for long while the brokers are unreachable.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        // Retried inside the producer for as long as a client would reasonably wait, then failed.
        long deliveryMs = Math.max(config.produceTimeout.toMillis() * 3, 30_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryMs));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(deliveryMs - 5, 15_000)));
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "engagement-service");
        return new EventPublisher(
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()),
                config.inputTopic,
                config.maxPendingEvents,
                config.produceTimeout);
    }

    /** Produces every event and returns once Kafka acknowledged all of them. */
    public void publish(List<Outgoing> events) throws Unavailable, InterruptedException {
        publish(topic, events);
    }

    /**
     * Produces one content catalogue entry keyed by its content id ({@code entry} null: a deletion, a
     * tombstone on the compacted topic) and returns once Kafka acknowledged it.
     */
    public void publishCatalogueEntry(String catalogueTopic, String contentId, byte[] entry, long serverTimeMs)
            throws Unavailable, InterruptedException {
        publish(catalogueTopic, List.of(new Outgoing(contentId, entry, serverTimeMs)));
    }

    private void publish(String topic, List<Outgoing> events) throws Unavailable, InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        if (!pending.tryAcquire(events.size())) {
            throw new Unavailable("more than service.max-pending-events events are waiting for Kafka");
        }
        List<Future<?>> sends = new ArrayList<>(events.size());
        try {
            for (Outgoing e : events) {
                sends.add(
                        producer.send(new ProducerRecord<>(topic, null, e.serverTimeMs(), e.contentId(), e.message())));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<?> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new Unavailable(
                    "Kafka did not acknowledge within service.produce-timeout (" + timeout.toMillis() + " ms)");
        } catch (java.util.concurrent.ExecutionException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new Unavailable("Kafka refused the events: " + cause);
        } finally {
            pending.release(events.size());
        }
    }

    /** Events sent and not yet acknowledged (or timed out). */
    public long pendingEvents() {
        return maxPending - pending.availablePermits();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
