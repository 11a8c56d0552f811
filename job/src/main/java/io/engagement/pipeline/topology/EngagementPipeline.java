package io.engagement.pipeline.topology;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.ContentPartials;
import io.engagement.pipeline.aggregate.ContentWindowAccumulator;
import io.engagement.pipeline.aggregate.ContentWindowResult;
import io.engagement.pipeline.aggregate.ContentWindowSnapshot;
import io.engagement.pipeline.aggregate.ContentWindowUpdate;
import io.engagement.pipeline.aggregate.CountryMetrics;
import io.engagement.pipeline.aggregate.CountryPartials;
import io.engagement.pipeline.aggregate.CountryWindowAccumulator;
import io.engagement.pipeline.aggregate.CountryWindowAggregate;
import io.engagement.pipeline.aggregate.CountryWindowDelta;
import io.engagement.pipeline.aggregate.CountryWindowResult;
import io.engagement.pipeline.aggregate.Grain;
import io.engagement.pipeline.aggregate.MergeFinerCountryWindows;
import io.engagement.pipeline.aggregate.MergeFinerWindows;
import io.engagement.pipeline.aggregate.ProvisionalTrigger;
import io.engagement.pipeline.aggregate.ScoreBasis;
import io.engagement.pipeline.aggregate.WindowPreAggregator;
import io.engagement.pipeline.alerts.ContentAlerts;
import io.engagement.pipeline.alerts.CreatorAlert;
import io.engagement.pipeline.alerts.CreatorDayAlerts;
import io.engagement.pipeline.alerts.MinuteViews;
import io.engagement.pipeline.catalog.CatalogAttribution;
import io.engagement.pipeline.catalog.CatalogEntry;
import io.engagement.pipeline.catalog.CatalogRecord;
import io.engagement.pipeline.catalog.RouteCatalogDeadLetters;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.creator.CreatorMetrics;
import io.engagement.pipeline.creator.CreatorRollup;
import io.engagement.pipeline.creator.CreatorWindowResult;
import io.engagement.pipeline.dedup.DeduplicateAndRouteLate;
import io.engagement.pipeline.dedup.DeduplicateOperator;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventValidator;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.event.ValidateEvents;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.retention.RetentionAggregate;
import io.engagement.pipeline.retention.RetentionCounts;
import io.engagement.pipeline.retention.RetentionDurations;
import io.engagement.pipeline.retention.RetentionPartial;
import io.engagement.pipeline.retention.RetentionPartials;
import io.engagement.pipeline.retention.RetentionResult;
import io.engagement.pipeline.session.SessionBundleOperator;
import io.engagement.pipeline.session.SessionEvents;
import io.engagement.pipeline.session.SessionMetrics;
import io.engagement.pipeline.session.SessionTracker;
import io.engagement.pipeline.signals.ErasureRecord;
import io.engagement.pipeline.signals.RouteErasures;
import io.engagement.pipeline.signals.SignalAttribution;
import io.engagement.pipeline.signals.UserSignal;
import io.engagement.pipeline.signals.UserSignalUpdate;
import io.engagement.pipeline.signals.UserSignalsOperator;
import io.engagement.pipeline.velocity.ContentVelocity;
import io.engagement.pipeline.velocity.VelocityTracker;
import io.engagement.pipeline.views.ActorKind;
import io.engagement.pipeline.views.PlaybackWithinDuration;
import io.engagement.pipeline.views.SuspectActor;
import io.engagement.pipeline.views.ValidatedViewPartials;
import io.engagement.pipeline.views.ViewClaim;
import io.engagement.pipeline.views.ViewGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The job's data flow, independent of where data comes from and goes to:
 *
 * <pre>
 * Kafka source (validates, per-partition event-time watermarks)
 *   -> route dead letters -(rejected)-> dead-letter topic and table
 *   -> keyBy(event_id): drop duplicates -(too late)-> late events; -(retries)-> duplicates table
 *   -> accepted events -> raw events table
 *       -> partials per (content, minute) -keyBy(content_id)-> minute windows -> content metrics, feedback
 *            their deltas -> partials per (content, hour | day | week) -keyBy(content_id)-> windows of that grain
 *                                -> content metrics, feedback; creator updates -keyBy(creator_id)-> creator windows
 *                            hour rows -keyBy(content_id)-> velocity and trend -> velocity table, feedback
 *       -> partials per (content, country, hour) -keyBy(content_id, country)-> hour windows -> country metrics
 *            their deltas -> partials per (content, country, day | week) -> windows of that grain -> country metrics
 *       -> the fields sessions read -keyBy(session_id)-> sessions (gap, capped duration) -> session metrics table
 *       -> play ends -> partials per (content, hour) -keyBy(content_id), with a catalogue-> retention hours -> content retention table
 *       -> events that say something about their user's taste, slim -keyBy(content_id), with a catalogue->
 *            creator, category, hashtags -keyBy(user_id), with erasure requests-> user profiles -> user-signals topic
 *       -> view starts and play ends as claims -keyBy(session)-> gate -keyBy(device)-> gate -keyBy(user)-> gate
 *            -(flagged actors)-> suspect actors table
 *            -keyBy(content_id), with a catalogue-> play ends within the content's duration
 *            -> partials of the validated counters per (content, minute) -> merged into the minute windows
 * </pre>
 *
 * The partials ({@link io.engagement.pipeline.aggregate.WindowPreAggregator}) are folded on the heap
 * before each shuffle to a window and flushed before the watermark that closes their window and before
 * every checkpoint barrier (the two-phase aggregation of Flink SQL's planner), so the keyed windows
 * merge a few partials per key and window instead of every event ({@link WindowCascade}).
 *
 * Every stateful operator has a stable uid so savepoints survive topology changes.
 */
public final class EngagementPipeline {

    private static final OutputTag<ContentWindowSnapshot> CONTENT_WINDOW_CLOSED =
            new OutputTag<>("content-window-closed") {};
    private static final OutputTag<CountryWindowDelta> COUNTRY_WINDOW_CLOSED =
            new OutputTag<>("country-window-closed") {};

    private final JobConfig config;
    private final PipelineSinks sinks;
    private final long startHorizonMs;
    /** The catalogue's entries while {@link #build} runs; null without a catalogue. */
    private DataStream<CatalogEntry> catalog;

    /** A pipeline that accepts every valid event when it starts without state (tests). */
    public EngagementPipeline(JobConfig config, PipelineSinks sinks) {
        this(config, sinks, DeduplicateAndRouteLate.NO_START_HORIZON);
    }

    /** @param startHorizonMs resolved {@code lateness.start-horizon} (the job's start-up resolves it) */
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
        // Chained operators receive the very record their predecessor emitted instead of a copy: the
        // accepted event alone was copied into seven consumers. Safe because no function changes a
        // record after emitting it or keeps one it was given (docs/operations.md, object reuse); measured
        // at 9 % less task CPU per message (docs/benchmarks.md).
        conf.set(PipelineOptions.OBJECT_REUSE, true);
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

    /**
     * Builds the job on input that already carries event-time timestamps and watermarks: a few named
     * steps, each a line of data flow.
     */
    public void build(DataStream<ValidatedRecord> input) {
        build(input, null);
    }

    /**
     * The same, with ownership from the content catalogue: {@code catalogue} is the catalogue topic as
     * read ({@link io.engagement.pipeline.catalog.CatalogDeserializer}); {@code null} keeps the events'
     * own {@code creator_id} (a deployment without a content service).
     */
    public void build(DataStream<ValidatedRecord> input, DataStream<CatalogRecord> catalogue) {
        build(input, catalogue, null);
    }

    /**
     * The same, with erasure requests for the per-user signals ({@link
     * io.engagement.pipeline.signals.ErasureDeserializer}); {@code null}: a user's signal state only expires.
     */
    public void build(
            DataStream<ValidatedRecord> input,
            DataStream<CatalogRecord> catalogue,
            DataStream<ErasureRecord> erasures) {
        List<DataStream<DeadLetter>> sideDeadLetters = new ArrayList<>();
        if (catalogue != null) {
            SingleOutputStreamOperator<CatalogEntry> entries = catalogue
                    .process(new RouteCatalogDeadLetters())
                    .uid("catalog-entries")
                    .name("Catalogue entries");
            catalog = entries;
            sideDeadLetters.add(entries.getSideOutput(RouteCatalogDeadLetters.DEAD_LETTERS));
        }
        SingleOutputStreamOperator<UserSignal> erasureSignals = null;
        if (erasures != null && config.userSignalRules != null) {
            erasureSignals = erasures.process(new RouteErasures())
                    .uid("erasure-requests")
                    .name("Erasure requests");
            sideDeadLetters.add(erasureSignals.getSideOutput(RouteErasures.DEAD_LETTERS));
        }
        SingleOutputStreamOperator<EngagementEvent> valid =
                routeDeadLetters(input, unionOf(sideDeadLetters).orElse(null));
        SingleOutputStreamOperator<EngagementEvent> accepted = deduplicate(valid);
        DataStream<ContentWindowSnapshot> validatedViews = config.viewRules == null ? null : validateViews(accepted);
        Map<Grain, SingleOutputStreamOperator<ContentMetrics>> contents = contentWindows(accepted, validatedViews);
        Map<Grain, SingleOutputStreamOperator<CountryMetrics>> countries = countryWindows(accepted);
        Map<Grain, SingleOutputStreamOperator<CreatorMetrics>> creators = creatorWindows(contents);
        if (contents.containsKey(Grain.HOUR)) {
            velocity(contents.get(Grain.HOUR));
        }
        if (config.alertRules != null) {
            alerts(contents.get(Grain.MINUTE), creators.get(Grain.DAY));
        }
        sessions(accepted);
        retention(accepted);
        if (config.userSignalRules != null) {
            userSignals(accepted, erasureSignals);
        }

        accepted.getSideOutput(DeduplicateAndRouteLate.TOO_LATE)
                .sinkTo(sinks.lateEvents())
                .uid("late-events-sink")
                .name("Late events table");
        // Each grain's rows go to a ClickHouse writer of their own, chained to that grain's windows: no
        // shuffle, and a minute's rows leave as soon as the minute windows pass the watermark on. One
        // writer on the union of all grains waited for the slowest of them, the hour, day and week
        // windows working through the deltas of the same closing (docs/benchmarks.md, issue 20).
        // The recommender reads closed windows only: a provisional row is not a score update, and is
        // dropped there too, before the shuffle to the Kafka writer.
        List<DataStream<ContentMetrics>> closedWindows = new ArrayList<>();
        contents.forEach((grain, rows) -> {
            rows.sinkTo(sinks.contentMetrics())
                    .uid("content-metrics-sink-" + grain.code())
                    .name("Content metrics table (" + grain.code() + ")");
            closedWindows.add(rows.filter(m -> !m.provisional)
                    .uid("closed-content-windows-" + grain.code())
                    .name("Closed content windows (" + grain.code() + ")"));
        });
        unionOf(closedWindows)
                .ifPresent(closed ->
                        closed.sinkTo(sinks.feedback()).uid("feedback-sink").name("Feedback topic"));
        unionOf(creators.values())
                .ifPresent(rows -> rows.sinkTo(sinks.creatorMetrics())
                        .uid("creator-metrics-sink")
                        .name("Creator metrics table"));
        countries.forEach((grain, rows) -> rows.sinkTo(sinks.countryMetrics())
                .uid("country-metrics-sink-" + grain.code())
                .name("Content country metrics table (" + grain.code() + ")"));
    }

    /** Rejected records (also the catalogue's and the erasure requests') go to the dead-letter topic and table, with their reason. */
    private SingleOutputStreamOperator<EngagementEvent> routeDeadLetters(
            DataStream<ValidatedRecord> input, DataStream<DeadLetter> sideDeadLetters) {
        SingleOutputStreamOperator<EngagementEvent> valid =
                input.process(new ValidateEvents()).uid("validate-events").name("Route dead letters");
        DataStream<DeadLetter> deadLetters = valid.getSideOutput(ValidateEvents.DEAD_LETTERS);
        if (sideDeadLetters != null) {
            deadLetters = deadLetters.union(sideDeadLetters);
        }
        deadLetters.sinkTo(sinks.deadLetters()).uid("dead-letter-sink").name("Dead-letter topic");
        deadLetters
                .sinkTo(sinks.deadLetterTable())
                .uid("dead-letter-table-sink")
                .name("Dead letters table");
        return valid;
    }

    /** Client retries are dropped, too-late events routed aside; every accepted event is written raw. */
    private SingleOutputStreamOperator<EngagementEvent> deduplicate(DataStream<EngagementEvent> valid) {
        SingleOutputStreamOperator<EngagementEvent> accepted = valid.keyBy(event -> event.eventId, Types.STRING)
                .transform(
                        "Drop duplicates, route too-late events",
                        TypeInformation.of(EngagementEvent.class),
                        new DeduplicateOperator(
                                new DeduplicateAndRouteLate(config.dedupHorizon, config.allowedLateness),
                                startHorizonMs))
                .uid("deduplicate");
        accepted.sinkTo(sinks.events()).uid("events-sink").name("Raw events table");
        accepted.getSideOutput(DeduplicateAndRouteLate.DUPLICATES)
                .sinkTo(sinks.duplicates())
                .uid("duplicates-sink")
                .name("Duplicate events table");
        return accepted;
    }

    /**
     * Per-content windows of every configured grain: the finest counts the events, the larger ones
     * add up its deltas. Creator and country breakdowns are for reports over hours and longer, so
     * only grains above the minute send creator updates.
     */
    private Map<Grain, SingleOutputStreamOperator<ContentMetrics>> contentWindows(
            DataStream<EngagementEvent> accepted, DataStream<ContentWindowSnapshot> validatedViews) {
        WindowCascade<EngagementEvent, String, ContentWindowAccumulator, ContentWindowSnapshot, ContentMetrics>
                cascade = new WindowCascade<>(
                        "Content metrics",
                        grain -> "content-metrics-" + grain.code(),
                        ContentPartials.ofEvents(catalog != null),
                        ContentPartials.ofFinerWindows(),
                        snapshot -> snapshot.contentId,
                        Types.STRING,
                        TypeInformation.of(ContentWindowSnapshot.class),
                        new MergeFinerWindows(),
                        (grain, emitDeltas) -> new ContentWindowResult(
                                grain,
                                grain != Grain.MINUTE,
                                emitDeltas,
                                scoreBasis(),
                                grain == Grain.MINUTE && config.alertRules != null),
                        ContentWindowResult.DELTAS,
                        CONTENT_WINDOW_CLOSED,
                        null,
                        null);
        if (validatedViews != null) {
            cascade = cascade.mergingIntoFinest(validatedViews);
        }
        if (catalog != null) {
            cascade = cascade.joiningFinest(this::attributeToCatalog);
        }
        Map<Grain, SingleOutputStreamOperator<ContentMetrics>> windows = cascade.build(
                accepted,
                List.copyOf(config.grains),
                config.allowedLateness,
                config.preAggregationEntries,
                windowTrigger((ContentWindowSnapshot partial) -> partial.contentId),
                cascadedWindowTrigger(),
                cascadeLiveHorizon());
        unionOf(windows.values().stream()
                        .map(w -> w.getSideOutput(CONTENT_WINDOW_CLOSED))
                        .toList())
                .ifPresent(closed -> closed.sinkTo(new ClosedWindowLog<>("content windows"))
                        .uid("content-window-closed")
                        .name("Content partials after their window closed"));
        return windows;
    }

    /**
     * Validated views: each view start and play end, as a slim claim, through the session, device and
     * user gates in turn ({@link ViewGate}, each keyed by its actor), then, with a catalogue, the play
     * ends against the content's duration ({@link PlaybackWithinDuration}); what passes becomes
     * partials of the validated counters for the finest content windows. Flagged actors go to the
     * suspect_actors table.
     */
    private DataStream<ContentWindowSnapshot> validateViews(DataStream<EngagementEvent> accepted) {
        DataStream<ViewClaim> claims = accepted.flatMap((EngagementEvent event, Collector<ViewClaim> out) -> {
                    ViewClaim claim = ViewClaim.of(event);
                    if (claim != null) {
                        out.collect(claim);
                    }
                })
                .returns(ViewClaim.class)
                .uid("view-claims")
                .name("View claims");
        DataStream<SuspectActor> suspects = null;
        for (ActorKind kind : ActorKind.values()) {
            SingleOutputStreamOperator<ViewClaim> gated = claims.keyBy(kind::keyOf, Types.STRING)
                    .process(new ViewGate(kind, config.viewRules, config.allowedLateness))
                    .uid("view-gate-" + kind.code())
                    .name("View gate per " + kind.code());
            DataStream<SuspectActor> flagged = gated.getSideOutput(ViewGate.SUSPECTS);
            suspects = suspects == null ? flagged : suspects.union(flagged);
            claims = gated;
        }
        suspects.sinkTo(sinks.suspectActors()).uid("suspect-actors-sink").name("Suspect actors table");
        // View starts are decided by the gates alone (the catalogue's duration checks play ends only).
        claims.filter(ViewClaim::isExperimentViewStart)
                .uid("experiment-validated-views")
                .name("Validated view starts of experiments")
                .sinkTo(sinks.experimentViews())
                .uid("experiment-validated-views-sink")
                .name("Experiment validated views table");
        if (catalog != null) {
            claims = claims.keyBy(claim -> claim.contentId, Types.STRING)
                    .connect(catalog.keyBy(entry -> entry.contentId, Types.STRING))
                    .process(new PlaybackWithinDuration(config.viewRules))
                    .uid("view-playback-duration")
                    .name("Play ends within the catalogue's duration");
        }
        Grain finest = config.grains.iterator().next();
        return claims.filter(claim -> claim.excludedBy == null || claim.retraction)
                .uid("validated-claims")
                .name("Validated claims")
                .transform(
                        "Validated view partials per " + finest.code(),
                        TypeInformation.of(ContentWindowSnapshot.class),
                        new WindowPreAggregator<>(
                                new ValidatedViewPartials(),
                                finest.size(),
                                finest.offset(),
                                config.preAggregationEntries))
                .uid("validated-view-partials");
    }

    /**
     * Views by country, keyed by (content, country), at the grains above the minute: the finest of
     * them counts the events, the larger ones add up its deltas. Events too late for these windows
     * are already recorded in late_events before the windows, on the same watermark.
     * (uids "country-metrics-&lt;finest&gt;", "country-rollup-&lt;larger&gt;", as before the pre-aggregation.)
     */
    private Map<Grain, SingleOutputStreamOperator<CountryMetrics>> countryWindows(
            DataStream<EngagementEvent> accepted) {
        List<Grain> grains =
                config.grains.stream().filter(g -> g != Grain.MINUTE).toList();
        if (grains.isEmpty()) {
            return Map.of();
        }
        Grain finest = grains.get(0);
        WindowCascade<
                        EngagementEvent,
                        Tuple2<String, String>,
                        CountryWindowAccumulator,
                        CountryWindowDelta,
                        CountryMetrics>
                cascade = new WindowCascade<>(
                        "Content country metrics",
                        grain -> (grain == finest ? "country-metrics-" : "country-rollup-") + grain.code(),
                        CountryPartials.ofEvents(),
                        CountryPartials.ofFinerWindows(),
                        delta -> Tuple2.of(delta.contentId, delta.country),
                        Types.TUPLE(Types.STRING, Types.STRING),
                        TypeInformation.of(CountryWindowDelta.class),
                        new MergeFinerCountryWindows(),
                        CountryWindowResult::new,
                        CountryWindowResult.DELTAS,
                        COUNTRY_WINDOW_CLOSED,
                        null,
                        null);
        DataStream<EngagementEvent> countryEvents = accepted.filter(CountryWindowAggregate::counts)
                .uid("country-events-" + finest.code())
                .name("Country events (" + finest.code() + ")");
        Map<Grain, SingleOutputStreamOperator<CountryMetrics>> windows = cascade.build(
                countryEvents,
                grains,
                config.allowedLateness,
                config.preAggregationEntries,
                windowTrigger((CountryWindowDelta partial) -> partial.contentId),
                cascadedWindowTrigger(),
                cascadeLiveHorizon());
        unionOf(windows.values().stream()
                        .map(w -> w.getSideOutput(COUNTRY_WINDOW_CLOSED))
                        .toList())
                .ifPresent(closed -> closed.sinkTo(new ClosedWindowLog<>("country windows"))
                        .uid("country-window-closed")
                        .name("Country partials after their window closed"));
        return windows;
    }

    /**
     * Ownership from the content catalogue, joined where partials are already keyed by content
     * ({@link CatalogAttribution}); the catalogue's entries also go to the content_catalog table.
     */
    private DataStream<ContentWindowSnapshot> attributeToCatalog(KeyedStream<ContentWindowSnapshot, String> partials) {
        SingleOutputStreamOperator<ContentWindowSnapshot> attributed = partials.connect(
                        catalog.keyBy(entry -> entry.contentId, Types.STRING))
                .process(new CatalogAttribution())
                .uid("content-catalog-attribution")
                .name("Content ownership from the catalogue");
        attributed
                .getSideOutput(CatalogAttribution.CATALOG_ROWS)
                .sinkTo(sinks.contentCatalog())
                .uid("content-catalog-sink")
                .name("Content catalogue table");
        return attributed;
    }

    /** Creator roll-ups of every content grain above the minute, from the content windows' updates. */
    private Map<Grain, SingleOutputStreamOperator<CreatorMetrics>> creatorWindows(
            Map<Grain, SingleOutputStreamOperator<ContentMetrics>> contents) {
        Map<Grain, SingleOutputStreamOperator<CreatorMetrics>> creators = new LinkedHashMap<>();
        contents.forEach((grain, windows) -> {
            if (grain != Grain.MINUTE) {
                creators.put(grain, creatorRollup(grain, windows.getSideOutput(ContentWindowResult.CREATOR_UPDATES)));
            }
        });
        return creators;
    }

    /**
     * Creator alerts ({@link ContentAlerts}, {@link CreatorDayAlerts}), raised as each content minute and
     * creator day closes, in the task of the windows that closed them: their rows are already keyed by
     * content and creator, so the alert state needs no shuffle. Either input is null when its grain
     * is not configured.
     */
    private void alerts(SingleOutputStreamOperator<ContentMetrics> minutes, DataStream<CreatorMetrics> creatorDays) {
        List<DataStream<CreatorAlert>> alerts = new ArrayList<>();
        if (minutes != null) {
            DataStream<MinuteViews> closed = minutes.getSideOutput(ContentWindowResult.FIRST_CLOSINGS);
            alerts.add(DataStreamUtils.reinterpretAsKeyedStream(closed, views -> views.contentId, Types.STRING)
                    .process(new ContentAlerts(config.alertRules))
                    .uid("content-alerts")
                    .name("Content spikes and drops"));
        }
        if (creatorDays != null) {
            DataStream<CreatorMetrics> closedDays = creatorDays
                    .filter(CreatorDayAlerts::isFirstClosing)
                    .uid("closed-creator-days")
                    .name("Closed creator days");
            alerts.add(DataStreamUtils.reinterpretAsKeyedStream(closedDays, day -> day.creatorId, Types.STRING)
                    .process(new CreatorDayAlerts(config.alertRules))
                    .uid("creator-day-alerts")
                    .name("Creator days far off typical"));
        }
        unionOf(alerts).ifPresent(all -> {
            all.sinkTo(sinks.alerts()).uid("alerts-sink").name("Alerts topic");
            all.sinkTo(sinks.alertTable()).uid("alerts-table-sink").name("Creator alerts table");
        });
    }

    /** Hourly velocity and trend per content, from the closed hour windows' rows. */
    private void velocity(DataStream<ContentMetrics> hours) {
        DataStream<ContentVelocity> velocity = hours.filter(m -> !m.provisional)
                .uid("closed-content-hours")
                .name("Closed content hours")
                .keyBy(m -> m.contentId, Types.STRING)
                .process(new VelocityTracker(config.trendingMinViewsPerHour, scoreBasis()))
                .uid("content-velocity")
                .name("Content velocity and trend");
        velocity.sinkTo(sinks.velocity()).uid("content-velocity-sink").name("Content velocity table");
        velocity.sinkTo(sinks.velocityFeedback()).uid("velocity-feedback-sink").name("Feedback topic (velocity)");
    }

    /**
     * Viewing sessions (gap, capped duration), applied in bundles (one state read and write per
     * session and bundle, {@link SessionBundleOperator}), from slim events ({@link SessionEvents}). uid "session-tracker": the earlier "session-metrics"
     * operator was a merging window operator with other state (docs/operations.md, upgrading).
     */
    private void sessions(DataStream<EngagementEvent> accepted) {
        accepted.map(new SessionEvents())
                .uid("session-events")
                .name("Session events (the fields sessions read)")
                .keyBy(event -> event.sessionId, Types.STRING)
                .transform(
                        "Session analytics",
                        TypeInformation.of(SessionMetrics.class),
                        new SessionBundleOperator(
                                new SessionTracker(
                                        config.sessionGap, config.sessionMaxDuration, config.allowedLateness),
                                config.sessionBundleEvents))
                .uid("session-tracker")
                .sinkTo(sinks.sessions())
                .uid("session-metrics-sink")
                .name("Session metrics table");
    }

    /**
     * Per-user signals for the recommender: each accepted event that says something about its user's
     * taste, as a slim {@link UserSignal}, gets its content's creator, category and hashtags from the
     * catalogue (keyed by content, when the job has one), then is applied to the user's profile in
     * bundles ({@link UserSignalsOperator}, keyed by user) and the user's new profile written to the
     * compacted user-signals topic, within {@code user-signals.emit-interval} and a checkpoint. Erasure
     * requests join the same keyed stream, so they are ordered with the user's signals.
     */
    private void userSignals(DataStream<EngagementEvent> accepted, DataStream<UserSignal> erasures) {
        long quickSkipMs = config.userSignalRules.quickSkipMs();
        DataStream<UserSignal> signals = accepted.flatMap((EngagementEvent event, Collector<UserSignal> out) -> {
                    if (UserSignal.mayGiveSignal(event.eventType)) {
                        UserSignal signal = UserSignal.of(event, quickSkipMs);
                        if (signal != null) {
                            out.collect(signal);
                        }
                    }
                })
                .returns(UserSignal.class)
                .uid("user-signal-events")
                .name("User signals (the fields they read)");
        if (catalog != null) {
            signals = signals.keyBy(signal -> signal.contentId, Types.STRING)
                    .connect(catalog.keyBy(entry -> entry.contentId, Types.STRING))
                    .process(new SignalAttribution())
                    .uid("user-signal-attribution")
                    .name("User signals: creator, category and hashtags from the catalogue");
        }
        if (erasures != null) {
            signals = signals.union(erasures);
        }
        signals.keyBy(signal -> signal.userId, Types.STRING)
                .transform(
                        "User signals per user",
                        TypeInformation.of(UserSignalUpdate.class),
                        new UserSignalsOperator(config.userSignalRules))
                .uid("user-signals")
                .sinkTo(sinks.userSignals())
                .uid("user-signals-sink")
                .name("User signals topic");
    }

    /**
     * When the windows fire: when the watermark closes them, for each late update within the allowed
     * lateness, and provisionally while they are open ({@link ProvisionalTrigger}), each key at its own
     * phase within the interval, drawn from {@code phaseKey}, so the keys' firings (and the larger
     * grains' firings they cause) do not all come at one instant.
     */
    private <T> ProvisionalTrigger windowTrigger(KeySelector<T, ?> phaseKey) {
        return ProvisionalTrigger.every(config.provisionalInterval, config.outOfOrderness)
                .spreadBy(phaseKey);
    }

    /** The same for the larger grains of a cascade: provisionally on each firing of the finest grain. */
    private ProvisionalTrigger cascadedWindowTrigger() {
        return ProvisionalTrigger.onEachFinerFiring(config.provisionalInterval, config.outOfOrderness);
    }

    /**
     * The finest grain's firings that make the larger grains fire provisionally (input as live as
     * {@link ProvisionalTrigger} asks) are sent on right after the watermark, not at the barrier,
     * so those firings run after the finest grain's and not in front of the next checkpoint.
     */
    private Duration cascadeLiveHorizon() {
        return config.provisionalInterval.isZero()
                ? Duration.ZERO
                : config.outOfOrderness.plus(config.provisionalInterval);
    }

    /**
     * Audience retention per content and hour: where each play ended ({@link RetentionCounts}),
     * folded before the shuffle, added up in hour windows that fire provisionally like the others.
     * Hours add up to any range, so no larger grain is kept. With a catalogue, the intro hold is
     * counted with the catalogue's duration in the content-keyed stage ({@link RetentionDurations}).
     */
    private void retention(DataStream<EngagementEvent> accepted) {
        if (!config.grains.contains(Grain.HOUR)) {
            return;
        }
        KeyedStream<RetentionPartial, String> partials = accepted.filter(RetentionCounts::endsPlay)
                .uid("play-ends")
                .name("Play ends")
                .transform(
                        "Retention partials per hour",
                        TypeInformation.of(RetentionPartial.class),
                        new WindowPreAggregator<>(
                                new RetentionPartials(catalog != null),
                                Grain.HOUR.size(),
                                Grain.HOUR.offset(),
                                config.preAggregationEntries))
                .uid("retention-partials-hour")
                .keyBy(partial -> partial.contentId, Types.STRING);
        if (catalog != null) {
            partials = DataStreamUtils.reinterpretAsKeyedStream(
                    partials.connect(catalog.keyBy(entry -> entry.contentId, Types.STRING))
                            .process(new RetentionDurations())
                            .uid("retention-catalogue-durations")
                            .name("Intro hold by the catalogue's duration"),
                    partial -> partial.contentId,
                    Types.STRING);
        }
        partials.window(TumblingEventTimeWindows.of(Grain.HOUR.size(), Grain.HOUR.offset()))
                .trigger(windowTrigger((RetentionPartial partial) -> partial.contentId))
                .allowedLateness(config.allowedLateness)
                .aggregate(new RetentionAggregate(), new RetentionResult(Grain.HOUR))
                .uid("content-retention-hour")
                .name("Audience retention per hour")
                .sinkTo(sinks.contentRetention())
                .uid("content-retention-sink")
                .name("Content retention table");
    }

    /** Rates, scores, trends and feedback over validated plays when view validation is on ({@link ScoreBasis}). */
    private ScoreBasis scoreBasis() {
        return ScoreBasis.of(config.viewRules != null);
    }

    private static <T> Optional<DataStream<T>> unionOf(Collection<? extends DataStream<T>> streams) {
        DataStream<T> union = null;
        for (DataStream<T> stream : streams) {
            union = union == null ? stream : union.union(stream);
        }
        return Optional.ofNullable(union);
    }

    /**
     * A creator's windows are built from its content windows of the same grain (each firing's update
     * is stamped with the window's end, so it falls into the same creator window), not from raw
     * events: the creator stage sees one record per content-window firing instead of every event, and
     * folds it into one accumulator, so a creator with 50 000 contents costs what a creator with one does.
     * (uid "creator-rollup-*": the earlier "creator-metrics-*" operators kept every firing in a list.)
     */
    private SingleOutputStreamOperator<CreatorMetrics> creatorRollup(
            Grain grain, DataStream<ContentWindowUpdate> contentWindows) {
        return contentWindows
                .keyBy(update -> update.creatorId, Types.STRING)
                .window(TumblingEventTimeWindows.of(grain.size(), grain.offset()))
                .trigger(windowTrigger((ContentWindowUpdate update) -> update.creatorId))
                // Same lateness as the content windows, so a content window's late update always
                // reaches its creator window before that closes.
                .allowedLateness(config.allowedLateness)
                .aggregate(new CreatorRollup(), new CreatorWindowResult(grain, scoreBasis()))
                .uid("creator-rollup-" + grain.code())
                .name("Creator metrics per " + grain.code());
    }
}
