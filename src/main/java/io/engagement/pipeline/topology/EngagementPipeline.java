package io.engagement.pipeline.topology;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.ContentWindowAggregate;
import io.engagement.pipeline.aggregate.ContentWindowResult;
import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import io.engagement.pipeline.aggregate.CountryMetrics;
import io.engagement.pipeline.aggregate.CountryWindowAggregate;
import io.engagement.pipeline.aggregate.CountryWindowDelta;
import io.engagement.pipeline.aggregate.MergeFinerCountryWindows;
import io.engagement.pipeline.aggregate.CountryWindowResult;
import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.aggregate.MergeFinerWindows;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.creator.ContentWindowUpdate;
import io.engagement.pipeline.creator.CreatorMetrics;
import io.engagement.pipeline.creator.CreatorRollup;
import io.engagement.pipeline.creator.CreatorWindowResult;
import io.engagement.pipeline.dedup.DeduplicateAndRouteLate;
import io.engagement.pipeline.dedup.DeduplicateOperator;
import io.engagement.pipeline.dedup.StartHorizon;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.LateEvent;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.event.ValidateEvents;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.session.SessionTracker;
import io.engagement.pipeline.velocity.ContentVelocity;
import io.engagement.pipeline.velocity.VelocityTracker;
import io.engagement.pipeline.event.EventValidator;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The job's data flow, independent of where data comes from and goes to:
 *
 * <pre>
 * Kafka source (validates, per-partition event-time watermarks)
 *              -> route -(rejected)-> dead letters
 *              -> keyBy(event_id): drop duplicates -(too late)-> late events
 *              -> accepted events -> raw events sink
 *                                 -> keyBy(content_id): tumbling windows of the finest grain -> content metrics sink
 *                                                                                            -> feedback sink
 *                                      their firings (deltas) -> keyBy(content_id): windows of every larger grain
 *                                                                 -> content metrics sink, feedback sink
 *                                                     hour results -> keyBy(content_id): velocity and trend
 *                                                                     -> velocity table, feedback sink
 *                                                     hour/day/week results -> keyBy(creator_id): creator windows
 *                                                                              -> creator metrics sink
 *                                 -> keyBy(content_id, country): hour windows -> country metrics sink
 *                                      their firings (deltas) -> keyBy(content_id, country): day/week windows -> country metrics sink
 *                                 -> keyBy(session_id): sessions (gap, capped duration) -> session metrics sink
 * </pre>
 *
 * Every stateful operator has a stable uid so savepoints survive topology changes.
 */
public final class EngagementPipeline {

    private static final OutputTag<EngagementEvent> WINDOW_CLOSED = new OutputTag<>("window-closed") {};

    private final JobConfig config;
    private final PipelineSinks sinks;
    private final long startHorizonMs;

    /** A pipeline that accepts every valid event when it starts without state (tests). */
    public EngagementPipeline(JobConfig config, PipelineSinks sinks) {
        this(config, sinks, StartHorizon.NONE);
    }

    /** @param startHorizonMs resolved {@code lateness.start-horizon} ({@link StartHorizon#resolve}) */
    public EngagementPipeline(JobConfig config, PipelineSinks sinks, long startHorizonMs) {
        this.config = config;
        this.sinks = sinks;
        this.startHorizonMs = startHorizonMs;
    }

    /** Settings every environment running this topology needs, whatever the cluster config says. */
    public static void configure(StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        // Fail at job build time if any type on the data path would fall back to Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
    }

    /**
     * Event-time watermarks for validated input: bounded out-of-orderness over valid event times, and
     * idleness so a partition without valid events does not hold windows back ({@link ValidEventWatermarks}).
     * Given to {@code fromSource}, Flink keeps one watermark per Kafka partition.
     */
    public static WatermarkStrategy<ValidatedRecord> watermarks(JobConfig config) {
        long outOfOrdernessMs = config.outOfOrderness.toMillis();
        long idleMs = config.idleness.toMillis();
        return WatermarkStrategy.<ValidatedRecord>forGenerator(
                        context -> new ValidEventWatermarks(outOfOrdernessMs, idleMs, context.getInputActivityClock()))
                .withTimestampAssigner((record, kafkaTimestamp) -> record.eventTimeOrMin());
    }

    /**
     * Validation and watermarks for input that does not come from the Kafka source (topology tests,
     * replays from files): the same validator and strategy, applied per subtask instead of per partition.
     */
    public static DataStream<ValidatedRecord> validate(DataStream<RawEvent> raw, JobConfig config) {
        EventValidator validator = new EventValidator(config.validationRules, config.userIdPseudonymizer());
        return raw.map(r -> {
                    long nowMs = System.currentTimeMillis();
                    return ValidatedRecord.of(validator.validate(r, nowMs), nowMs);
                })
                .returns(ValidatedRecord.class)
                .assignTimestampsAndWatermarks(watermarks(config));
    }

