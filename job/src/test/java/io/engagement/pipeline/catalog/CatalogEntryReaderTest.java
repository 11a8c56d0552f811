package io.engagement.pipeline.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.event.RejectReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CatalogEntryReaderTest {

    private final CatalogEntryReader reader = new CatalogEntryReader(JobConfig.defaults().validationRules);

    private CatalogRecord read(String key, String value) {
        return reader.read(
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                "catalog",
                2,
                41);
    }

    @Test
    void anEntryCarriesOwnerDurationAndLabelsAndItsOffsetAsVersion() {
        CatalogRecord r = read(
                "c-1",
                "{\"content_id\":\"c-1\",\"creator_id\":\"cr-9\",\"duration_ms\":30000,"
                        + "\"published_at\":\"2026-12-01T10:00:00Z\",\"category\":\"music\",\"hashtags\":[\"dance\",\"fyp\"],\"sound_id\":\"s-3\"}");
        assertNull(r.rejected);
        CatalogEntry e = r.entry;
        assertEquals("c-1", e.contentId);
        assertEquals("cr-9", e.creatorId);
        assertEquals(30_000L, e.durationMs);
        assertEquals(1_796_119_200_000L, e.publishedAtMs); // 2026-12-01T10:00:00Z
        assertEquals("music", e.category);
        assertArrayEquals(new String[] {"dance", "fyp"}, e.hashtags);
        assertEquals("s-3", e.soundId);
        assertEquals(41, e.version);
        assertEquals(false, e.deleted);
    }

    @Test
    void anEmptyValueDeletesTheKeysContent() {
        CatalogEntry e = read("c-1", null).entry;
        assertTrue(e.deleted);
        assertEquals("c-1", e.contentId);
        assertEquals(41, e.version);
    }

    @Test
    void unusableEntriesBecomeDeadLettersWithWhatIsWrong() {
        assertRejected(read(null, null), "without a key");
        assertRejected(
                read("c-1", "{\"content_id\":\"c-2\",\"creator_id\":\"cr\"}"), "differs from the message key 'c-1'");
        assertRejected(read("c-1", "{\"content_id\":\"c-1\"}"), "missing required field 'creator_id'");
        assertRejected(read("c-1", "{\"content_id\":\"c-1\",\"creator_id\":\"cr\",\"duration_ms\":-5}"), "duration_ms");
        assertRejected(
                read("c-1", "{\"content_id\":\"c-1\",\"creator_id\":\"cr\",\"hashtags\":[\"two words\"]}"),
                "whitespace");
        assertRejected(read("c-1", "{\"content_id\":\"c-1\",\"creator_id\":\"cr\\u0001\"}"), "control character");
        assertRejected(
                read("c-1", "{\"content_id\":\"c-1\",\"content_id\":\"c-1\",\"creator_id\":\"cr\"}"),
                "Duplicate field");
        assertRejected(read("c-1", "[1,2]"), "not a JSON object");
        assertRejected(read("c-1", "{"), "not parseable");
    }

    private static void assertRejected(CatalogRecord r, String detailPart) {
        assertNull(r.entry);
        assertEquals(RejectReason.INVALID_CATALOG_ENTRY, r.rejected.reason);
        assertTrue(r.rejected.detail.contains(detailPart), r.rejected.detail);
        assertEquals("catalog", r.rejected.sourceTopic);
        assertEquals(41, r.rejected.sourceOffset);
    }
}
