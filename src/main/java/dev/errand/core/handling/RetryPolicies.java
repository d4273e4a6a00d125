package dev.errand.core.handling;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.errand.core.config.ErrandConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.faulttolerance.api.Guard;

/**
 * One SmallRye Fault Tolerance guard per consumer: retries transient failures with exponential
 * backoff and jitter, honouring {@link RetryLater}; never retries permanent ones.
 */
@ApplicationScoped
public class RetryPolicies {

    /** The settled policy of one consumer. */
    public record Policy(int maxRetries, Duration initialDelay, Duration maxDelay, Duration maxDuration,
            FailureClassifier classifier, Guard guard) {
    }

    private final ErrandConfig config;
    private final Map<String, Policy> policies = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public RetryPolicies(ErrandConfig config) {
        this.config = config;
    }

    /**
     * From shutdown on, transient failures are no longer retried in process: the message goes back to
     * the broker for a later delivery instead of holding the shutdown for a whole retry budget.
     */
    void stopRetrying(@Observes ShutdownEvent shutdown) {
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    public Policy forConsumer(String consumer) {
        return policies.computeIfAbsent(consumer, this::build);
    }

    private Policy build(String consumer) {
        ErrandConfig.Retry defaults = config.retry();
        ErrandConfig.ConsumerRetry own = config.consumers().get(consumer);
        int maxRetries = own == null ? defaults.maxRetries() : own.maxRetries().orElse(defaults.maxRetries());
        Duration initialDelay = own == null ? defaults.initialDelay() : own.initialDelay().orElse(defaults.initialDelay());
        Duration maxDelay = own == null ? defaults.maxDelay() : own.maxDelay().orElse(defaults.maxDelay());
        Duration maxDuration = own == null ? defaults.maxDuration() : own.maxDuration().orElse(defaults.maxDuration());
        List<String> permanent = own == null ? defaults.permanentExceptions()
                : own.permanentExceptions().orElse(defaults.permanentExceptions());
        FailureClassifier classifier = new FailureClassifier(permanent);
        Guard guard = Guard.create()
                .withDescription("errand consumer " + consumer)
                .withRetry()
                .maxRetries(maxRetries)
                .delay(initialDelay.toMillis(), ChronoUnit.MILLIS)
                .maxDuration(maxDuration.toMillis(), ChronoUnit.MILLIS)
                // Jitter comes from the backoff strategy, which knows the delay it jitters.
                .jitter(0, ChronoUnit.MILLIS)
                .whenException(error -> !stopping && classifier.isTransient(error))
                .withCustomBackoff().strategy(() -> new ExponentialJitterBackoff(maxDelay)).done()
                .done()
                .build();
        return new Policy(maxRetries, initialDelay, maxDelay, maxDuration, classifier, guard);
    }
}
