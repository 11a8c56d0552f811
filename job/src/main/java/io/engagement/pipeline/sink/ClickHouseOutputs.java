package io.engagement.pipeline.sink;

import io.engagement.pipeline.aggregate.ContentCounter;
import io.engagement.pipeline.aggregate.ContentMetrics;
import io.engagement.pipeline.aggregate.CountryMetrics;
import io.engagement.pipeline.alerts.CreatorAlert;
import io.engagement.pipeline.catalog.CatalogEntry;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.creator.CreatorMetrics;
import io.engagement.pipeline.event.DeadLetter;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.LateEvent;
import io.engagement.pipeline.retention.ContentRetention;
import io.engagement.pipeline.session.SessionMetrics;
import io.engagement.pipeline.velocity.ContentVelocity;
import io.engagement.pipeline.views.SuspectActor;

/**
 * The ClickHouse tables the job writes (DDL in sql/ddl/) and their sinks. Every write is
 * idempotent by the table's sorting key (ReplacingMergeTree), which is what makes the at-least-once
 * sink ({@link ClickHouseHttpSink}) give exactly-once results after a restore (docs/guarantees.md).
 */
public final class ClickHouseOutputs {

    /**
     * The database of sql/ddl/ as written; {@link #sink} moves a table to {@code clickhouse.database}.
     * Table names are qualified with it, so the URL needs no database.
     */
    public static final String DATABASE = io.engagement.pipeline.clickhouse.Database.DEFAULT;

    public static final ClickHouseTable<EngagementEvent> EVENTS = new ClickHouseTable<EngagementEvent>(
                    DATABASE + ".engagement_events")
            .string("event_id", e -> e.eventId)
            .string("event_type", e -> e.eventType.wireName())
            .string("content_id", e -> e.contentId)
            .string("creator_id", e -> e.creatorId)
            .nullableString("user_id", e -> e.userId)
            .string("session_id", e -> e.sessionId)
            .dateTime("event_time", e -> e.eventTimeMs)
            .int64("event_time_ms", e -> e.eventTimeMs)
            .nullableInt64("watch_time_ms", e -> e.watchTimeMs)
            .nullableInt64("content_duration_ms", e -> e.contentDurationMs)
            .nullableFloat64("progress", e -> e.progress)
            .nullableBool("is_rewatch", e -> e.isRewatch)
            .nullableString("source", e -> e.source)
            .nullableString("device", e -> e.device)
            .nullableString("platform", e -> e.platform)
            .nullableString("country", e -> e.country)
            .string("source_topic", e -> e.sourceTopic)
            .int32("source_partition", e -> e.sourcePartition)
            .int64("source_offset", e -> e.sourceOffset)
            .nullableInt64("total_watch_time_ms", e -> e.totalWatchTimeMs)
            .nullableInt64("loop_count", e -> e.loopCount == null ? null : e.loopCount.longValue())
            .nullableString("device_id", e -> e.deviceId)
            .stringArray("property_keys", e -> e.propertyKeys)
            .stringArray("property_values", e -> e.propertyValues)
            .nullableString("experiment", e -> e.experiment)
            .nullableString("variant", e -> e.variant);

    public static final ClickHouseTable<ContentMetrics> CONTENT_METRICS = contentMetrics();

