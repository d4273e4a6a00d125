package dev.errand.internal.handling;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import dev.errand.internal.broker.BrokerAddresses;
import dev.errand.internal.broker.BrokerConfig;
import dev.errand.internal.handling.ConsumersConfig.ConsumerSettings;
import io.smallrye.faulttolerance.api.Guard;

/** Resolves each consumer's policy: its own settings, then every consumer's, then Errand's defaults. */
@ApplicationScoped
public class ConsumerPolicies {

    /** Errand's default of {@code permanent-exceptions}: what retrying cannot fix. */
    static final List<String> PERMANENT_EXCEPTIONS = List.of("jakarta.validation.ValidationException",
            "com.fasterxml.jackson.core.JsonProcessingException", "org.hibernate.exception.ConstraintViolationException");

    private final ConsumersConfig consumers;
    private final BrokerConfig broker;
    private final Config rawConfig;
    private final Map<String, ConsumerPolicy> policies = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public ConsumerPolicies(ConsumersConfig consumers, BrokerConfig broker, Config rawConfig) {
        this.consumers = consumers;
        this.broker = broker;
        this.rawConfig = rawConfig;
    }

    /**
     * From shutdown on, transient failures are no longer retried in process: the message goes back to
     * the broker for a later delivery instead of holding the shutdown for a whole retry budget.
     */
    void stopRetrying() {
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    /**
     * Whether the channel is an incoming channel of this service that Errand runs: configured, not
     * disabled (the api role), and not the dead-letter recorder's.
     */
    public boolean isConsumer(String channel) {
        String prefix = "mp.messaging.incoming." + channel + ".";
        return rawConfig.getOptionalValue(prefix + "connector", String.class).isPresent()
                && rawConfig.getOptionalValue(prefix + "enabled", Boolean.class).orElse(true)
                && !DeadLetterPublisher.RECORDER_CHANNEL.equals(channel);
    }

    /** Every consumer of this service ({@link #isConsumer}), by channel. */
    public java.util.SortedSet<String> consumers() {
        java.util.SortedSet<String> channels = new java.util.TreeSet<>();
        String prefix = "mp.messaging.incoming.";
        for (String name : rawConfig.getPropertyNames()) {
            if (name.startsWith(prefix) && name.endsWith(".connector")) {
                String channel = name.substring(prefix.length(), name.length() - ".connector".length());
                if (channel.length() > 1 && channel.startsWith("\"") && channel.endsWith("\"")) {
                    channel = channel.substring(1, channel.length() - 1);
                }
                if (isConsumer(channel)) {
                    channels.add(channel);
                }
            }
        }
        return channels;
    }

    public ConsumerPolicy forConsumer(String channel) {
        return policies.computeIfAbsent(channel, this::build);
    }

    private ConsumerPolicy build(String channel) {
        Settings settings = new Settings(consumers.consumers().get(channel), consumers.everyConsumer());
        int maxRetries = settings.pick(ConsumerSettings::maxRetries, 2);
        Duration initialDelay = settings.pick(ConsumerSettings::initialDelay, Duration.ofMillis(200));
        Duration maxDelay = settings.pick(ConsumerSettings::maxDelay, Duration.ofSeconds(2));
        Duration maxDuration = settings.pick(ConsumerSettings::maxDuration, Duration.ofSeconds(30));
        FailureClassifier classifier = new FailureClassifier(
                settings.pick(ConsumerSettings::permanentExceptions, PERMANENT_EXCEPTIONS),
                settings.pick(ConsumerSettings::transientExceptions, List.of()));
        Guard guard = Guard.create()
                .withDescription("errand consumer " + channel)
                .withRetry()
                .maxRetries(maxRetries)
                .delay(initialDelay.toMillis(), ChronoUnit.MILLIS)
                .maxDuration(maxDuration.toMillis(), ChronoUnit.MILLIS)
                // Jitter comes from the backoff strategy, which knows the delay it jitters.
                .jitter(0, ChronoUnit.MILLIS)
                // An open breaker is the flow's business (the consumer pauses), not a retry's.
                .whenException(error -> !stopping && classifier.isTransient(error)
                        && !(error instanceof Failures.OutOfAttempts)
                        && Failures.find(error, CircuitBreakerOpenException.class) == null)
                .withCustomBackoff().strategy(() -> new ExponentialJitterBackoff(maxDelay)).done()
                .done()
                .build();
        ConsumerPolicy.Retry retryPolicy = new ConsumerPolicy.Retry(maxRetries,
                settings.pick(ConsumerSettings::maxAttempts, 10),
                settings.pick(ConsumerSettings::redeliveryDelay, Duration.ofSeconds(1)),
                settings.pick(ConsumerSettings::maxRedeliveryDelay, Duration.ofMinutes(5)),
                classifier, guard);
        ConsumerPolicy.Flow flowPolicy = new ConsumerPolicy.Flow(
                settings.pick(ConsumerSettings::concurrency, 16),
                settings.pick(ConsumerSettings::buffer, 256),
                settings.optional(ConsumerSettings::rateLimit),
                settings.pick(ConsumerSettings::circuitBreakers, List.of()),
                settings.pick(ConsumerSettings::probeInterval, Duration.ofSeconds(1)),
                new ConsumerPolicy.Adaptive(
                        settings.adaptive(ConsumersConfig.Adaptive::enabled, false),
                        settings.adaptive(ConsumersConfig.Adaptive::min, 1),
                        settings.adaptive(ConsumersConfig.Adaptive::initial, 4),
                        settings.adaptive(ConsumersConfig.Adaptive::backoffRatio, 0.7),
                        settings.adaptive(ConsumersConfig.Adaptive::latencyTolerance, 2.0),
                        settings.adaptive(ConsumersConfig.Adaptive::window, 20)),
                batchSize(channel, settings.pick(ConsumerSettings::batchSize, DEFAULT_BATCH_SIZE)));
        String address = rawConfig.getOptionalValue("mp.messaging.incoming." + channel + ".address", String.class)
                .orElse(channel);
        return new ConsumerPolicy(channel, queueName(address), retryPolicy, flowPolicy,
                settings.pick(ConsumerSettings::outsideSenders, false));
    }

    /**
     * Off unless a consumer asks: a batch holds the row locks its handlers take until it commits, so
     * handlers that update the same rows (stock, counters) would wait on each other's batches
     * (docs/performance.md measured an orders worker fall from 210 to 4 orders/s).
     */
    static final int DEFAULT_BATCH_SIZE = 1;
    /**
     * Each message of a batch runs under a savepoint; PostgreSQL keeps 64 subtransactions per
     * transaction in shared memory and slows every session down past that.
     */
    static final int MAX_BATCH_SIZE = 64;

    private static int batchSize(String channel, int size) {
        if (size < 1 || size > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("errand.consumers.\"" + channel + "\".batch-size must be 1 to "
                    + MAX_BATCH_SIZE + ", was " + size);
        }
        return size;
    }

    /** A consumer's own settings, then every consumer's, then Errand's default. */
    private record Settings(ConsumerSettings own, ConsumerSettings every) {

        <T> T pick(Function<ConsumerSettings, Optional<T>> setting, T fallback) {
            return optional(setting).orElse(fallback);
        }

        <T> Optional<T> optional(Function<ConsumerSettings, Optional<T>> setting) {
            return setting.apply(own).or(() -> setting.apply(every));
        }

        <T> T adaptive(Function<ConsumersConfig.Adaptive, Optional<T>> setting, T fallback) {
            return setting.apply(own.adaptiveConcurrency()).or(() -> setting.apply(every.adaptiveConcurrency()))
                    .orElse(fallback);
        }
    }

    /**
     * The queue's name without the broker's address form ({@code /amq/queue/} on RabbitMQ): what dead
     * letters record and operators filter by; the sender puts the form back.
     */
    private String queueName(String address) {
        return BrokerAddresses.queueName(broker.addressPrefix().orElse(""), address);
    }

}
