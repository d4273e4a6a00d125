package dev.errand.internal.flow;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Singleton;

/**
 * The service's background work as one budget: every consumer's run (a handler, a batch, a durable
 * call) and every outbox relay pass holds one permit while it runs. The limit is set from outside, by
 * the foreground-first controller, which lowers it while the service's requests suffer and raises it
 * back while they do not; with nothing to protect it stands at {@link #ceiling()}, the sum of every
 * consumer's own concurrency, and holds nothing back. Each consumer's own limits (fixed, adaptive,
 * rate) apply inside it.
 * <p>
 * {@link #tryAcquire} never blocks: a dispatcher that gets no permit leaves a wake-up with
 * {@link #wakeWhenFree} and is called back when one frees. A wake-up runs on the thread that freed the
 * permit (or raised the limit), never under a lock of this class, so it must not block: a dispatcher's
 * only hands its pump to the dispatcher's own timer.
 */
@Singleton
public class BackgroundPermits {

    private static final long LOOK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger ceiling = new AtomicInteger();
    private volatile int limit = Integer.MAX_VALUE;
    /** What the database's connections allow the background, whatever the controller says. */
    private volatile int connectionCap = Integer.MAX_VALUE;
    private volatile int peakInUse;
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

    /** Takes a permit if one is free. */
    public boolean tryAcquire() {
        while (true) {
            int used = inUse.get();
            if (used >= limit || used >= connectionCap) {
                return false;
            }
            if (inUse.compareAndSet(used, used + 1)) {
                if (used + 1 > peakInUse) {
                    peakInUse = used + 1;
                }
                return true;
            }
        }
    }

    /**
     * Takes a permit, waiting up to {@code timeoutMillis} for one: for loops with a thread of their own
     * (the outbox relay), which have nothing else to do meanwhile. It looks again every few
     * milliseconds rather than being woken: only a held-back background waits here, and polling
     * cannot miss a wake-up.
     */
    public boolean acquire(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!tryAcquire()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(Math.min(left, LOOK_AGAIN_NANOS));
        }
        return true;
    }

    /** Gives a permit back, and wakes whoever waits for one. */
    public void release() {
        inUse.decrementAndGet();
        wakeWaiters();
    }

    /**
     * Calls {@code wakeUp} once a permit may be free. Spurious calls are harmless to a dispatcher,
     * which then finds its work still held back and asks again.
     */
    public void wakeWhenFree(Runnable wakeUp) {
        waiting.add(wakeUp);
        if (inUse.get() < Math.min(limit, connectionCap)) {
            // Freed between the failed acquire and the registration: nobody else would wake it.
            wakeWaiters();
        }
    }

    /** Counts a consumer's own concurrency into the ceiling: the limit with nothing to protect. */
    public void addCapacity(int permits) {
        ceiling.addAndGet(permits);
    }

    /** The limit, between 1 and the ceiling. Raising it wakes whoever waits. */
    public void limitTo(int permits) {
        int previous = limit;
        limit = Math.max(1, permits);
        if (limit > previous) {
            wakeWaiters();
        }
    }

    /** Lifts the limit: nothing held back. */
    public void unlimited() {
        limitTo(Integer.MAX_VALUE);
    }

    public int limit() {
        return Math.min(limit, ceiling());
    }

    public int ceiling() {
        return Math.max(1, Math.min(ceiling.get(), connectionCap));
    }

    /**
     * Caps the background at the connections its runs may hold (each holds one of the pool's while it
     * runs), so that a run never waits on the pool for another run's connection.
     */
    public void capAt(int connections) {
        connectionCap = Math.max(1, connections);
    }

    /** The sum of every consumer's own concurrency, whatever caps it. */
    public int wanted() {
        return Math.max(1, ceiling.get());
    }

    public int inUse() {
        return inUse.get();
    }

    /** The most permits held at once since the last call: whether the background used its limit. */
    public int takePeakInUse() {
        int peak = peakInUse;
        peakInUse = inUse.get();
        return peak;
    }

    private void wakeWaiters() {
        for (Runnable wakeUp : waiting) {
            // Removed first: the one that removes it runs it, once, however many threads free permits.
            if (waiting.remove(wakeUp)) {
                wakeUp.run();
            }
        }
    }
}