    /** The window identity, one column per {@link ContentCounter} with a column, then the derived metrics. */
    private static ClickHouseTable<ContentMetrics> contentMetrics() {
        ClickHouseTable<ContentMetrics> table = new ClickHouseTable<ContentMetrics>(DATABASE + ".content_metrics")
                .string("grain", m -> m.grain)
                .dateTime("window_start", m -> m.windowStartMs)
                .dateTime("window_end", m -> m.windowEndMs)
                .string("content_id", m -> m.contentId)
                .string("creator_id", m -> m.creatorId)
                .uint64("version", m -> m.version);
        for (ContentCounter counter : ContentCounter.inRow()) {
            if (counter.canBeNegative()) {
                table.int64(counter.column(), m -> counter.get(m));
            } else {
                table.uint64(counter.column(), m -> counter.get(m));
            }
        }
        return table.uint64("unique_viewers", m -> m.uniqueViewers)
                .bool("unique_viewers_exact", m -> m.uniqueViewersExact)
                .float64("avg_watch_time_ms", m -> m.avgWatchTimeMs)
                .float64("median_watch_time_ms", m -> m.medianWatchTimeMs)
                .float64("completion_rate", m -> m.completionRate)
                .float64("rewatch_rate", m -> m.rewatchRate)
                .uint64("feed_views", m -> m.feedViews)
                .float64("engagement_rate", m -> m.engagementRate)
                .float64("action_rate", m -> m.actionRate)
                .float64("engagement_score", m -> m.engagementScore)
                .float64("retention_score", m -> m.retentionScore)
                .float64("engagement_component", m -> m.engagementComponent)
                .float64("virality_score", m -> m.viralityScore)
                .float64("watchability_score", m -> m.watchabilityScore)
                .float64("quality_score", m -> m.qualityScore)
                .bool("provisional", m -> m.provisional);
    }

    public static final ClickHouseTable<LateEvent> LATE_EVENTS = new ClickHouseTable<LateEvent>(
                    DATABASE + ".late_events")
            .string("event_id", l -> l.event.eventId)
            .string("event_type", l -> l.event.eventType.wireName())
            .string("content_id", l -> l.event.contentId)
            .string("creator_id", l -> l.event.creatorId)
            .nullableString("user_id", l -> l.event.userId)
            .string("session_id", l -> l.event.sessionId)
            .dateTime("event_time", l -> l.event.eventTimeMs)
            .int64("event_time_ms", l -> l.event.eventTimeMs)
            .nullableInt64("watch_time_ms", l -> l.event.watchTimeMs)
            .int64("watermark_ms", l -> l.watermarkMs)
            .string("reason", l -> l.reason)
            .string("source_topic", l -> l.event.sourceTopic)
            .int32("source_partition", l -> l.event.sourcePartition)
            .int64("source_offset", l -> l.event.sourceOffset);

    public static final ClickHouseTable<DeadLetter> DEAD_LETTERS = new ClickHouseTable<DeadLetter>(
                    DATABASE + ".dead_letters")
            .string("reason", d -> d.reason.code())
            .string("detail", d -> d.detail)
            .nullableString("payload", d -> d.payload)
            .string("payload_encoding", d -> d.payloadEncoding)
            .string("source_topic", d -> d.sourceTopic)
            .int32("source_partition", d -> d.sourcePartition)
            .int64("source_offset", d -> d.sourceOffset)
            .int64("payload_bytes", d -> (long) d.payloadBytes)
            .bool("payload_truncated", d -> d.payloadTruncated);

    public static final ClickHouseTable<EngagementEvent> DUPLICATES = new ClickHouseTable<EngagementEvent>(
                    DATABASE + ".duplicate_events")
            .string("event_id", e -> e.eventId)
            .string("event_type", e -> e.eventType.wireName())
            .string("content_id", e -> e.contentId)
            .dateTime("event_time", e -> e.eventTimeMs)
            .string("source_topic", e -> e.sourceTopic)
            .int32("source_partition", e -> e.sourcePartition)
            .int64("source_offset", e -> e.sourceOffset);

    public static final ClickHouseTable<ContentVelocity> CONTENT_VELOCITY = new ClickHouseTable<ContentVelocity>(
                    DATABASE + ".content_velocity")
            .string("content_id", v -> v.contentId)
            .string("creator_id", v -> v.creatorId)
            .dateTime("as_of", v -> v.asOfMs)
            .uint64("version", v -> v.version)
            .uint64("views_last_24h", v -> v.viewsLast24h)
            .uint64("views_previous_24h", v -> v.viewsPrevious24h)
            .uint64("engagements_last_24h", v -> v.engagementsLast24h)
            .uint64("shares_last_24h", v -> v.sharesLast24h)
            .float64("views_per_hour", v -> v.viewsPerHour)
            .float64("engagement_per_hour", v -> v.engagementPerHour)
            .float64("shares_per_hour", v -> v.sharesPerHour)
            .string("trend", v -> v.trend)
            .bool("trending", v -> v.trending)
            .float64("peak_views_per_hour", v -> v.peakViewsPerHour)
            .dateTime("peak_at", v -> v.peakAtMs);

