package dev.errand.internal.handling;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.errand.RetryLater;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Exponential backoff with "equal jitter": the n-th retry waits a random time between half and all of
 * {@code min(maxDelay, initialDelay * 2^(n-1))}, so retries of many messages that failed together
 * spread out instead of hitting downstream in waves. A {@link RetryLater} from downstream is honoured:
 * the wait is then at least what it asked for.
 * <p>
 * Used by SmallRye Fault Tolerance's retry (one instance per invocation) for in-process retries, and
 * through {@link #delayMillis} for redeliveries scheduled on the broker.
 */
public final class ExponentialJitterBackoff implements CustomBackoffStrategy {

    private final long maxDelayMillis;
    private long initialDelayMillis;
    private int retry;

    public ExponentialJitterBackoff(Duration maxDelay) {
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("maxDelay must be positive, was " + maxDelay);
        }
        this.maxDelayMillis = maxDelay.toMillis();
    }

    @Override
    public void init(long initialDelayInMillis) {
        initialDelayMillis = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        return delayMillis(++retry, initialDelayMillis, maxDelayMillis, cause);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first).
     */
    public static long delayMillis(int retry, long initialDelayMillis, long maxDelayMillis, Throwable cause) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, was " + retry);
        }
        long initial = Math.max(1, initialDelayMillis);
        // Doubling past 2^30 overflows long arithmetic long after any sane max delay has capped it.
        long base = Math.min(maxDelayMillis, initial << Math.min(retry - 1, 30));
        base = Math.max(1, base);
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        RetryLater retryLater = Failures.find(cause, RetryLater.class);
        if (retryLater != null) {
            // Add a little jitter so the callers that were refused together do not return together.
            long asked = retryLater.after().toMillis();
            return Math.max(delay, asked + ThreadLocalRandom.current().nextLong(asked / 10 + 1));
        }
        return delay;
    }
}
