package io.engagement.pipeline.catalog;

import io.engagement.pipeline.event.DeadLetter;

/** What one message of the catalogue topic became: an entry (a change or a deletion), or a dead letter. */
public class CatalogRecord {
    public CatalogEntry entry;
    public DeadLetter rejected;

    public CatalogRecord() {}

    static CatalogRecord of(CatalogEntry entry) {
        CatalogRecord r = new CatalogRecord();
        r.entry = entry;
        return r;
    }

    static CatalogRecord rejected(DeadLetter deadLetter) {
        CatalogRecord r = new CatalogRecord();
        r.rejected = deadLetter;
        return r;
    }
}