    public static final ClickHouseTable<SessionMetrics> SESSION_METRICS = new ClickHouseTable<SessionMetrics>(
                    DATABASE + ".session_metrics")
            .string("session_id", m -> m.sessionId)
            .nullableString("user_id", m -> m.userId)
            .dateTime("session_start", m -> m.sessionStartMs)
            .dateTime("session_end", m -> m.sessionEndMs)
            .int64("duration_ms", m -> m.durationMs)
            .uint64("version", m -> m.version)
            .uint64("events", m -> m.events)
            .uint64("views", m -> m.views)
            .uint64("contents_viewed", m -> m.contentsViewed)
            .uint64("completions", m -> m.completions)
            .int64("likes", m -> m.likes)
            .uint64("comments", m -> m.comments)
            .uint64("shares", m -> m.shares)
            .int64("saves", m -> m.saves)
            .uint64("clicks", m -> m.clicks)
            .uint64("watch_time_ms", m -> m.watchTimeMs)
            .float64("avg_watch_time_ms", m -> m.avgWatchTimeMs)
            .float64("completion_rate", m -> m.completionRate)
            .float64("engagement_rate", m -> m.engagementRate)
            .bool("superseded", m -> m.superseded);

    public static final ClickHouseTable<CreatorMetrics> CREATOR_METRICS = new ClickHouseTable<CreatorMetrics>(
                    DATABASE + ".creator_metrics")
            .string("grain", m -> m.grain)
            .dateTime("window_start", m -> m.windowStartMs)
            .dateTime("window_end", m -> m.windowEndMs)
            .string("creator_id", m -> m.creatorId)
            .uint64("version", m -> m.version)
            .uint64("contents", m -> m.contents)
            .uint64("impressions", m -> m.impressions)
            .uint64("views", m -> m.views)
            .uint64("unique_viewers", m -> m.uniqueViewers)
            .bool("unique_viewers_exact", m -> m.uniqueViewersExact)
            .uint64("watch_time_ms", m -> m.watchTimeMs)
            .float64("avg_watch_time_ms", m -> m.avgWatchTimeMs)
            .float64("median_watch_time_ms", m -> m.medianWatchTimeMs)
            .uint64("completions", m -> m.completions)
            .float64("completion_rate", m -> m.completionRate)
            .float64("avg_completion_rate", m -> m.avgCompletionRate)
            .int64("likes", m -> m.likes)
            .uint64("comments", m -> m.comments)
            .uint64("shares", m -> m.shares)
            .int64("saves", m -> m.saves)
            .uint64("clicks", m -> m.clicks)
            .uint64("follows", m -> m.follows)
            .uint64("skips", m -> m.skips)
            .float64("engagement_rate", m -> m.engagementRate)
            .float64("action_rate", m -> m.actionRate)
            .float64("engagement_score", m -> m.engagementScore)
            .string("top_content_id", m -> m.topContentId == null ? "" : m.topContentId)
            .uint64("top_content_views", m -> m.topContentViews)
            .float64("top_content_engagement_score", m -> m.topContentEngagementScore)
            .uint64("validated_views", m -> m.validatedViews)
            .uint64("validated_completions", m -> m.validatedCompletions)
            .uint64("validated_watch_time_ms", m -> m.validatedWatchTimeMs)
            .bool("provisional", m -> m.provisional);

