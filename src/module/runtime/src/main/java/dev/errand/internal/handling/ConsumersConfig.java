package dev.errand.internal.handling;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * How consumers retry and flow: every consumer's settings, {@code errand.consumers.<setting>}, with
 * Errand's defaults ({@link EveryConsumer}); and one consumer's own, {@code errand.consumers."<channel>".<setting>}
 * ({@link ConsumerSettings}, the same settings), each of which falls back to every consumer's. An
 * annotated handler's Fault Tolerance annotations add settings of its own consumer when the service is
 * built, which the service's configuration overrides.
 */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.consumers")
public interface ConsumersConfig {

    /** The settings every consumer starts from, and their defaults: the only place these are written. */
    @WithParentName
    EveryConsumer everyConsumer();

    /** Settings of one consumer, by its {@code @Incoming} channel. */
    @WithParentName
    Map<String, ConsumerSettings> consumers();

    /** Every consumer's settings, {@code errand.consumers.<setting>}. */
    interface EveryConsumer {

        /** In-process retries after a failed attempt, before the message goes back to the broker. */
        @WithDefault("2")
        int maxRetries();

        /** Delay before the first in-process retry; each further one doubles, up to {@code max-delay}. */
        @WithDefault("200ms")
        Duration initialDelay();

        /** Longest delay between two in-process attempts. */
        @WithDefault("2s")
        Duration maxDelay();

        /** Longest time the in-process attempts of one delivery may take together. */
        @WithDefault("30s")
        Duration maxDuration();

        /**
         * Attempts in all, over every delivery, before a transiently failing message is dead-lettered.
         * Between deliveries it waits on the broker (scheduled delivery), not in a worker.
         */
        @WithDefault("10")
        int maxAttempts();

        /** Delay of the first scheduled redelivery; it doubles per attempt, with jitter. */
        @WithDefault("1s")
        Duration redeliveryDelay();

        /** Longest delay of a scheduled redelivery; a Retry-After from downstream may ask for more. */
        @WithDefault("5m")
        Duration maxRedeliveryDelay();

        /**
         * Exception classes (fully qualified) that retrying cannot fix, besides {@code PermanentFailure}
         * and contract violations: Bean Validation's, Jackson's processing and Hibernate's constraint
         * violation exceptions.
         */
        @WithDefault("jakarta.validation.ValidationException,com.fasterxml.jackson.core.JsonProcessingException,"
                + "org.hibernate.exception.ConstraintViolationException")
        List<String> permanentExceptions();

        /**
         * Exception classes that are always worth retrying, even when a permanent class is further down
         * their cause chain (a timeout wrapping a validation error, say). Checked first; none by default.
         */
        Optional<List<String>> transientExceptions();

        /** Messages processed at once, on the consumer's own threads; with adaptive concurrency, the ceiling. */
        @WithDefault("16")
        int concurrency();

        /**
         * Messages taken from the broker but not yet running. When full, the channel takes no more until
         * a slot frees.
         */
        @WithDefault("256")
        int buffer();

        /**
         * Group commit: when messages wait, one worker takes up to this many and runs their handlers one
         * after the other in one transaction with their processed-message markers, each under a
         * savepoint, so a failing message is rolled back alone. Never waits for a batch to fill; at most
         * 64. Off (1) unless a consumer asks: a batch keeps the row locks its handlers take until it
         * commits, so handlers that update the same rows (stock, counters) would wait on each other's
         * batches (docs/performance.md measured an orders worker fall from 210 to 4 orders/s).
         */
        @WithDefault("1")
        int batchSize();

        /** While a circuit breaker of the consumer is open, how often one message probes it. */
        @WithDefault("1s")
        Duration probeInterval();

        /** Messages started per second at most; over it, messages wait, never fail. None by default. */
        Optional<Double> rateLimit();

        /**
         * Names ({@code @CircuitBreakerName}) of the SmallRye Fault Tolerance breakers the handler goes
         * through; while one is open the consumer pauses instead of failing messages. An annotated
         * handler's consumer gets those found in its calls.
         */
        Optional<List<String>> circuitBreakers();

        /**
         * Whether the consumer takes messages from senders outside the service: anything on its queue that
         * this service did not sign (any AMQP client with the broker's sender user). Otherwise such a
         * message is dead-lettered with reason {@code untrusted-sender}, unprocessed, and the embedded
         * broker does not let the sender user write to the queue. A handler, subscriber or durable
         * function annotated {@code @OutsideSenders} gets true for its own consumer.
         */
        @WithDefault("false")
        boolean outsideSenders();

