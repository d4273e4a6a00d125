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

import dev.errand.internal.database.DatabaseUnavailable;
import dev.errand.internal.broker.BrokerAddresses;
import dev.errand.internal.broker.BrokerConfig;
import dev.errand.internal.handling.ConsumersConfig.Adaptive;
import dev.errand.internal.handling.ConsumersConfig.ConsumerSettings;
import dev.errand.internal.handling.ConsumersConfig.EveryAdaptive;
import dev.errand.internal.handling.ConsumersConfig.EveryConsumer;
import io.smallrye.faulttolerance.api.Guard;

/**
 * Resolves each consumer's policy: its own settings, then every consumer's, whose defaults are
 * Errand's ({@link ConsumersConfig.EveryConsumer}).
 */
@ApplicationScoped
public class ConsumerPolicies {

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
        int maxRetries = settings.pick(ConsumerSettings::maxRetries, EveryConsumer::maxRetries);
        Duration initialDelay = settings.pick(ConsumerSettings::initialDelay, EveryConsumer::initialDelay);
        Duration maxDelay = settings.pick(ConsumerSettings::maxDelay, EveryConsumer::maxDelay);
        Duration maxDuration = settings.pick(ConsumerSettings::maxDuration, EveryConsumer::maxDuration);
        FailureClassifier classifier = new FailureClassifier(
                settings.pick(ConsumerSettings::permanentExceptions, EveryConsumer::permanentExceptions),
                settings.optional(ConsumerSettings::transientExceptions, EveryConsumer::transientExceptions)
                        .orElse(List.of()));
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
                        // No connection: the consumer pauses and gives the message back, not a retry's.
                        && !DatabaseUnavailable.causedBy(error)
                        && Failures.find(error, CircuitBreakerOpenException.class) == null)
                .withCustomBackoff().strategy(() -> new ExponentialJitterBackoff(maxDelay)).done()
                .done()
                .build();
        ConsumerPolicy.Retry retryPolicy = new ConsumerPolicy.Retry(maxRetries,
                settings.pick(ConsumerSettings::maxAttempts, EveryConsumer::maxAttempts),
                settings.pick(ConsumerSettings::redeliveryDelay, EveryConsumer::redeliveryDelay),
                settings.pick(ConsumerSettings::maxRedeliveryDelay, EveryConsumer::maxRedeliveryDelay),
                classifier, guard);
        ConsumerPolicy.Flow flowPolicy = new ConsumerPolicy.Flow(
                settings.pick(ConsumerSettings::concurrency, EveryConsumer::concurrency),
                settings.pick(ConsumerSettings::buffer, EveryConsumer::buffer),
                settings.optional(ConsumerSettings::rateLimit, EveryConsumer::rateLimit),
                settings.optional(ConsumerSettings::circuitBreakers, EveryConsumer::circuitBreakers)
                        .orElse(List.of()),
                settings.pick(ConsumerSettings::probeInterval, EveryConsumer::probeInterval),
                new ConsumerPolicy.Adaptive(
                        settings.adaptive(Adaptive::enabled, EveryAdaptive::enabled),
                        settings.adaptive(Adaptive::min, EveryAdaptive::min),
                        settings.adaptive(Adaptive::initial, EveryAdaptive::initial),
                        settings.adaptive(Adaptive::backoffRatio, EveryAdaptive::backoffRatio),
                        settings.adaptive(Adaptive::latencyTolerance, EveryAdaptive::latencyTolerance),
                        settings.adaptive(Adaptive::window, EveryAdaptive::window)),
                batchSize(channel, settings.pick(ConsumerSettings::batchSize, EveryConsumer::batchSize)));
        String address = rawConfig.getOptionalValue("mp.messaging.incoming." + channel + ".address", String.class)
                .orElse(channel);
        return new ConsumerPolicy(channel, queueName(address), retryPolicy, flowPolicy,
                settings.pick(ConsumerSettings::outsideSenders, EveryConsumer::outsideSenders));
    }

    /**
     * How a consumer's messages come back after failing, without the rest of its policy: what the
     * retention's start-up check weighs ({@code internal/retention}).
     */
    public record Redelivery(int maxAttempts, Duration redeliveryDelay, Duration maxRedeliveryDelay) {

        /**
         * The longest a message keeps coming back: every scheduled redelivery's delay (doubling from
         * {@code redelivery-delay} up to {@code max-redelivery-delay}, jitter included) over its attempts.
         */
        public Duration span() {
            Duration span = Duration.ZERO;
            Duration delay = redeliveryDelay.compareTo(maxRedeliveryDelay) < 0 ? redeliveryDelay : maxRedeliveryDelay;
            for (int attempt = 1; attempt < maxAttempts; attempt++) {
                span = span.plus(delay);
                // Capped as it doubles: a long run of attempts must not overflow.
                delay = delay.multipliedBy(2).compareTo(maxRedeliveryDelay) < 0 ? delay.multipliedBy(2) : maxRedeliveryDelay;
            }
            return span;
        }
    }

    public Redelivery redelivery(String channel) {
        Settings settings = new Settings(consumers.consumers().get(channel), consumers.everyConsumer());
        return new Redelivery(settings.pick(ConsumerSettings::maxAttempts, EveryConsumer::maxAttempts),
                settings.pick(ConsumerSettings::redeliveryDelay, EveryConsumer::redeliveryDelay),
                settings.pick(ConsumerSettings::maxRedeliveryDelay, EveryConsumer::maxRedeliveryDelay));
    }

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

    /**
     * A consumer's own settings (null when it has none), then every consumer's, which carry Errand's
     * defaults.
     */
    private record Settings(ConsumerSettings own, EveryConsumer every) {

        <T> T pick(Function<ConsumerSettings, Optional<T>> setting, Function<EveryConsumer, T> fallback) {
            return own(setting).orElseGet(() -> fallback.apply(every));
        }

        <T> Optional<T> optional(Function<ConsumerSettings, Optional<T>> setting,
                Function<EveryConsumer, Optional<T>> fallback) {
            return own(setting).or(() -> fallback.apply(every));
        }

        <T> T adaptive(Function<Adaptive, Optional<T>> setting, Function<EveryAdaptive, T> fallback) {
            return (own == null ? Optional.<T> empty() : setting.apply(own.adaptiveConcurrency()))
                    .orElseGet(() -> fallback.apply(every.adaptiveConcurrency()));
        }

        private <T> Optional<T> own(Function<ConsumerSettings, Optional<T>> setting) {
            return own == null ? Optional.empty() : setting.apply(own);
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