    public static final ClickHouseTable<CountryMetrics> CONTENT_COUNTRY_METRICS = new ClickHouseTable<CountryMetrics>(
                    DATABASE + ".content_country_metrics")
            .string("grain", m -> m.grain)
            .dateTime("window_start", m -> m.windowStartMs)
            .dateTime("window_end", m -> m.windowEndMs)
            .string("content_id", m -> m.contentId)
            .string("creator_id", m -> m.creatorId)
            .string("country", m -> m.country)
            .uint64("version", m -> m.version)
            .uint64("views", m -> m.views)
            .uint64("unique_viewers", m -> m.uniqueViewers)
            .uint64("watch_time_ms", m -> m.watchTimeMs)
            .uint64("completions", m -> m.completions)
            .float64("completion_rate", m -> m.completionRate)
            .bool("provisional", m -> m.provisional);

    /** Where plays ended, per content and hour (docs/metrics.md#audience-retention). */
    public static final ClickHouseTable<ContentRetention> CONTENT_RETENTION = new ClickHouseTable<ContentRetention>(
                    DATABASE + ".content_retention")
            .string("grain", r -> r.grain)
            .dateTime("window_start", r -> r.windowStartMs)
            .dateTime("window_end", r -> r.windowEndMs)
            .string("content_id", r -> r.contentId)
            .string("creator_id", r -> r.creatorId)
            .uint64("version", r -> r.version)
            .bool("provisional", r -> r.provisional)
            .uint64Array("exits", r -> r.counts.exits)
            .uint64("intro_plays", r -> r.counts.introPlays)
            .uint64("intro_held", r -> r.counts.introHeld);

    /** The content catalogue as the job read it: one row per entry, the newest by version (its Kafka offset) wins. */
    public static final ClickHouseTable<CatalogEntry> CONTENT_CATALOG = new ClickHouseTable<CatalogEntry>(
                    DATABASE + ".content_catalog")
            .string("content_id", e -> e.contentId)
            .string("creator_id", e -> e.creatorId == null ? "" : e.creatorId)
            .nullableInt64("duration_ms", e -> e.durationMs)
            .nullableInt64("published_at_ms", e -> e.publishedAtMs)
            .string("category", e -> e.category == null ? "" : e.category)
            .string("hashtags", e -> e.hashtags == null ? "" : String.join(" ", e.hashtags))
            .string("sound_id", e -> e.soundId == null ? "" : e.soundId)
            .bool("deleted", e -> e.deleted)
            .uint64("version", e -> e.version);

    /** Actors a view gate flagged, one row per actor, kind and minute (docs/metrics.md, validated views). */
    public static final ClickHouseTable<SuspectActor> SUSPECT_ACTORS = new ClickHouseTable<SuspectActor>(
                    DATABASE + ".suspect_actors")
            .string("actor_kind", a -> a.actorKind)
            .string("actor_id", a -> a.actorId)
            .dateTime("window_start", a -> a.windowStartMs)
            .dateTime("window_end", a -> a.windowEndMs)
            .string("reason", a -> a.reason)
            .uint64("view_starts", a -> a.viewStarts)
            .uint64("play_ends", a -> a.playEnds)
            .bool("late", a -> a.late);

    public static final ClickHouseTable<CreatorAlert> CREATOR_ALERTS = new ClickHouseTable<CreatorAlert>(
                    DATABASE + ".creator_alerts")
            .string("alert_id", a -> a.alertId)
            .string("kind", a -> a.kind)
            .string("creator_id", a -> a.creatorId)
            .string("content_id", a -> a.contentId)
            .dateTime("window_start", a -> a.windowStartMs)
            .dateTime("window_end", a -> a.windowEndMs)
            .uint64("observed_views", a -> a.observedViews)
            .float64("typical_views", a -> a.typicalViews)
            .dateTime("raised_at", a -> a.raisedAtMs);

