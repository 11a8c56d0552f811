package io.engagement.pipeline.signals;

import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import io.engagement.pipeline.metrics.EngagementFormulas;
import io.engagement.pipeline.serde.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The slim record of one event that says something about its user's taste ({@link SignalKind}): what
 * crosses the shuffles to the per-user state, instead of the whole event. {@link #creatorId},
 * {@link #category} and {@link #hashtags} come from the content catalogue where the job has one
 * ({@link SignalAttribution}); without one, the creator is the event's own claim. Serialized by {@link UserSignalSerializer}.
 */
@TypeInfo(UserSignal.TypeInfoFactory.class)
public class UserSignal {
    public String userId;
    public String contentId;
    public String creatorId;
    public String category;
    public String[] hashtags;
    public SignalKind kind;
    /** The kind's weight, or for {@link SignalKind#WATCH} the share watched. */
    public double weight;

    public long eventTimeMs;

    public UserSignal() {}

    /** Written by {@link UserSignalSerializer}, not as a POJO. */
    public static final class TypeInfoFactory extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<UserSignal> {
        @Override
        public TypeInformation<UserSignal> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(UserSignal.class, UserSignalSerializer::new);
        }
    }

    /**
     * The signal an accepted event gives, or {@code null}: anonymous viewers have no profile, and
     * impressions, progress reports, pauses, seeks and clicks say nothing this stage uses.
     *
     * @param quickSkipMs a play left with less watch time than this is a {@link SignalKind#QUICK_SKIP}
     */
    public static UserSignal of(EngagementEvent event, long quickSkipMs) {
        if (event.userId == null || event.eventType == null) {
            return null;
        }
        SignalKind kind;
        double weight;
        switch (event.eventType) {
            case VIEW_START -> kind = SignalKind.VIEW_START;
            case VIEW_COMPLETE -> kind = SignalKind.COMPLETE;
            case SWIPE_AWAY ->
                kind = event.completesPlay()
                        ? SignalKind.COMPLETE
                        : isQuickSkip(event, quickSkipMs) ? SignalKind.QUICK_SKIP : SignalKind.WATCH;
            case LIKE -> kind = SignalKind.LIKE;
            case UNLIKE -> kind = SignalKind.UNLIKE;
            case COMMENT -> kind = SignalKind.COMMENT;
            case SHARE -> kind = SignalKind.SHARE;
            case SAVE -> kind = SignalKind.SAVE;
            case UNSAVE -> kind = SignalKind.UNSAVE;
            case FOLLOW -> kind = SignalKind.FOLLOW;
            case UNFOLLOW -> kind = SignalKind.UNFOLLOW;
            case NOT_INTERESTED -> kind = SignalKind.NOT_INTERESTED;
            case HIDE -> kind = SignalKind.HIDE;
            case REPORT -> kind = SignalKind.REPORT;
            default -> {
                return null;
            }
        }
        weight = kind == SignalKind.WATCH ? shareWatched(event) : kind.weight();
        UserSignal s = new UserSignal();
        s.userId = event.userId;
        s.contentId = event.contentId;
        s.creatorId = event.creatorId;
        s.kind = kind;
        s.weight = weight;
        s.eventTimeMs = event.eventTimeMs;
        return s;
    }

    /** The play's position (0..1), else its total watch time over the duration it claims, else 0. */
    private static double shareWatched(EngagementEvent event) {
        double share = 0;
        if (event.progress != null) {
            share = event.progress;
        } else if (event.totalWatchTimeMs != null && event.contentDurationMs != null && event.contentDurationMs > 0) {
            share = event.totalWatchTimeMs / (double) event.contentDurationMs;
        }
        return Math.min(1.0, Math.max(0.0, share));
    }

    /** The erasure of {@code userId}'s profile. */
    public static UserSignal erasure(String userId) {
        UserSignal s = new UserSignal();
        s.userId = userId;
        s.kind = SignalKind.ERASE;
        return s;
    }

    /**
     * A play left early: its watch time as the project measures a play's ({@link
     * EngagementFormulas#playWatchTimeMs}: the client's total, else the position times the duration it
     * claims) under {@code quickSkipMs}; when neither is known, a position under 5 % of the content or
     * none at all (nothing says it was watched).
     */
    static boolean isQuickSkip(EngagementEvent event, long quickSkipMs) {
        Long watched = EngagementFormulas.playWatchTimeMs(
                event.totalWatchTimeMs, event.progress, event.contentDurationMs, false);
        if (watched != null) {
            return watched < quickSkipMs;
        }
        return event.progress == null || event.progress < 0.05;
    }

    /** Whether an event type can give a signal (a cheap filter before {@link #of}). */
    public static boolean mayGiveSignal(EventType type) {
        return switch (type) {
            case IMPRESSION, VIEW_PROGRESS, PAUSE, RESUME, SEEK, CLICK -> false;
            default -> true;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserSignal s
                && kind == s.kind
                && weight == s.weight
                && eventTimeMs == s.eventTimeMs
                && Objects.equals(userId, s.userId)
                && Objects.equals(contentId, s.contentId)
                && Objects.equals(creatorId, s.creatorId)
                && Objects.equals(category, s.category)
                && java.util.Arrays.equals(hashtags, s.hashtags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, contentId, kind, eventTimeMs);
    }

    @Override
    public String toString() {
        return "UserSignal{" + userId + ' ' + kind + ' ' + contentId + " w=" + weight + " t=" + eventTimeMs + '}';
    }
}
