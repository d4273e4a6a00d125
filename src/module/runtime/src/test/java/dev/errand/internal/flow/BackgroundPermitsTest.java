package dev.errand.internal.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BackgroundPermitsTest {

    /** Wake-ups run on the thread that frees a permit: here, the test's. */
    private final BackgroundPermits permits = new BackgroundPermits();

    @Test
    void withoutALimitEveryRunGetsAPermit() {
        permits.addCapacity(3);
        for (int i = 0; i < 10; i++) {
            assertTrue(permits.tryAcquire());
        }
        assertEquals(10, permits.inUse());
        assertEquals(3, permits.limit(), "reported as the ceiling");
    }

    @Test
    void atTheLimitNoPermitUntilOneIsGivenBackAndThenTheWaiterIsWoken() {
        permits.addCapacity(8);
        permits.limitTo(2);
        assertTrue(permits.tryAcquire());
        assertTrue(permits.tryAcquire());
        assertFalse(permits.tryAcquire());
        AtomicInteger woken = new AtomicInteger();
        Runnable wakeUp = woken::incrementAndGet;
        permits.wakeWhenFree(wakeUp);
        permits.wakeWhenFree(wakeUp);
        assertEquals(0, woken.get());
        permits.release();
        assertEquals(1, woken.get(), "woken once, though it asked twice");
        assertTrue(permits.tryAcquire());
    }

    @Test
    void raisingTheLimitWakesWhoWaits() {
        permits.addCapacity(8);
        permits.limitTo(1);
        assertTrue(permits.tryAcquire());
        AtomicInteger woken = new AtomicInteger();
        permits.wakeWhenFree(woken::incrementAndGet);
        permits.limitTo(4);
        assertEquals(1, woken.get());
        assertEquals(4, permits.limit());
    }

    @Test
    void aWaiterThatAsksAfterThePermitFreedIsWokenAtOnce() {
        permits.addCapacity(8);
        permits.limitTo(1);
        AtomicInteger woken = new AtomicInteger();
        permits.wakeWhenFree(woken::incrementAndGet);
        assertEquals(1, woken.get());
    }

    @Test
    void theBlockingAcquireWaitsForAPermitAndGivesUpAfterItsTimeout() throws Exception {
        permits.addCapacity(1);
        permits.limitTo(1);
        assertTrue(permits.acquire(100));
        assertFalse(permits.acquire(50));
        Thread giver = new Thread(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            permits.release();
        });
        giver.start();
        assertTrue(permits.acquire(5_000));
        giver.join();
    }
}
