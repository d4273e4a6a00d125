package dev.errand;

import java.time.Duration;

/**
 * Waits between attempts of a loop that talks to the broker (a relay, an enqueuer): doubling from
 * {@code initial} up to {@code max}, back to {@code initial} after a success. Not thread-safe: one
 * per loop.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, was " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The wait the next failure will get. */
    public Duration next() {
        return next;
    }

    public void reset() {
        next = initial;
    }

    /** Waits after a failure; false when interrupted (the loop should end). */
    public boolean failed() {
        Duration wait = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return sleep(wait);
    }

    /** Waits {@code duration}; false when interrupted. */
    public static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
