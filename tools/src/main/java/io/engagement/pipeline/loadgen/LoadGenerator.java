package io.engagement.pipeline.loadgen;

import io.engagement.pipeline.settings.KafkaClientProperties;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces generated engagement traffic to Kafka at a target rate ({@link TrafficSchedule}), in real
 * time: sessions start at a steady pace and each message is sent when its client would send it (at its
 * event time, later when delayed), so event times track the wall clock as in production.
 *
 * <pre>
 * java -cp job.jar:flink-lib/* io.engagement.pipeline.loadgen.LoadGenerator \
 *     --bootstrap-servers 127.0.0.1:9092 --topic engagement-events --rate 500 --duration-seconds 120
 * </pre>
 * Options: --catalog-topic (publish the generated contents' catalogue there first), --rate (messages/s, default 500), --duration-seconds (default 60), --count (stop after so
 * many messages), --contents, --creators, --users, --seed, --late-fraction, --duplicate-fraction,
 * --malformed-fraction, --plant-surge CONTENT (with --plant-surge-creator, default creator-1: a content with 75
 * minutes of backdated history and a surge of views 110 s before the end, for a creator alert;
 * {@link PlantedSurge}), and Kafka client properties as {@code --kafka.properties.<name> value} or
 * {@code ENGAGEMENT_KAFKA_PROPERTIES_<NAME>} (secrets only from the environment).
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    /** A progress line every few seconds: sent, rate, elapsed, ETA; so a long run is visibly alive. */
    static final class Progress {
        static final long EVERY_MS = 5_000;
        private final long startMs;
        private final long durationMs;
        private final long maxCount;
        private final double targetRate;
        private long nextAtMs;
        private long sentAtLastLine;
        private long lastLineMs;

        Progress(long startMs, long durationMs, long maxCount, double targetRate) {
            this.startMs = startMs;
            this.durationMs = durationMs;
            this.maxCount = maxCount;
            this.targetRate = targetRate;
            this.nextAtMs = startMs + EVERY_MS;
            this.lastLineMs = startMs;
        }

        void maybePrint(long sent, long nowMs) {
            if (nowMs < nextAtMs) {
                return;
            }
            System.out.println(line(sent, nowMs));
            sentAtLastLine = sent;
            lastLineMs = nowMs;
            nextAtMs = nowMs + EVERY_MS;
        }

        String line(long sent, long nowMs) {
            double elapsedS = (nowMs - startMs) / 1000.0;
            double recentRate = (sent - sentAtLastLine) * 1000.0 / Math.max(1, nowMs - lastLineMs);
            double byDurationS = Math.max(0, (durationMs - (nowMs - startMs)) / 1000.0);
            double byCountS =
                    maxCount == Long.MAX_VALUE ? Double.MAX_VALUE : Math.max(0, (maxCount - sent) / targetRate);
            return String.format(
                    "loadgen: sent %,d messages, %,.0f msg/s (target %,.0f), elapsed %.0f s, ETA %.0f s",
                    sent, recentRate, targetRate, elapsedS, Math.min(byDurationS, byCountS));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        java.util.Set<String> known = java.util.Set.of(
                "bootstrap-servers",
                "topic",
                "catalog-topic",
                "rate",
                "duration-seconds",
                "count",
                "contents",
                "creators",
                "users",
                "seed",
                "late-fraction",
                "duplicate-fraction",
                "malformed-fraction",
                "plant-surge",
                "plant-surge-creator");
        for (String key : opts.keySet()) {
            if (!known.contains(key) && !key.startsWith(KafkaClientProperties.PREFIX)) {
                throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
            }
        }
        String bootstrap = opts.getOrDefault("bootstrap-servers", "127.0.0.1:9092");
        String topic = opts.getOrDefault("topic", "engagement-events");
        double rate = Double.parseDouble(opts.getOrDefault("rate", "500"));
        long durationMs = (long) (Double.parseDouble(opts.getOrDefault("duration-seconds", "60")) * 1000);
        long maxCount = Long.parseLong(opts.getOrDefault("count", Long.toString(Long.MAX_VALUE)));
        EventGenerator.Settings d = EventGenerator.Settings.defaults();
        EventGenerator generator = new EventGenerator(new EventGenerator.Settings(
                Integer.parseInt(opts.getOrDefault("contents", Integer.toString(d.contents()))),
                Integer.parseInt(opts.getOrDefault("creators", Integer.toString(d.creators()))),
                Integer.parseInt(opts.getOrDefault("users", Integer.toString(d.users()))),
                d.zipfExponent(),
                d.outOfOrderFraction(),
                Double.parseDouble(opts.getOrDefault("late-fraction", Double.toString(d.lateFraction()))),
                Double.parseDouble(opts.getOrDefault("duplicate-fraction", Double.toString(d.duplicateFraction()))),
                Double.parseDouble(opts.getOrDefault("malformed-fraction", Double.toString(d.malformedFraction()))),
                Long.parseLong(opts.getOrDefault("seed", Long.toString(System.currentTimeMillis())))));

        Properties props = KafkaClientProperties.toProperties(KafkaClientProperties.forTool(opts, System.getenv()));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        long scheduleStart = System.currentTimeMillis();
        TrafficSchedule schedule =
                new TrafficSchedule(generator, rate, scheduleStart, TrafficSchedule.DEFAULT_WARM_UP_MS);
        long start = System.currentTimeMillis();
        // Preparing the warm-up takes a moment (seconds in a cold JVM). The schedule runs that much behind
        // the wall clock, like network latency, instead of sending what fell due meanwhile in one burst.
        long scheduleLagMs = start - scheduleStart;
        long sent = 0;
        Progress progress = new Progress(start, durationMs, maxCount, rate);
        PlantedSurge surge = opts.containsKey("plant-surge")
                ? new PlantedSurge(
                        topic,
                        opts.get("plant-surge"),
                        opts.getOrDefault("plant-surge-creator", "creator-1"),
                        // Its minute must close (its end plus 30 s) while traffic still moves the watermark.
                        Math.max(10_000, durationMs - 110_000))
                : null;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            String catalogTopic = opts.get("catalog-topic");
            if (surge != null && catalogTopic != null) {
                producer.send(new ProducerRecord<>(
                        catalogTopic,
                        surge.contentId().getBytes(StandardCharsets.UTF_8),
                        surge.catalogueEntry().getBytes(StandardCharsets.UTF_8)));
            }
            if (surge != null) {
                surge.sendHistory(producer, System.currentTimeMillis());
            }
            if (catalogTopic != null) {
                // The content service's part: every content is in the catalogue before anyone views it.
                List<EventGenerator.Message> catalogue = generator.catalogue();
                for (EventGenerator.Message entry : catalogue) {
                    producer.send(new ProducerRecord<>(
                            catalogTopic,
                            entry.key().getBytes(StandardCharsets.UTF_8),
                            entry.value().getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                System.out.printf(
                        "loadgen: published the catalogue of %,d contents to %s%n", catalogue.size(), catalogTopic);
            }
            while (sent < maxCount && System.currentTimeMillis() - start < durationMs) {
                progress.maybePrint(sent, System.currentTimeMillis());
                if (surge != null) {
                    surge.maybeSend(producer, System.currentTimeMillis(), System.currentTimeMillis() - start);
                }
                for (EventGenerator.Message m : schedule.due(System.currentTimeMillis() - scheduleLagMs)) {
                    if (sent >= maxCount) {
                        break;
                    }
                    producer.send(new ProducerRecord<>(
                            topic,
                            m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8),
                            m.value().getBytes(StandardCharsets.UTF_8)));
                    sent++;
                }
                Thread.sleep(5);
            }
            producer.flush();
        }
        double seconds = (System.currentTimeMillis() - start) / 1000.0;
        System.out.printf(
                "Sent %d messages to %s in %.1f s (%.0f msg/s); %d sessions started%n",
                sent, topic, seconds, sent / seconds, schedule.sessionsStarted());
    }
}
