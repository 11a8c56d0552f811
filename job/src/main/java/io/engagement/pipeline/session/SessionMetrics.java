package io.engagement.pipeline.session;

/** One viewing session (seed 001 session analytics): one row of ClickHouse table {@code session_metrics}. */
public class SessionMetrics {
    public String sessionId;
    /** {@code null} for anonymous sessions. */
    public String userId;
    /** Event time of the first and last event of the session, epoch ms. */
    public long sessionStartMs;

    public long sessionEndMs;
    public long durationMs;
    public long version;
    public long events;
    public long views;
    public long contentsViewed;
    public long completions;
    public long likes;
    public long comments;
    public long shares;
    public long saves;
    public long clicks;
    public long watchTimeMs;
    public double avgWatchTimeMs;
    public double completionRate;
    /** Seed 001 session engagement rate: (saves + shares + clicks) / views * 100. */
    public double engagementRate;
    /**
     * True for a row that retracts an earlier row of this session id: a late event moved that
     * session's start or merged it into another session, whose row is written under its own start.
     */
    public boolean superseded;

    public SessionMetrics() {}

    /** The retraction of the row written for {@code sessionId} at {@code startMs}: no counts, a higher version. */
    static SessionMetrics superseded(String sessionId, long startMs, long version) {
        SessionMetrics s = new SessionMetrics();
        s.sessionId = sessionId;
        s.sessionStartMs = startMs;
        s.sessionEndMs = startMs;
        s.version = version;
        s.superseded = true;
        return s;
    }
}