        /** Additive-increase, multiplicative-decrease concurrency. */
        EveryAdaptive adaptiveConcurrency();
    }

    /** Finds the downstream's capacity by itself, between {@code min} and the concurrency setting. */
    interface EveryAdaptive {

        /** Whether the consumer's concurrency adapts. */
        @WithDefault("false")
        boolean enabled();

        /** The lowest it goes. */
        @WithDefault("1")
        int min();

        /** Where the limit starts. */
        @WithDefault("4")
        int initial();

        /** Multiplier applied to the limit when downstream shows overload: 429, 5xx, rising latency. */
        @WithDefault("0.7")
        double backoffRatio();

        /** Latency counts as rising when a window's mean exceeds the best window's by this factor. */
        @WithDefault("2.0")
        double latencyTolerance();

        /** Completions per decision window. */
        @WithDefault("20")
        int window();
    }

    /** What one consumer sets; each setting it leaves out is every consumer's ({@link EveryConsumer}). */
    interface ConsumerSettings {

        /** In-process retries after a failed attempt, before the message goes back to the broker. */
        Optional<Integer> maxRetries();

        /** Delay before the first in-process retry; each further one doubles, up to {@code max-delay}. */
        Optional<Duration> initialDelay();

        /** Longest delay between two in-process attempts. */
        Optional<Duration> maxDelay();

        /** Longest time the in-process attempts of one delivery may take together. */
        Optional<Duration> maxDuration();

        /**
         * Attempts in all, over every delivery, before a transiently failing message is dead-lettered.
         * Between deliveries it waits on the broker (scheduled delivery), not in a worker.
         */
        Optional<Integer> maxAttempts();

        /** Delay of the first scheduled redelivery; it doubles per attempt, with jitter. */
        Optional<Duration> redeliveryDelay();

        /** Longest delay of a scheduled redelivery; a Retry-After from downstream may ask for more. */
        Optional<Duration> maxRedeliveryDelay();

        /**
         * Exception classes (fully qualified) that retrying cannot fix, besides {@code PermanentFailure}
         * and contract violations.
         */
        Optional<List<String>> permanentExceptions();

        /**
         * Exception classes that are always worth retrying, even when a permanent class is further down
         * their cause chain (a timeout wrapping a validation error, say). Checked first.
         */
        Optional<List<String>> transientExceptions();

        /** Messages processed at once, on the consumer's own threads; with adaptive concurrency, the ceiling. */
        Optional<Integer> concurrency();

        /**
         * Messages taken from the broker but not yet running. When full, the channel takes no more until
         * a slot frees.
         */
        Optional<Integer> buffer();

        /**
         * Group commit: when messages wait, one worker takes up to this many and runs their handlers one
         * after the other in one transaction with their processed-message markers, each under a
         * savepoint, so a failing message is rolled back alone. Never waits for a batch to fill; at most
         * 64. For handlers that do not update rows other messages update too: a batch keeps its locks
         * until it commits.
         */
        Optional<Integer> batchSize();

        /** While a circuit breaker of the consumer is open, how often one message probes it. */
        Optional<Duration> probeInterval();

        /** Messages started per second at most; over it, messages wait, never fail. */
        Optional<Double> rateLimit();

        /**
         * Names ({@code @CircuitBreakerName}) of the SmallRye Fault Tolerance breakers the handler goes
         * through; while one is open the consumer pauses instead of failing messages.
         */
        Optional<List<String>> circuitBreakers();

        /**
         * Whether the consumer takes messages from senders outside the service: anything on its queue that
         * this service did not sign (any AMQP client with the broker's sender user). Otherwise such a
         * message is dead-lettered with reason {@code untrusted-sender}, unprocessed, and the embedded
         * broker does not let the sender user write to the queue.
         */
        Optional<Boolean> outsideSenders();

        /** Additive-increase, multiplicative-decrease concurrency. */
        Adaptive adaptiveConcurrency();
    }

    /** One consumer's adaptive concurrency; each setting it leaves out is every consumer's. */
    interface Adaptive {

        /** Whether the consumer's concurrency adapts. */
        Optional<Boolean> enabled();

        /** The lowest it goes. */
        Optional<Integer> min();

        /** Where the limit starts. */
        Optional<Integer> initial();

        /** Multiplier applied to the limit when downstream shows overload: 429, 5xx, rising latency. */
        Optional<Double> backoffRatio();

        /** Latency counts as rising when a window's mean exceeds the best window's by this factor. */
        Optional<Double> latencyTolerance();

        /** Completions per decision window. */
        Optional<Integer> window();
    }
}
