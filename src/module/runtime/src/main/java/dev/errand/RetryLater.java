package dev.errand;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a handler when downstream asked to be called again later (HTTP 429 or 503 with
 * {@code Retry-After}): the next attempt waits at least that long instead of the usual backoff.
 */
public class RetryLater extends RuntimeException {

    private final Duration after;

    public RetryLater(String message, Duration after) {
        super(message);
        this.after = Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("after must not be negative, was " + after);
        }
    }

    public Duration after() {
        return after;
    }
}
