package io.engagement.pipeline.topology;

import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.CountryMetrics;
import io.engagement.pipeline.alerts.CreatorAlert;
import io.engagement.pipeline.catalog.CatalogEntry;
import io.engagement.pipeline.creator.CreatorMetrics;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.LateEvent;
import io.engagement.pipeline.retention.ContentRetention;
import io.engagement.pipeline.session.SessionMetrics;
import io.engagement.pipeline.signals.UserSignalUpdate;
import io.engagement.pipeline.velocity.ContentVelocity;
import io.engagement.pipeline.views.SuspectActor;
import io.engagement.pipeline.views.ViewClaim;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Where the topology writes. Production passes the ClickHouse and Kafka sinks
 * ({@link io.engagement.pipeline.sink.ProductionSinks}); topology tests pass in-memory sinks. Dead
 * letters go to the topic (for reprocessing) and to a table (for accounting); duplicates only to a
 * table, so every consumed offset has exactly one outcome row.
 */
public record PipelineSinks(
        Sink<EngagementEvent> events,
        Sink<ContentMetrics> contentMetrics,
        Sink<ContentMetrics> feedback,
        Sink<DeadLetter> deadLetters,
        Sink<DeadLetter> deadLetterTable,
        Sink<EngagementEvent> duplicates,
        Sink<LateEvent> lateEvents,
        Sink<ContentVelocity> velocity,
        Sink<ContentVelocity> velocityFeedback,
        Sink<SessionMetrics> sessions,
        Sink<CreatorMetrics> creatorMetrics,
        Sink<CountryMetrics> countryMetrics,
        Sink<CatalogEntry> contentCatalog,
        Sink<SuspectActor> suspectActors,
        Sink<ContentRetention> contentRetention,
        Sink<CreatorAlert> alerts,
        Sink<CreatorAlert> alertTable,
        Sink<UserSignalUpdate> userSignals,
        Sink<ViewClaim> experimentViews) {

    /**
     * Sinks for a topology without a content catalogue: the catalogue table, flagged actors,
     * retention rows, alerts, user signals and the experiments' validated views are not kept.
     */
    public PipelineSinks(
            Sink<EngagementEvent> events,
            Sink<ContentMetrics> contentMetrics,
            Sink<ContentMetrics> feedback,
            Sink<DeadLetter> deadLetters,
            Sink<DeadLetter> deadLetterTable,
            Sink<EngagementEvent> duplicates,
            Sink<LateEvent> lateEvents,
            Sink<ContentVelocity> velocity,
            Sink<ContentVelocity> velocityFeedback,
            Sink<SessionMetrics> sessions,
            Sink<CreatorMetrics> creatorMetrics,
            Sink<CountryMetrics> countryMetrics) {
        this(
                events,
                contentMetrics,
                feedback,
                deadLetters,
                deadLetterTable,
                duplicates,
                lateEvents,
                velocity,
                velocityFeedback,
                sessions,
                creatorMetrics,
                countryMetrics,
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>());
    }

    /** Sinks for a topology with a content catalogue; alerts, user signals and experiment views are not kept. */
    public PipelineSinks(
            Sink<EngagementEvent> events,
            Sink<ContentMetrics> contentMetrics,
            Sink<ContentMetrics> feedback,
            Sink<DeadLetter> deadLetters,
            Sink<DeadLetter> deadLetterTable,
            Sink<EngagementEvent> duplicates,
            Sink<LateEvent> lateEvents,
            Sink<ContentVelocity> velocity,
            Sink<ContentVelocity> velocityFeedback,
            Sink<SessionMetrics> sessions,
            Sink<CreatorMetrics> creatorMetrics,
            Sink<CountryMetrics> countryMetrics,
            Sink<CatalogEntry> contentCatalog,
            Sink<SuspectActor> suspectActors,
            Sink<ContentRetention> contentRetention) {
        this(
                events,
                contentMetrics,
                feedback,
                deadLetters,
                deadLetterTable,
                duplicates,
                lateEvents,
                velocity,
                velocityFeedback,
                sessions,
                creatorMetrics,
                countryMetrics,
                contentCatalog,
                suspectActors,
                contentRetention,
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>());
    }

    /** The same sinks, flagged actors going to {@code sink}. */
    public PipelineSinks withSuspectActors(Sink<SuspectActor> sink) {
        Parts p = new Parts(this);
        p.suspectActors = sink;
        return p.build();
    }

    /** The same sinks, retention rows going to {@code sink}. */
    public PipelineSinks withContentRetention(Sink<ContentRetention> sink) {
        Parts p = new Parts(this);
        p.contentRetention = sink;
        return p.build();
    }

    /** The same sinks, creator alerts going to {@code topic} (the service delivers them) and {@code table}. */
    public PipelineSinks withAlerts(Sink<CreatorAlert> topic, Sink<CreatorAlert> table) {
        Parts p = new Parts(this);
        p.alerts = topic;
        p.alertTable = table;
        return p.build();
    }

    /** The same sinks, per-user signal updates going to {@code topic}. */
    public PipelineSinks withUserSignals(Sink<UserSignalUpdate> topic) {
        Parts p = new Parts(this);
        p.userSignals = topic;
        return p.build();
    }

    /** The same sinks, the experiments' validated view starts going to {@code table}. */
    public PipelineSinks withExperimentViews(Sink<ViewClaim> table) {
        Parts p = new Parts(this);
        p.experimentViews = table;
        return p.build();
    }

    /** A copy of the sinks to change one or two and build again: what the {@code with} methods share. */
    private static final class Parts {
        Sink<EngagementEvent> events;
        Sink<ContentMetrics> contentMetrics;
        Sink<ContentMetrics> feedback;
        Sink<DeadLetter> deadLetters;
        Sink<DeadLetter> deadLetterTable;
        Sink<EngagementEvent> duplicates;
        Sink<LateEvent> lateEvents;
        Sink<ContentVelocity> velocity;
        Sink<ContentVelocity> velocityFeedback;
        Sink<SessionMetrics> sessions;
        Sink<CreatorMetrics> creatorMetrics;
        Sink<CountryMetrics> countryMetrics;
        Sink<CatalogEntry> contentCatalog;
        Sink<SuspectActor> suspectActors;
        Sink<ContentRetention> contentRetention;
        Sink<CreatorAlert> alerts;
        Sink<CreatorAlert> alertTable;
        Sink<UserSignalUpdate> userSignals;
        Sink<ViewClaim> experimentViews;

        Parts(PipelineSinks s) {
            events = s.events;
            contentMetrics = s.contentMetrics;
            feedback = s.feedback;
            deadLetters = s.deadLetters;
            deadLetterTable = s.deadLetterTable;
            duplicates = s.duplicates;
            lateEvents = s.lateEvents;
            velocity = s.velocity;
            velocityFeedback = s.velocityFeedback;
            sessions = s.sessions;
            creatorMetrics = s.creatorMetrics;
            countryMetrics = s.countryMetrics;
            contentCatalog = s.contentCatalog;
            suspectActors = s.suspectActors;
            contentRetention = s.contentRetention;
            alerts = s.alerts;
            alertTable = s.alertTable;
            userSignals = s.userSignals;
            experimentViews = s.experimentViews;
        }

        PipelineSinks build() {
            return new PipelineSinks(
                    events,
                    contentMetrics,
                    feedback,
                    deadLetters,
                    deadLetterTable,
                    duplicates,
                    lateEvents,
                    velocity,
                    velocityFeedback,
                    sessions,
                    creatorMetrics,
                    countryMetrics,
                    contentCatalog,
                    suspectActors,
                    contentRetention,
                    alerts,
                    alertTable,
                    userSignals,
                    experimentViews);
        }
    }
}
