package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.serde.NetworkSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of {@link ContentMetrics}, the rows every content window fires: they cross the
 * shuffles to the ClickHouse writer, the feedback topic, velocity and the creator roll-ups, about
 * 0.6 rows per event in the stack benchmark ({@link NetworkSerializer}: network only, never state).
 * Every field in declaration order, strings as {@link StringValue} (null allowed). {@code
 * ContentMetricsSerializerTest} sets every public field and fails for one this serializer misses.
 */
public final class ContentMetricsSerializer extends NetworkSerializer<ContentMetrics> {

    @Override
    public ContentMetrics createInstance() {
        return new ContentMetrics();
    }

    /** Every field is a primitive or a String, so a shallow copy is a full one. */
    @Override
    public ContentMetrics copy(ContentMetrics from) {
        return from.copy();
    }

    @Override
    public void serialize(ContentMetrics m, DataOutputView out) throws IOException {
        StringValue.writeString(m.grain, out);
        out.writeLong(m.windowStartMs);
        out.writeLong(m.windowEndMs);
        StringValue.writeString(m.contentId, out);
        StringValue.writeString(m.creatorId, out);
        out.writeLong(m.version);
        out.writeBoolean(m.provisional);
        out.writeLong(m.impressions);
        out.writeLong(m.views);
        out.writeLong(m.uniqueViewers);
        out.writeBoolean(m.uniqueViewersExact);
        out.writeLong(m.watchTimeMs);
        out.writeDouble(m.avgWatchTimeMs);
        out.writeDouble(m.medianWatchTimeMs);
        out.writeLong(m.completions);
        out.writeDouble(m.completionRate);
        out.writeLong(m.endedOver75);
        out.writeLong(m.endedOver50);
        out.writeLong(m.endedOver25);
        out.writeLong(m.endedUnder25);
        out.writeLong(m.skips);
        out.writeLong(m.swipedAway);
        out.writeLong(m.feedViews);
        out.writeLong(m.loopPlays);
        out.writeLong(m.rewatches);
        out.writeDouble(m.rewatchRate);
        out.writeLong(m.likes);
        out.writeLong(m.comments);
        out.writeLong(m.shares);
        out.writeLong(m.saves);
        out.writeLong(m.clicks);
        out.writeLong(m.follows);
        out.writeLong(m.unfollows);
        out.writeLong(m.notInterested);
        out.writeLong(m.reports);
        out.writeLong(m.hides);
        out.writeLong(m.viewsOrganic);
        out.writeLong(m.viewsFollowing);
        out.writeLong(m.viewsProfile);
        out.writeLong(m.viewsHashtag);
        out.writeLong(m.viewsSearch);
        out.writeLong(m.viewsDirect);
        out.writeLong(m.viewsOtherSource);
        out.writeLong(m.viewsMobile);
        out.writeLong(m.viewsTablet);
        out.writeLong(m.viewsDesktop);
        out.writeLong(m.viewsTv);
        out.writeLong(m.viewsOtherDevice);
        out.writeLong(m.viewsIos);
        out.writeLong(m.viewsAndroid);
        out.writeLong(m.viewsWeb);
        out.writeLong(m.viewsOtherPlatform);
        out.writeLong(m.creatorMismatches);
        out.writeLong(m.uncataloguedEvents);
        out.writeLong(m.validatedViews);
        out.writeLong(m.validatedCompletions);
        out.writeLong(m.validatedWatchTimeMs);
        out.writeDouble(m.engagementRate);
        out.writeDouble(m.actionRate);
        out.writeDouble(m.engagementScore);
        out.writeDouble(m.retentionScore);
        out.writeDouble(m.engagementComponent);
        out.writeDouble(m.viralityScore);
        out.writeDouble(m.watchabilityScore);
        out.writeDouble(m.qualityScore);
    }

    @Override
    public ContentMetrics deserialize(DataInputView in) throws IOException {
        ContentMetrics m = new ContentMetrics();
        m.grain = StringValue.readString(in);
        m.windowStartMs = in.readLong();
        m.windowEndMs = in.readLong();
        m.contentId = StringValue.readString(in);
        m.creatorId = StringValue.readString(in);
        m.version = in.readLong();
        m.provisional = in.readBoolean();
        m.impressions = in.readLong();
        m.views = in.readLong();
        m.uniqueViewers = in.readLong();
        m.uniqueViewersExact = in.readBoolean();
        m.watchTimeMs = in.readLong();
        m.avgWatchTimeMs = in.readDouble();
        m.medianWatchTimeMs = in.readDouble();
        m.completions = in.readLong();
        m.completionRate = in.readDouble();
        m.endedOver75 = in.readLong();
        m.endedOver50 = in.readLong();
        m.endedOver25 = in.readLong();
        m.endedUnder25 = in.readLong();
        m.skips = in.readLong();
        m.swipedAway = in.readLong();
        m.feedViews = in.readLong();
        m.loopPlays = in.readLong();
        m.rewatches = in.readLong();
        m.rewatchRate = in.readDouble();
        m.likes = in.readLong();
        m.comments = in.readLong();
        m.shares = in.readLong();
        m.saves = in.readLong();
        m.clicks = in.readLong();
        m.follows = in.readLong();
        m.unfollows = in.readLong();
        m.notInterested = in.readLong();
        m.reports = in.readLong();
        m.hides = in.readLong();
        m.viewsOrganic = in.readLong();
        m.viewsFollowing = in.readLong();
        m.viewsProfile = in.readLong();
        m.viewsHashtag = in.readLong();
        m.viewsSearch = in.readLong();
        m.viewsDirect = in.readLong();
        m.viewsOtherSource = in.readLong();
        m.viewsMobile = in.readLong();
        m.viewsTablet = in.readLong();
        m.viewsDesktop = in.readLong();
        m.viewsTv = in.readLong();
        m.viewsOtherDevice = in.readLong();
        m.viewsIos = in.readLong();
        m.viewsAndroid = in.readLong();
        m.viewsWeb = in.readLong();
        m.viewsOtherPlatform = in.readLong();
        m.creatorMismatches = in.readLong();
        m.uncataloguedEvents = in.readLong();
        m.validatedViews = in.readLong();
        m.validatedCompletions = in.readLong();
        m.validatedWatchTimeMs = in.readLong();
        m.engagementRate = in.readDouble();
        m.actionRate = in.readDouble();
        m.engagementScore = in.readDouble();
        m.retentionScore = in.readDouble();
        m.engagementComponent = in.readDouble();
        m.viralityScore = in.readDouble();
        m.watchabilityScore = in.readDouble();
        m.qualityScore = in.readDouble();
        return m;
    }
}
