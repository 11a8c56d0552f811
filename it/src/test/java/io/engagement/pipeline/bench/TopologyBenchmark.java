package io.engagement.pipeline.bench;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.ContentWindowAggregate;
import io.engagement.pipeline.aggregate.CountryPartials;
import io.engagement.pipeline.aggregate.CountryWindowAccumulator;
import io.engagement.pipeline.aggregate.CountryWindowDelta;
import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.dedup.DeduplicateAndRouteLate;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EngagementEventSerializer;
import io.engagement.pipeline.event.EventValidator;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.event.ValidateEvents;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.event.ValidationResult;
import io.engagement.pipeline.loadgen.EventGenerator;
import io.engagement.pipeline.signals.UserSignal;
import io.engagement.pipeline.testing.PipelineScenario;
import io.engagement.pipeline.testing.TestSinks;
import io.engagement.pipeline.topology.EngagementPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Throughput of the production topology on a local Flink MiniCluster with RocksDB and exactly-once
 * checkpoints, against a baseline measured in the same run: the same input through validation and
 * de-duplication only. A third variant keeps only the minute grain, so the cost of the longer
 * windows and of the creator and country breakdowns shows as a ratio. Then per-call latency
 * percentiles of the hot functions. Input: generated engagement traffic (EventGenerator) held in
 * memory, so the figures are the job's, not Kafka's. Run with deploy/benchmark.sh; prints, asserts nothing.
 */
public final class TopologyBenchmark {

    /** Shared with the in-process MiniCluster: the map after the sequence source reads from it. */
    static byte[][] payloads;

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        payloads = generate(events);
        // -Dbench.job="--key value ...": job settings for an A/B of one of them (e.g. --views.validation off).
        List<String> jobArgs = new ArrayList<>(List.of("--validation.max-event-age", "3650 d"));
        String extra = System.getProperty("bench.job", "").trim();
        if (!extra.isEmpty()) {
            for (String setting : extra.split("\\s*(?=--)")) {
                int space = setting.indexOf(' ');
                jobArgs.add(setting.substring(0, space).trim());
                jobArgs.add(setting.substring(space + 1).trim());
            }
        }
        JobConfig config = JobConfig.fromSources(jobArgs.toArray(new String[0]), Map.of());
        JobConfig minuteOnly = JobConfig.fromSources(
                new String[] {"--validation.max-event-age", "3650 d", "--window.grains", "minute"}, Map.of());
        System.out.printf(
                "%,d messages (about 8 hours of event time), parallelism %d, RocksDB, exactly-once checkpoints every 5 s%n",
                payloads.length, parallelism);

        if (args.length > 2 && args[2].equals("functions")) {
            // Per-call figures of the hot functions alone: no MiniCluster, so far less noise for an
            // A/B of a change inside one of them. Two rounds to warm the JIT up, the third printed.
            for (int round = 0; round < 2; round++) {
                latencies(config, false);
            }
            latencies(config, true);
            return;
        }
        if (args.length > 2 && args[2].equals("quick")) {
            // The inner loop for one design change: the production topology against the baseline, best of 2 each.
            run("warm-up (not reported)", parallelism, env -> baseline(env, config));
            double quickBaseline = best("baseline: validate + de-duplicate", parallelism, env -> baseline(env, config));
            double quickFull = best(
                    "production topology (all grains, creators, countries, velocity, sessions)",
                    parallelism,
                    env -> full(env, config));
            System.out.printf("%nratio to the baseline: production topology %.2f%n", quickFull / quickBaseline);
            return;
        }
        run("warm-up (not reported)", parallelism, env -> baseline(env, config));
        double baseline = best("baseline: validate + de-duplicate", parallelism, env -> baseline(env, config));
        double minute = best("topology, minute grain only", parallelism, env -> full(env, minuteOnly));
        double full = best(
                "production topology (all grains, creators, countries, velocity, sessions)",
                parallelism,
                env -> full(env, config));
        System.out.printf(
                "%nratios to the baseline: minute-only topology %.2f, production topology %.2f%n",
                minute / baseline, full / baseline);
        System.out.printf("production topology / minute-only topology: %.2f%n", full / minute);