    /** Builds the job on input that already carries event-time timestamps and watermarks. */
    public void build(DataStream<ValidatedRecord> input) {
        SingleOutputStreamOperator<EngagementEvent> valid = input
                .process(new ValidateEvents())
                .uid("validate-events").name("Route dead letters");
        DataStream<DeadLetter> deadLetters = valid.getSideOutput(ValidateEvents.DEAD_LETTERS);
        deadLetters.sinkTo(sinks.deadLetters()).uid("dead-letter-sink").name("Dead-letter topic");
        deadLetters.sinkTo(sinks.deadLetterTable()).uid("dead-letter-table-sink").name("Dead letters table");

        SingleOutputStreamOperator<EngagementEvent> accepted = valid
                .keyBy(event -> event.eventId, Types.STRING)
                .transform("Drop duplicates, route too-late events", TypeInformation.of(EngagementEvent.class),
                        new DeduplicateOperator(new DeduplicateAndRouteLate(config.dedupHorizon, config.allowedLateness), startHorizonMs))
                .uid("deduplicate");

        accepted.sinkTo(sinks.events()).uid("events-sink").name("Raw events table");
        accepted.getSideOutput(DeduplicateAndRouteLate.DUPLICATES)
                .sinkTo(sinks.duplicates()).uid("duplicates-sink").name("Duplicate events table");

        DataStream<LateEvent> late = accepted.getSideOutput(DeduplicateAndRouteLate.TOO_LATE);
        DataStream<ContentMetrics> metrics = null;
        DataStream<CreatorMetrics> creatorMetrics = null;
        DataStream<CountryMetrics> countryMetrics = null;
        // The finest grain counts the events; every larger grain adds up the finest windows' firings
        // (deltas, so late updates carry through), so an event updates one content window, not four.
        DataStream<ContentWindowSnapshot> finestWindows = null;
        // Likewise for countries: the finest breakdown grain counts the events, the larger ones add up its deltas.
        DataStream<CountryWindowDelta> finestCountryWindows = null;
        long breakdownGrains = config.grains.stream().filter(g -> g != Grain.MINUTE).count();
        for (Grain grain : config.grains) {
            // Creator and country breakdowns are for reports over hours and longer, not minutes.
            boolean breakdowns = grain != Grain.MINUTE;
            SingleOutputStreamOperator<ContentMetrics> perGrain;
            if (finestWindows == null) {
                perGrain = accepted
                        .keyBy(event -> event.contentId, Types.STRING)
                        .window(TumblingEventTimeWindows.of(grain.size(), grain.offset()))
                        .allowedLateness(config.allowedLateness)
                        .sideOutputLateData(WINDOW_CLOSED)
                        .aggregate(new ContentWindowAggregate(), new ContentWindowResult(grain, breakdowns, config.grains.size() > 1))
                        .uid("content-metrics-" + grain.code()).name("Content metrics per " + grain.code());
                finestWindows = perGrain.getSideOutput(ContentWindowResult.DELTAS);
                // Lateness is decided upstream, so this is empty unless a watermark overtook an event
                // (possible after an idle input resumes); such events are kept, not dropped.
                late = late.union(perGrain.getSideOutput(WINDOW_CLOSED)
                        .map(event -> new LateEvent(event, Long.MIN_VALUE, "window closed: " + grain.code()))
                        .returns(LateEvent.class)
                        .uid("window-closed-" + grain.code()).name("Window closed (" + grain.code() + ")"));
            } else {
                perGrain = finestWindows
                        .keyBy(finer -> finer.contentId, Types.STRING)
                        .window(TumblingEventTimeWindows.of(grain.size(), grain.offset()))
                        // A finer window's update arrives no later than the finer window's own lateness,
                        // which ends before this window's.
                        .allowedLateness(config.allowedLateness)
                        .aggregate(new MergeFinerWindows(), new ContentWindowResult(grain, breakdowns, false))
                        .uid("content-metrics-" + grain.code()).name("Content metrics per " + grain.code());
            }
            metrics = metrics == null ? perGrain : metrics.union(perGrain);
            if (breakdowns) {
                DataStream<CreatorMetrics> perCreator = creatorRollup(grain, perGrain.getSideOutput(ContentWindowResult.CREATOR_UPDATES));
                creatorMetrics = creatorMetrics == null ? perCreator : creatorMetrics.union(perCreator);
                SingleOutputStreamOperator<CountryMetrics> perCountry;
                if (finestCountryWindows == null) {
                    perCountry = countryBreakdown(grain, accepted, breakdownGrains > 1);
                    finestCountryWindows = perCountry.getSideOutput(CountryWindowResult.DELTAS);
                } else {
                    perCountry = countryRollup(grain, finestCountryWindows);
                }
                countryMetrics = countryMetrics == null ? perCountry : countryMetrics.union(perCountry);
            }
            if (grain == Grain.HOUR) {
                DataStream<ContentVelocity> velocity = perGrain
                        .keyBy(m -> m.contentId, Types.STRING)
                        .process(new VelocityTracker(config.trendingMinViewsPerHour))
                        .uid("content-velocity").name("Content velocity and trend");
                velocity.sinkTo(sinks.velocity()).uid("content-velocity-sink").name("Content velocity table");
                velocity.sinkTo(sinks.velocityFeedback()).uid("velocity-feedback-sink").name("Feedback topic (velocity)");
            }
        }
        // uid "session-tracker": the earlier "session-metrics" operator was a merging window operator
        // with other state (docs/operations.md, upgrading).
        accepted.keyBy(event -> event.sessionId, Types.STRING)
                .process(new SessionTracker(config.sessionGap, config.sessionMaxDuration, config.allowedLateness))
                .uid("session-tracker").name("Session analytics")
                .sinkTo(sinks.sessions()).uid("session-metrics-sink").name("Session metrics table");

        late.sinkTo(sinks.lateEvents()).uid("late-events-sink").name("Late events table");
        if (metrics != null) {
            metrics.sinkTo(sinks.contentMetrics()).uid("content-metrics-sink").name("Content metrics table");
            metrics.sinkTo(sinks.feedback()).uid("feedback-sink").name("Feedback topic");
        }
        if (creatorMetrics != null) {
            creatorMetrics.sinkTo(sinks.creatorMetrics()).uid("creator-metrics-sink").name("Creator metrics table");
            countryMetrics.sinkTo(sinks.countryMetrics()).uid("country-metrics-sink").name("Content country metrics table");
        }
    }