    /**
     * Validated view starts of experiments (docs/metrics.md#experiments): +1 for a view start the view
     * gates let through, -1 for the retraction of one a late flag took back.
     */
    public static final ClickHouseTable<io.engagement.pipeline.views.ViewClaim> EXPERIMENT_VALIDATED_VIEWS =
            new ClickHouseTable<io.engagement.pipeline.views.ViewClaim>(DATABASE + ".experiment_validated_views")
                    .string("experiment", c -> c.experiment)
                    .string("variant", c -> c.variant)
                    .string("event_id", c -> c.eventId)
                    .nullableString("user_id", c -> c.userId)
                    .string("session_id", c -> c.sessionId)
                    .dateTime("event_time", c -> c.eventTimeMs)
                    .int32("counted", c -> c.retraction ? -1 : 1);

    /** Every table the job writes. */
    public static final java.util.List<ClickHouseTable<?>> ALL = java.util.List.of(
            EVENTS,
            CONTENT_METRICS,
            LATE_EVENTS,
            DEAD_LETTERS,
            DUPLICATES,
            CONTENT_VELOCITY,
            SESSION_METRICS,
            CREATOR_METRICS,
            CONTENT_COUNTRY_METRICS,
            CONTENT_RETENTION,
            CONTENT_CATALOG,
            SUSPECT_ACTORS,
            CREATOR_ALERTS,
            EXPERIMENT_VALIDATED_VIEWS);

    private ClickHouseOutputs() {}

    /**
     * The start-up check before the job is submitted: every table exists in {@code clickhouse.database}
     * with the columns and types the writers encode (each writer checks again when it starts).
     *
     * @throws java.io.IOException naming the table and column, or the server that cannot be read
     */
    public static void checkColumns(JobConfig config) throws java.io.IOException {
        for (ClickHouseTable<?> table : ALL) {
            sink(config, table).checkColumns(0);
        }
    }

    /** A writer of rows that arrive one by one (events): sent when a batch is full (rows or bytes) or has waited the flush interval. */
    public static <T> ClickHouseHttpSink<T> sink(JobConfig config, ClickHouseTable<T> table) {
        return sink(config, table, false);
    }

    /**
     * A writer of window rows: while the job is live, also sent when the watermark that fired them
     * arrives, so a window's row is in ClickHouse right after the window closes, not a flush interval later.
     */
    public static <T> ClickHouseHttpSink<T> windowSink(JobConfig config, ClickHouseTable<T> table) {
        return sink(config, table, true);
    }

    private static <T> ClickHouseHttpSink<T> sink(JobConfig config, ClickHouseTable<T> table, boolean sendOnWatermark) {
        // Rows ClickHouse refuses go to the dead letters; the dead-letter table's own writer only logs them.
        ClickHouseTable<DeadLetter> rejects =
                table == DEAD_LETTERS ? null : DEAD_LETTERS.inDatabase(config.clickhouseDatabase);
        return new ClickHouseHttpSink<>(
                table.inDatabase(config.clickhouseDatabase),
                config.clickhouseUrl,
                config.clickhouseUser,
                config.clickhousePasswordSecret,
                batching(config),
                sendOnWatermark ? liveWatermarkLag(config) : ClickHouseHttpSink.NEVER_ON_WATERMARK,
                rejects,
                config.clickhouseCaFile);
    }

    static ClickHouseHttpSink.Batching batching(JobConfig config) {
        return new ClickHouseHttpSink.Batching(
                config.clickhouseBatchSize,
                config.clickhouseBatchMb * 1024L * 1024L,
                config.clickhouseFlushInterval,
                config.clickhouseMaxRetries);
    }

    /**
     * How far behind the wall clock the watermark of a live job may be: the out-of-orderness it waits
     * by design plus a minute for the sources' and the shuffles' delays. Further behind, the job is
     * catching up (a backfill, a restart after an outage) and its window rows go in the large batches
     * of every other table: in a catch-up the watermark closes windows several times a second, and
     * every insert costs ClickHouse ~30 ms of CPU whatever its size (docs/benchmarks.md).
     */
    static java.time.Duration liveWatermarkLag(JobConfig config) {
        return config.outOfOrderness.plus(java.time.Duration.ofMinutes(1));
    }
}
