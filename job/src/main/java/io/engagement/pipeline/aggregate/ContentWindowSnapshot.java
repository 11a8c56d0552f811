package io.engagement.pipeline.aggregate;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The counters of one content window as fired, with its firing version: what creator roll-ups are
 * built from. Carries the sketches, not just the numbers, so a creator's unique viewers and median
 * watch time are merged from its contents' sketches instead of summed.
 */
@TypeInfo(ContentWindowSnapshot.TypeInfoFactory.class)
public class ContentWindowSnapshot {
    public String contentId;
    public String creatorId;
    public long windowStartMs;
    public long windowEndMs;
    public long version;
    public ContentWindowAccumulator counters;

    public ContentWindowSnapshot() {}

    /** Written by {@link ContentWindowSnapshotSerializer}, not as a POJO. */
    public static final class TypeInfoFactory
            extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<ContentWindowSnapshot> {
        @Override
        public org.apache.flink.api.common.typeinfo.TypeInformation<ContentWindowSnapshot> createTypeInfo(
                java.lang.reflect.Type t,
                java.util.Map<String, org.apache.flink.api.common.typeinfo.TypeInformation<?>> genericParameters) {
            return new io.engagement.pipeline.serde.SerializerTypeInfo<>(
                    ContentWindowSnapshot.class, ContentWindowSnapshotSerializer::new);
        }
    }

    public ContentWindowSnapshot(
            String contentId, long windowStartMs, long windowEndMs, long version, ContentWindowAccumulator counters) {
        this.contentId = contentId;
        this.creatorId = counters.creatorId;
        this.windowStartMs = windowStartMs;
        this.windowEndMs = windowEndMs;
        this.version = version;
        this.counters = counters;
    }
}
