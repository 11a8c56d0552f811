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

    /** Every sink but the experiments' validated views, whose rows are not kept. */
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
            Sink<ContentRetention> contentRetention,
            Sink<CreatorAlert> alerts,
            Sink<CreatorAlert> alertTable,
            Sink<UserSignalUpdate> userSignals) {
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
                alerts,
                alertTable,
                userSignals,
                new DiscardingSink<>());
    }

    /** Every sink but the user-signals topic, whose updates are not kept. */
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
            Sink<ContentRetention> contentRetention,
            Sink<CreatorAlert> alerts,
            Sink<CreatorAlert> alertTable) {
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
                alerts,
                alertTable,
                new DiscardingSink<>());
    }

    /** Every sink but the alerts topic and table, whose alerts are not kept. */
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
                new DiscardingSink<>());
    }

    /** Every sink but the retention table, whose rows are not kept. */
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
            Sink<SuspectActor> suspectActors) {
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
                new DiscardingSink<>());
    }

    /** Sinks for a topology with a content catalogue, whose flagged actors are not kept. */
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
            Sink<CatalogEntry> contentCatalog) {
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
                new DiscardingSink<>());
    }

    /** The same sinks, flagged actors going to {@code sink}. */
    public PipelineSinks withSuspectActors(Sink<SuspectActor> sink) {
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
                sink,
                contentRetention,
                alerts,
                alertTable,
                userSignals,
                experimentViews);
    }

    /** The same sinks, retention rows going to {@code sink}. */
    public PipelineSinks withContentRetention(Sink<ContentRetention> sink) {
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
                sink,
                alerts,
                alertTable,
                userSignals,
                experimentViews);
    }

    /** The same sinks, creator alerts going to {@code topic} (the service delivers them) and {@code table}. */
    public PipelineSinks withAlerts(Sink<CreatorAlert> topic, Sink<CreatorAlert> table) {
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
                topic,
                table,
                userSignals,
                experimentViews);
    }

    /** The same sinks, per-user signal updates going to {@code topic}. */
    public PipelineSinks withUserSignals(Sink<UserSignalUpdate> topic) {
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
                topic,
                experimentViews);
    }

    /** The same sinks, the experiments' validated view starts going to {@code table}. */
    public PipelineSinks withExperimentViews(Sink<ViewClaim> table) {
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
                table);
    }

    /** Sinks for a topology without a content catalogue (its catalogue table sink is never used). */
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
                new DiscardingSink<>());
    }
}
