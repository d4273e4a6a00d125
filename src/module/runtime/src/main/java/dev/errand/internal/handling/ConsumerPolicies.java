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
import dev.errand.internal.config.ErrandConfig;
import dev.errand.internal.deadletter.DeadLetterRecorder;
import io.smallrye.faulttolerance.api.Guard;

/** Resolves each consumer's policy from {@code errand.retry}, {@code errand.flow} and its overrides. */
@ApplicationScoped
public class ConsumerPolicies {

    private final ErrandConfig config;
    private final Config rawConfig;
    private final Map<String, ConsumerPolicy> policies = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public ConsumerPolicies(ErrandConfig config, Config rawConfig) {
        this.config = config;
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
                && !DeadLetterRecorder.CHANNEL.equals(channel);
    }

    public ConsumerPolicy forConsumer(String channel) {
        return policies.computeIfAbsent(channel, this::build);
    }

    private ConsumerPolicy build(String channel) {
        ErrandConfig.Retry retry = config.retry();
        ErrandConfig.Flow flow = config.flow();
        Optional<ErrandConfig.Consumer> own = Optional.ofNullable(config.consumers().get(channel));
        int maxRetries = pick(own, ErrandConfig.Consumer::maxRetries, retry.maxRetries());
        Duration initialDelay = pick(own, ErrandConfig.Consumer::initialDelay, retry.initialDelay());
        Duration maxDelay = pick(own, ErrandConfig.Consumer::maxDelay, retry.maxDelay());
        Duration maxDuration = pick(own, ErrandConfig.Consumer::maxDuration, retry.maxDuration());
        FailureClassifier classifier = new FailureClassifier(
                pick(own, ErrandConfig.Consumer::permanentExceptions, retry.permanentExceptions()),
                pick(own, ErrandConfig.Consumer::transientExceptions, retry.transientExceptions().orElse(List.of())));
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
                pick(own, ErrandConfig.Consumer::maxAttempts, retry.maxAttempts()),
                pick(own, ErrandConfig.Consumer::redeliveryDelay, retry.redeliveryDelay()),
                pick(own, ErrandConfig.Consumer::maxRedeliveryDelay, retry.maxRedeliveryDelay()),
                classifier, guard);
        ConsumerPolicy.Flow flowPolicy = new ConsumerPolicy.Flow(
                pick(own, ErrandConfig.Consumer::concurrency, flow.concurrency()),
                pick(own, ErrandConfig.Consumer::buffer, flow.buffer()),
                own.flatMap(ErrandConfig.Consumer::rateLimit),
                pick(own, ErrandConfig.Consumer::circuitBreakers, List.of()),
                flow.probeInterval(),
                own.map(ErrandConfig.Consumer::adaptiveConcurrency).orElse(null));
        String address = rawConfig.getOptionalValue("mp.messaging.incoming." + channel + ".address", String.class)
                .orElse(channel);
        return new ConsumerPolicy(channel, queueName(address), retryPolicy, flowPolicy);
    }

    /**
     * The queue's name without the broker's address form ({@code /amq/queue/} on RabbitMQ): what dead
     * letters record and operators filter by; the sender puts the form back.
     */
    private String queueName(String address) {
        return BrokerAddresses.queueName(config.broker().addressPrefix().orElse(""), address);
    }

    private static <T> T pick(Optional<ErrandConfig.Consumer> own, Function<ErrandConfig.Consumer, Optional<T>> setting,
            T fallback) {
        return own.flatMap(setting).orElse(fallback);
    }
}