        latencies(config, true);
    }

    interface Topology {
        void build(StreamExecutionEnvironment env) throws Exception;
    }

    private static double best(String name, int parallelism, Topology topology) throws Exception {
        double best = 0;
        for (int i = 0; i < 2; i++) {
            best = Math.max(best, run(name, parallelism, topology));
        }
        System.out.printf("%-78s best %,10.0f events/s%n", name, best);
        return best;
    }

    private static double run(String name, int parallelism, Topology topology) throws Exception {
        Path checkpoints = Files.createTempDirectory("bench-checkpoints");
        Configuration conf = PipelineScenario.flinkConf(checkpoints); // the failure tests' RocksDB setup
        for (String setting : System.getProperty("bench.flink", "").split(";")) { // A/B of runtime settings
            if (setting.contains("=")) {
                conf.setString(
                        setting.substring(0, setting.indexOf('=')).trim(),
                        setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        conf.setString("execution.checkpointing.interval", "5 s");
        conf.setString("taskmanager.numberOfTaskSlots", Integer.toString(parallelism));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        EngagementPipeline.configure(env);
        topology.build(env);
        long start = System.nanoTime();
        env.execute(name);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = payloads.length / seconds;
        System.out.printf("  %-76s %6.1f s %,10.0f events/s%n", name, seconds, rate);
        return rate;
    }

    private static DataStream<ValidatedRecord> input(StreamExecutionEnvironment env, JobConfig config) {
        DataStream<RawEvent> raw = env.fromSequence(0, payloads.length - 1)
                .map(i -> new RawEvent(payloads[(int) (long) i], "bench", (int) (i % 4), i))
                .returns(RawEvent.class);
        return EngagementPipeline.validate(raw, config);
    }

    private static void baseline(StreamExecutionEnvironment env, JobConfig config) {
        input(env, config)
                .process(new ValidateEvents())
                .keyBy(event -> event.eventId, Types.STRING)
                .process(new DeduplicateAndRouteLate(config.dedupHorizon, config.allowedLateness))
                .sinkTo(new DiscardingSink<>());
    }

    private static void full(StreamExecutionEnvironment env, JobConfig config) {
        new EngagementPipeline(config, TestSinks.discarding()).build(input(env, config));
    }

    /** Sessions over 8 hours of event time ending an hour ago, in send order (with disorder, retries, bad messages). */
    private static byte[][] generate(int approximateCount) {
        EventGenerator generator = new EventGenerator(EventGenerator.Settings.defaults());
        long end = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        long span = Duration.ofHours(8).toMillis();
        List<EventGenerator.Timed> timed = new ArrayList<>();
        int sessions = approximateCount / 14; // a generated session has about 14 messages
        for (int i = 0; i < sessions; i++) {
            timed.addAll(generator.nextSession(end - span + span * i / sessions));
        }
        timed.sort(Comparator.comparingLong(EventGenerator.Timed::sendAtMs));
        byte[][] out = new byte[timed.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = timed.get(i).message().value().getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Per-call latency of the functions every event goes through, measured after a warm-up pass. */
    private static void latencies(JobConfig config, boolean print) {
        EventValidator validator = new EventValidator(config.validationRules);
        long now = System.currentTimeMillis();
        int n = Math.min(payloads.length, 200_000);
        List<EngagementEvent> valid = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ValidationResult r = validator.validate(new RawEvent(payloads[i], "bench", 0, i), now);
            if (r.isAccepted()) {
                valid.add(r.event());
            }
        }
        long[] validate = new long[n];
        for (int i = 0; i < n; i++) {
            RawEvent raw = new RawEvent(payloads[i], "bench", 0, i);
            long t = System.nanoTime();
            validator.validate(raw, now);
            validate[i] = System.nanoTime() - t;
        }
        ContentWindowAggregate aggregate = new ContentWindowAggregate();
        ContentWindowAccumulator acc = aggregate.createAccumulator();
        long[] add = new long[valid.size()];
        for (int i = 0; i < valid.size(); i++) {
            long t = System.nanoTime();
            aggregate.add(valid.get(i), acc);
            add[i] = System.nanoTime() - t;
        }
        // What crosses a shuffle: each event through its network serializer and back.
        long[] roundTrip = new long[valid.size()];
        DataOutputSerializer out = new DataOutputSerializer(512);
        DataInputDeserializer in = new DataInputDeserializer();
        EngagementEventSerializer eventSerializer = new EngagementEventSerializer();
        for (int i = 0; i < valid.size(); i++) {
            long t = System.nanoTime();
            out.clear();
            try {
                eventSerializer.serialize(valid.get(i), out);
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                eventSerializer.deserialize(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            roundTrip[i] = System.nanoTime() - t;
        }
        // Partials as the pre-aggregation makes them (one per content and minute of this input),
        // merged as a window merges them, and the delta a firing computes.
        Map<String, ContentWindowAccumulator> partials = new HashMap<>();
        for (EngagementEvent e : valid) {
            aggregate.add(
                    e,
                    partials.computeIfAbsent(
                            e.contentId + "/" + e.eventTimeMs / 60_000, k -> aggregate.createAccumulator()));
        }
        List<ContentWindowAccumulator> list = new ArrayList<>(partials.values());
        long[] merge = new long[list.size()];
        long[] delta = new long[list.size()];
        List<ContentWindowAccumulator> targets = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            targets.add(ContentWindowAggregate.copy(list.get((i + 1) % list.size())));
        }
        for (int i = 0; i < list.size(); i++) {
            long t = System.nanoTime();
            aggregate.merge(targets.get(i), list.get(i));
            merge[i] = System.nanoTime() - t;
            // A late firing: the window now holds this partial and the next one; before, this one.
            ContentWindowAccumulator current =
                    aggregate.merge(ContentWindowAggregate.copy(list.get(i)), list.get((i + 1) % list.size()));
            t = System.nanoTime();
            ContentWindowAggregate.delta(current, list.get(i));
            delta[i] = System.nanoTime() - t;
        }
        // Window state and partials: a partial through this build's serializer and through the POJO
        // serializer of the earlier format (restored from the committed v5 fixture), in the same run.
        long[] accumulatorRoundTrip = roundTrips(
                list,
                TypeInformation.of(ContentWindowAccumulator.class)
                        .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        long[] pojoRoundTrip = roundTrips(list, pojoFormat());
        // Fired rows, as the windows emit them to the writer, the feedback topic and the roll-ups.
        List<ContentMetrics> rows = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            rows.add(ContentMetrics.of(Grain.MINUTE, 0, 60_000, "content-" + i, list.get(i), 1));
        }
        long[] rowRoundTrip = roundTrips(
                rows,
                TypeInformation.of(ContentMetrics.class)
                        .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        long[] rowPojoRoundTrip = roundTrips(rows, pojoSerializerOf(ContentMetrics.class));
        // The slim per-user signals, and the country partials one per (content, country, hour).
        List<UserSignal> signals = new ArrayList<>();
        for (EngagementEvent e : valid) {
            UserSignal signal = UserSignal.mayGiveSignal(e.eventType) ? UserSignal.of(e, 3_000) : null;
            if (signal != null) {
                signals.add(signal);
            }
        }
        var countryPartials = CountryPartials.ofEvents();
        Map<String, CountryWindowAccumulator> byCountryHour = new HashMap<>();
        for (EngagementEvent e : valid) {
            countryPartials.add(
                    byCountryHour.computeIfAbsent(
                            e.contentId + "/" + e.country + "/" + e.eventTimeMs / 3_600_000,
                            k -> countryPartials.createAccumulator()),
                    e);
        }
        List<CountryWindowDelta> deltas = new ArrayList<>();
        byCountryHour.forEach((key, partial) -> deltas.add(new CountryWindowDelta(key, "US", partial)));
        long[] signalRoundTrip = roundTrips(
                signals,
                TypeInformation.of(UserSignal.class)
                        .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        long[] signalPojoRoundTrip = roundTrips(signals, pojoSerializerOf(UserSignal.class));
        long[] deltaRoundTrip = roundTrips(
                deltas,
                TypeInformation.of(CountryWindowDelta.class)
                        .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        long[] deltaPojoRoundTrip = roundTrips(deltas, pojoSerializerOf(CountryWindowDelta.class));
        if (!print) {
            return;
        }
        System.out.printf("%nper-call latency (µs)                          p50      p90      p99    p99.9    mean%n");
        print("EventValidator.validate (parse + rules)", validate);
        print("ContentWindowAggregate.add (one window)", add);
        print("event serialize + deserialize", roundTrip);
        print("ContentWindowAggregate.merge (a partial)", merge);
        print("ContentWindowAggregate.delta (late firing)", delta);
        print("accumulator ser + deser (hand-written)", accumulatorRoundTrip);
        print("accumulator ser + deser (POJO, before)", pojoRoundTrip);
        print("content row ser + deser (hand-written)", rowRoundTrip);
        print("content row ser + deser (POJO, before)", rowPojoRoundTrip);
        print("user signal ser + deser (hand-written)", signalRoundTrip);
        print("user signal ser + deser (POJO, before)", signalPojoRoundTrip);
        print("country partial ser + deser (hand-written)", deltaRoundTrip);
        print("country partial ser + deser (POJO, before)", deltaPojoRoundTrip);
    }

    /** Flink's PojoSerializer of a class of public fields, whatever serializer its type info names. */
    private static <T> org.apache.flink.api.common.typeutils.TypeSerializer<T> pojoSerializerOf(Class<T> type) {
        Map<String, TypeInformation<?>> fields = new java.util.LinkedHashMap<>();
        for (java.lang.reflect.Field f : type.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                fields.put(f.getName(), TypeInformation.of(f.getType()));
            }
        }
        return org.apache.flink.api.common.typeinfo.Types.POJO(type, fields)
                .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
    }

    private static <T> long[] roundTrips(
            List<T> records, org.apache.flink.api.common.typeutils.TypeSerializer<T> serializer) {
        long[] nanos = new long[records.size()];
        DataOutputSerializer out = new DataOutputSerializer(1024);
        DataInputDeserializer in = new DataInputDeserializer();
        for (int i = 0; i < records.size(); i++) {
            long t = System.nanoTime();
            out.clear();
            try {
                serializer.serialize(records.get(i), out);
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                serializer.deserialize(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            nanos[i] = System.nanoTime() - t;
        }
        return nanos;
    }

    /** The POJO serializer of the window accumulator as releases up to v5 wrote it (from the committed snapshot). */
    private static org.apache.flink.api.common.typeutils.TypeSerializer<ContentWindowAccumulator> pojoFormat() {
        try {
            byte[] snapshot = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                    "job/src/test/resources/state-schemas/v5/content-window-accumulator.snapshot"));
            return org.apache.flink.api.common.typeutils.TypeSerializerSnapshot
                    .<ContentWindowAccumulator>readVersionedSnapshot(
                            new DataInputDeserializer(snapshot), TopologyBenchmark.class.getClassLoader())
                    .restoreSerializer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void print(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "%-42s %8.2f %8.2f %8.2f %8.2f %8.2f%n",
                name,
                pct(sorted, 0.5),
                pct(sorted, 0.9),
                pct(sorted, 0.99),
                pct(sorted, 0.999),
                Arrays.stream(nanos).average().orElse(0) / 1000.0);
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
    }
}