    /**
     * A creator's windows are built from its content windows of the same grain (each firing's update
     * is stamped with the window's end, so it falls into the same creator window), not from raw
     * events: the creator stage sees one record per content-window firing instead of every event, and
     * folds it into one accumulator, so a creator with 50 000 contents costs what a creator with one does.
     * (uid "creator-rollup-*": the earlier "creator-metrics-*" operators kept every firing in a list.)
     */
    private DataStream<CreatorMetrics> creatorRollup(Grain grain, DataStream<ContentWindowUpdate> contentWindows) {
        return contentWindows
                .keyBy(update -> update.creatorId, Types.STRING)
                .window(TumblingEventTimeWindows.of(grain.size(), grain.offset()))
                // Same lateness as the content windows, so a content window's late update always
                // reaches its creator window before that closes.
                .allowedLateness(config.allowedLateness)
                .aggregate(new CreatorRollup(), new CreatorWindowResult(grain))
                .uid("creator-rollup-" + grain.code()).name("Creator metrics per " + grain.code());
    }

    /**
     * Views by country, keyed by (content, country), counted from the events at the finest breakdown
     * grain. Events too late for these windows are already recorded in late_events by the content
     * windows, which see the same watermark.
     */
    private SingleOutputStreamOperator<CountryMetrics> countryBreakdown(Grain grain, DataStream<EngagementEvent> accepted,
                                                                        boolean emitDeltas) {
        return accepted
                .filter(CountryWindowAggregate::counts)
                .uid("country-events-" + grain.code()).name("Country events (" + grain.code() + ")")
                .keyBy(event -> Tuple2.of(event.contentId, CountryWindowAggregate.countryOf(event)),
                        Types.TUPLE(Types.STRING, Types.STRING))
                .window(TumblingEventTimeWindows.of(grain.size(), grain.offset()))
                .allowedLateness(config.allowedLateness)
                .aggregate(new CountryWindowAggregate(), new CountryWindowResult(grain, emitDeltas))
                .uid("country-metrics-" + grain.code()).name("Content country metrics per " + grain.code());
    }

    /**
     * A larger country grain from the finest one's firings (each stamped with its window's end, so it
     * falls into the larger window of the same end): one record per finer firing instead of every event.
     * (uid "country-rollup-*": the earlier "country-metrics-*" operators of these grains counted events.)
     */
    private SingleOutputStreamOperator<CountryMetrics> countryRollup(Grain grain, DataStream<CountryWindowDelta> finer) {
        return finer
                .keyBy(delta -> Tuple2.of(delta.contentId, delta.country), Types.TUPLE(Types.STRING, Types.STRING))
                .window(TumblingEventTimeWindows.of(grain.size(), grain.offset()))
                // A finer window's update arrives no later than the finer window's own lateness,
                // which ends before this window's.
                .allowedLateness(config.allowedLateness)
                .aggregate(new MergeFinerCountryWindows(), new CountryWindowResult(grain))
                .uid("country-rollup-" + grain.code()).name("Content country metrics per " + grain.code());
    }
}
