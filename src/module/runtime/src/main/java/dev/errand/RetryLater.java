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

    /**
     * For a 429 or 503 answer: waits as its {@code Retry-After} header says (delay-seconds), or one
     * second when the header is missing or an HTTP-date, which is rare and safe to read that way.
     */
    public static RetryLater afterHeader(String message, String retryAfter) {
        Duration after = Duration.ofSeconds(1);
        if (retryAfter != null) {
            try {
                after = Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
            } catch (NumberFormatException httpDate) {
                // One second, as without the header.
            }
        }
        return new RetryLater(message, after);
    }

    public Duration after() {
        return after;
    }
}
