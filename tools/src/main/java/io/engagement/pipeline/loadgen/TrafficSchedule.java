package io.engagement.pipeline.loadgen;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Decides which generated messages are due at a wall-clock time, so that the stream runs at the
 * target rate from its first second. A session's messages are spread over minutes (plays, then
 * network delays), so sessions started only from the run's start would leave the first minutes
 * short: a 3-minute run reached about 65 % of the rate. The schedule therefore starts as if it had
 * been running for {@code warmUpMs} already: sessions that began before the run contribute their
 * remaining messages, as a real stream joined mid-way would, and their earlier messages are skipped.
 */
public final class TrafficSchedule {

    /** Longer than any generated session: 6 plays of at most a minute each, plus network delays. */
    public static final long DEFAULT_WARM_UP_MS = 8 * 60_000L;

    private static final long LATE_EVENT_AGE_MS = 10 * 60_000L;

    private final EventGenerator generator;
    private final double messagesPerSecond;
    private final long startMs;
    private final PriorityQueue<EventGenerator.Timed> pending =
            new PriorityQueue<>(Comparator.comparingLong(EventGenerator.Timed::sendAtMs));
    private long generatedMessages;
    private long generatedSessions;
    private long sessionsSinceStart;

    public TrafficSchedule(EventGenerator generator, double messagesPerSecond, long startMs, long warmUpMs) {
        this.generator = generator;
        this.messagesPerSecond = messagesPerSecond;
        this.startMs = startMs;
        for (long sessionStart = startMs - warmUpMs; sessionStart < startMs; ) {
            for (EventGenerator.Timed m : record(generator.nextSession(sessionStart))) {
                if (m.sendAtMs() >= startMs) {
                    pending.add(m);
                }
            }
            sessionStart += Math.max(1, (long) (1000 * averageSessionSize() / messagesPerSecond));
        }
    }

    /** Starts the sessions that keep pace with the rate until {@code nowMs}, and returns the messages due by then. */
    public List<EventGenerator.Message> due(long nowMs) {
        long wantedSessions = (long) (((nowMs - startMs) / 1000.0 + 1) * messagesPerSecond / averageSessionSize());
        while (sessionsSinceStart < wantedSessions) {
            pending.addAll(record(
                    generator.nextIsLate()
                            ? List.of(new EventGenerator.Timed(nowMs, generator.lateEvent(nowMs, LATE_EVENT_AGE_MS)))
                            : generator.nextSession(nowMs)));
            sessionsSinceStart++;
        }
        List<EventGenerator.Message> due = new ArrayList<>();
        while (!pending.isEmpty() && pending.peek().sendAtMs() <= nowMs) {
            due.add(pending.poll().message());
        }
        return due;
    }

    /** Sessions started since the run began. */
    long sessionsStarted() {
        return sessionsSinceStart;
    }

    private List<EventGenerator.Timed> record(List<EventGenerator.Timed> session) {
        generatedMessages += session.size();
        generatedSessions++;
        return session;
    }

    private double averageSessionSize() {
        return generatedSessions == 0 ? 10 : (double) generatedMessages / generatedSessions;
    }
}
