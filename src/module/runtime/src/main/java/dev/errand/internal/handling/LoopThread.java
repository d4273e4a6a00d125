package dev.errand.internal.handling;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread of a background loop of Errand's own (the retention sweep, the schedules): started once, its
 * pauses cut short by a wake-up or by the service's stop, and joined when the service stops, so that a
 * loop never sleeps through a shutdown nor outlives it.
 */
public final class LoopThread {

    private final String name;
    private final Runnable body;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean stopping;
    private Thread thread;

    public LoopThread(String name, Runnable body) {
        this.name = name;
        this.body = body;
    }

    /** Starts the loop's thread, unless it runs already or the service stops. */
    public synchronized void start() {
        if (thread != null || stopping) {
            return;
        }
        thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    public boolean stopping() {
        return stopping;
    }

    /** Waits up to {@code millis}, woken early by {@link #wakeUp} or the stop; @return false once it stops. */
    public boolean pause(long millis) {
        lock.lock();
        try {
            if (!stopping) {
                wake.await(millis, TimeUnit.MILLISECONDS);
            }
            return !stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the current pause at once. */
    public void wakeUp() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the loop: no pause lasts, and its thread is waited for at most {@code join}. */
    public void stop(Duration join) {
        lock.lock();
        try {
            stopping = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(join.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
