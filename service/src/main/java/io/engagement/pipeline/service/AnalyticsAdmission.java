package io.engagement.pipeline.service;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of analytics requests: at most {@code maxConcurrent} in progress, and at most {@code
 * maxWaiting} more waiting for a slot, first come first served, each for at most {@code maxWait}.
 * Every request beyond is refused at once. A short line instead of an immediate refusal is what keeps
 * a burst of dashboard openings (ten requests each, answered in tens of milliseconds) from becoming
 * retries a second apart; the bounds keep reads stuck on a slow ClickHouse from holding every
 * request thread, which tracking needs.
 */
final class AnalyticsAdmission {

    private final Semaphore slots;
    private final int maxWaiting;
    private final long maxWaitNanos;
    private final AtomicInteger waiting = new AtomicInteger();

    AnalyticsAdmission(int maxConcurrent, int maxWaiting, Duration maxWait) {
        // Fair: a slot that frees goes to the request that has waited longest.
        this.slots = new Semaphore(maxConcurrent, true);
        this.maxWaiting = maxWaiting;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * Takes a slot, waiting in line if there is room in it; false when refused (the line is full, or
     * no slot freed within the wait). After true the caller must {@link #leave}.
     */
    boolean enter() throws InterruptedException {
        // tryAcquire(0, ...) honours the line: a free slot goes to those already waiting first.
        if (slots.tryAcquire(0, TimeUnit.NANOSECONDS)) {
            return true;
        }
        if (maxWaitNanos == 0 || waiting.incrementAndGet() > maxWaiting) {
            if (maxWaitNanos != 0) {
                waiting.decrementAndGet();
            }
            return false;
        }
        try {
            return slots.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } finally {
            waiting.decrementAndGet();
        }
    }

    void leave() {
        slots.release();
    }

    /** Requests waiting for a slot now. */
    int waiting() {
        return waiting.get();
    }
}
