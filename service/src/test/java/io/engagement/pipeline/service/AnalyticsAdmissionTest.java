package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnalyticsAdmissionTest {

    @Test
    void aRequestWaitsInLineForTheSlotAFinishedOneFrees() throws Exception {
        AnalyticsAdmission admission = new AnalyticsAdmission(1, 1, Duration.ofSeconds(30));
        assertTrue(admission.enter());
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> enter(admission));
        awaitWaiting(admission, 1);
        assertFalse(second.isDone(), "no slot yet: it waits");
        // The line (one place) is full: the next is refused at once, not after the wait.
        long start = System.nanoTime();
        assertFalse(admission.enter());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refused at once");
        admission.leave();
        assertTrue(second.get(10, TimeUnit.SECONDS), "the waiting request took the freed slot");
        assertEquals(0, admission.waiting());
        admission.leave();
        assertTrue(admission.enter(), "every slot was returned");
    }

    @Test
    void aRequestThatWaitedTooLongIsRefusedAndLeavesTheLine() throws Exception {
        AnalyticsAdmission admission = new AnalyticsAdmission(1, 4, Duration.ofMillis(300));
        assertTrue(admission.enter());
        long start = System.nanoTime();
        assertFalse(admission.enter());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "it waited the whole wait");
        assertEquals(0, admission.waiting());
    }

    @Test
    void withoutAWaitARequestBeyondTheSlotsIsRefusedAtOnce() throws Exception {
        AnalyticsAdmission admission = new AnalyticsAdmission(2, 64, Duration.ZERO);
        assertTrue(admission.enter());
        assertTrue(admission.enter());
        assertFalse(admission.enter());
        assertEquals(0, admission.waiting());
        admission.leave();
        assertTrue(admission.enter());
    }

    private static boolean enter(AnalyticsAdmission admission) {
        try {
            return admission.enter();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitWaiting(AnalyticsAdmission admission, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (admission.waiting() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, admission.waiting());
    }
}
