package io.engagement.pipeline.catalog;

import java.util.Arrays;
import java.util.Objects;

/**
 * One content of the platform's catalogue as its content service published it: who owns it and how
 * long it is. The source of truth for ownership and duration; the events' own {@code creator_id} and
 * {@code content_duration_ms} are claims ({@link CatalogAttribution}). A Flink POJO (low volume:
 * one record per catalogue change).
 */
public class CatalogEntry {
    public String contentId;
    /** {@code null} in a deletion (a tombstone on the compacted topic). */
    public String creatorId;

    public Long durationMs;
    public Long publishedAtMs;
    public String category;
    public String[] hashtags;
    public String soundId;
    public boolean deleted;
    /**
     * The entry's Kafka offset: a content id always lands in one partition of the compacted topic, so
     * a later change has a larger offset (the version of the {@code content_catalog} row).
     */
    public long version;

    public CatalogEntry() {}

    /** A deletion of {@code contentId}, read at {@code version}. */
    public static CatalogEntry deletion(String contentId, long version) {
        CatalogEntry e = new CatalogEntry();
        e.contentId = contentId;
        e.deleted = true;
        e.version = version;
        return e;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CatalogEntry e
                && deleted == e.deleted
                && version == e.version
                && Objects.equals(contentId, e.contentId)
                && Objects.equals(creatorId, e.creatorId)
                && Objects.equals(durationMs, e.durationMs)
                && Objects.equals(publishedAtMs, e.publishedAtMs)
                && Objects.equals(category, e.category)
                && Arrays.equals(hashtags, e.hashtags)
                && Objects.equals(soundId, e.soundId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(contentId, version);
    }

    @Override
    public String toString() {
        return "CatalogEntry{" + contentId
                + (deleted ? " deleted" : " creator=" + creatorId + " duration=" + durationMs) + " v" + version + '}';
    }
}
