package dev.errand.internal.handling;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import dev.errand.RetryLater;

class ExponentialJitterBackoffTest {

    private static final RuntimeException FAILURE = new RuntimeException("boom");

    @RepeatedTest(20)
    void eachDelayIsBetweenHalfAndAllOfTheDoubledBase() {
        ExponentialJitterBackoff backoff = new ExponentialJitterBackoff(Duration.ofSeconds(10));
        backoff.init(100);
        // bases: 100, 200, 400, 800; each delay lies in [base / 2, base]
        long[] bases = { 100, 200, 400, 800 };
        for (long base : bases) {
            long delay = backoff.nextDelayInMillis(FAILURE);
            assertTrue(delay >= base / 2 && delay <= base, "delay " + delay + " for base " + base);
        }
    }

    @RepeatedTest(20)
    void theBaseStopsGrowingAtTheMaximumDelay() {
        ExponentialJitterBackoff backoff = new ExponentialJitterBackoff(Duration.ofMillis(1000));
        backoff.init(400);
        // bases: 400, 800, then 1600 and 3200 capped at 1000
        backoff.nextDelayInMillis(FAILURE);
        backoff.nextDelayInMillis(FAILURE);
        for (int i = 0; i < 2; i++) {
            long delay = backoff.nextDelayInMillis(FAILURE);
            assertTrue(delay >= 500 && delay <= 1000, "delay " + delay);
        }
    }

    @RepeatedTest(20)
    void aRetryAfterFromDownstreamIsWaitedAtLeast() {
        ExponentialJitterBackoff backoff = new ExponentialJitterBackoff(Duration.ofSeconds(10));
        backoff.init(50);
        // base 50 would allow 25..50 ms; the API asked for 2 s, plus up to a tenth as jitter
        long delay = backoff.nextDelayInMillis(new IllegalStateException("wrapped",
                new RetryLater("429", Duration.ofSeconds(2))));
        assertTrue(delay >= 2000 && delay <= 2200, "delay " + delay);
    }

    @Test
    void aMaximumDelayOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ExponentialJitterBackoff(Duration.ZERO));
    }
}
