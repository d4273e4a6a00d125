package dev.errand.internal.handling;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.faulttolerance.api.Guard;

/**
 * The settled policy of one consumer, its defaults and overrides resolved.
 *
 * @param channel the incoming channel; it names the consumer
 * @param queue   the address the channel consumes, which retries and replays go back to
 * @param outsideSenders whether it takes messages from outside the service (unsigned); otherwise they
 *                are dead-lettered as {@code untrusted-sender}
 */
public record ConsumerPolicy(String channel, String queue, Retry retry, Flow flow, boolean outsideSenders) {

    /**
     * @param guard in-process retries (SmallRye Fault Tolerance)
     */
    public record Retry(int maxRetries, int maxAttempts, Duration redeliveryDelay, Duration maxRedeliveryDelay,
            FailureClassifier classifier, Guard guard) {

        /** The wait before scheduled redelivery after {@code attempts} failed attempts. */
        public Duration redeliveryDelay(int attempts, Throwable lastError) {
            return Duration.ofMillis(ExponentialJitterBackoff.delayMillis(attempts, redeliveryDelay.toMillis(),
                    maxRedeliveryDelay.toMillis(), lastError));
        }
    }

    /**
     * @param circuitBreakers names of the breakers that pause this consumer while open
     */
    public record Flow(int concurrency, int buffer, Optional<Double> rateLimit, List<String> circuitBreakers,
            Duration probeInterval, Adaptive adaptive, int batchSize) {
    }

    /** Additive-increase, multiplicative-decrease concurrency, when {@code enabled}. */
    public record Adaptive(boolean enabled, int min, int initial, double backoffRatio, double latencyTolerance,
            int window) {
    }
}
