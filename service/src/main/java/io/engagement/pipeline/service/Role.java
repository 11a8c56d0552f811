package io.engagement.pipeline.service;

/** What an API key may do. */
public enum Role {
    /** Apps: may only send events. */
    TRACKING,
    /** A creator: may read its own creator id's analytics and content, nothing platform-wide about users. */
    CREATOR,
    /** The platform team: may read everything, write nothing. */
    ADMIN,
    /** The platform's content service: may write the content catalogue (who owns what), nothing else. */
    CATALOG,
    /** Monitoring (a Prometheus scrape): may read the service's counters ({@code /metrics}), nothing else. */
    METRICS
}
