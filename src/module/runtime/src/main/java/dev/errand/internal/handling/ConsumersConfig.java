package dev.errand.internal.handling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;
import io.smallrye.config.WithUnnamedKey;

/**
 * How consumers retry and flow: one shape ({@link ConsumerSettings}) for every consumer's defaults,
 * {@code errand.consumers.<setting>}, and for one consumer's own, {@code errand.consumers."<channel>".<setting>}.
 * A setting a consumer does not give is taken from the defaults, then from Errand's own default
 * (written on each setting). An annotated handler's Fault Tolerance annotations add defaults of its
 * consumer when the service is built.
 */
@ConfigMapping(prefix = "errand.consumers")
public interface ConsumersConfig {

    /** The key under which {@code errand.consumers.<setting>}, for every consumer, is found. */
    String EVERY_CONSUMER = "<every consumer>";

    /** Settings by consumer (its {@code @Incoming} channel), and {@link #EVERY_CONSUMER}'s for all. */
    @WithParentName
    @WithUnnamedKey(EVERY_CONSUMER)
    @WithDefaults
    Map<String, ConsumerSettings> consumers();

    /** The settings every consumer starts from. */
    default ConsumerSettings everyConsumer() {
        return consumers().get(EVERY_CONSUMER);
    }

    /** What one consumer, or every consumer, sets. */
    interface ConsumerSettings {

        /** In-process retries after a failed attempt, before the message goes back to the broker (default 2). */
        Optional<Integer> maxRetries();

        /** Delay before the first in-process retry; each further one doubles, up to {@code max-delay} (default 200ms). */
        Optional<Duration> initialDelay();

        /** Longest delay between two in-process attempts (default 2s). */
        Optional<Duration> maxDelay();

        /** Longest time the in-process attempts of one delivery may take together (default 30s). */
        Optional<Duration> maxDuration();

        /**
         * Attempts in all, over every delivery, before a transiently failing message is dead-lettered.
         * Between deliveries it waits on the broker (scheduled delivery), not in a worker (default 10).
         */
        Optional<Integer> maxAttempts();

        /** Delay of the first scheduled redelivery; it doubles per attempt, with jitter (default 1s). */
        Optional<Duration> redeliveryDelay();

        /** Longest delay of a scheduled redelivery; a Retry-After from downstream may ask for more (default 5m). */
        Optional<Duration> maxRedeliveryDelay();

        /**
         * Exception classes (fully qualified) that retrying cannot fix, besides {@code PermanentFailure}
         * and contract violations (default: Bean Validation's, Jackson's processing and Hibernate's
         * constraint violation exceptions).
         */
        Optional<List<String>> permanentExceptions();

        /**
         * Exception classes that are always worth retrying, even when a permanent class is further down
         * their cause chain (a timeout wrapping a validation error, say). Checked first (default none).
         */
        Optional<List<String>> transientExceptions();

        /** Messages processed at once, on the consumer's own threads; with adaptive concurrency, the ceiling (default 16). */
        Optional<Integer> concurrency();

        /**
         * Messages taken from the broker but not yet running. When full, the channel takes no more until
         * a slot frees (default 256).
         */
        Optional<Integer> buffer();

        /**
         * Group commit: when messages wait, one worker takes up to this many and runs their handlers one
         * after the other in one transaction with their processed-message markers, each under a
         * savepoint, so a failing message is rolled back alone. Never waits for a batch to fill; at most
         * 64. For handlers that do not update rows other messages update too: a batch keeps its locks
         * until it commits (default 1: off).
         */
        Optional<Integer> batchSize();

        /** While a circuit breaker of the consumer is open, how often one message probes it (default 1s). */
        Optional<Duration> probeInterval();

        /** Messages started per second at most; over it, messages wait, never fail (default none). */
        Optional<Double> rateLimit();

        /**
         * Names ({@code @CircuitBreakerName}) of the SmallRye Fault Tolerance breakers the handler goes
         * through; while one is open the consumer pauses instead of failing messages (default: those found
         * in an annotated handler's calls).
         */
        Optional<List<String>> circuitBreakers();

        /**
         * Whether the consumer takes messages from senders outside the service: anything on its queue that
         * this service did not sign (any AMQP client with the broker's sender user). Otherwise such a
         * message is dead-lettered with reason {@code untrusted-sender}, unprocessed, and the embedded
         * broker does not let the sender user write to the queue (default: true for a handler, subscriber
         * or durable function annotated {@code @OutsideSenders}, false for every other).
         */
        Optional<Boolean> outsideSenders();

        /** Additive-increase, multiplicative-decrease concurrency. */
        Adaptive adaptiveConcurrency();
    }

    /** Finds the downstream's capacity by itself, between {@code min} and the concurrency setting. */
    interface Adaptive {

        /** Whether the consumer's concurrency adapts (default false). */
        Optional<Boolean> enabled();

        /** The lowest it goes (default 1). */
        Optional<Integer> min();

        /** Where the limit starts (default 4). */
        Optional<Integer> initial();

        /** Multiplier applied to the limit when downstream shows overload: 429, 5xx, rising latency (default 0.7). */
        Optional<Double> backoffRatio();

        /** Latency counts as rising when a window's mean exceeds the best window's by this factor (default 2.0). */
        Optional<Double> latencyTolerance();

        /** Completions per decision window (default 20). */
        Optional<Integer> window();
    }
}
