package dev.errand.internal.handling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.internal.flow.ChannelDispatcher;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Ties consumers to the SmallRye Fault Tolerance breakers their handlers go through: a breaker that
 * opens pauses its consumers, one that closes lets them go on.
 */
@ApplicationScoped
public class BreakerBinding {

    /** A circuit breaker that pauses consumers, its state and the consumers it pauses. */
    public record BreakerView(String name, String state, List<String> consumers) {
    }

    private final CircuitBreakerMaintenance breakers;
    private final Map<String, List<String>> breakersByConsumer = new ConcurrentHashMap<>();

    BreakerBinding(CircuitBreakerMaintenance breakers) {
        this.breakers = breakers;
    }

    /**
     * Whether any circuit breaker of the consumer is not closed right now. Half-open counts as open:
     * the breaker is still trying its probes, and the consumer lets only those through.
     */
    boolean anyOpen(ConsumerPolicy policy) {
        for (String name : policy.flow().circuitBreakers()) {
            if (breakers.currentState(name) != CircuitBreakerState.CLOSED) {
                return true;
            }
        }
        return false;
    }

    /** Tells the dispatcher of each change of its consumer's breakers, starting with their state now. */
    void bind(ConsumerPolicy policy, ChannelDispatcher<?> dispatcher) {
        List<String> names = policy.flow().circuitBreakers();
        breakersByConsumer.put(policy.channel(), List.copyOf(names));
        for (String breaker : names) {
            breakers.onStateChange(breaker,
                    state -> dispatcher.breakerChanged(breaker, state != CircuitBreakerState.CLOSED));
            if (breakers.currentState(breaker) != CircuitBreakerState.CLOSED) {
                dispatcher.breakerChanged(breaker, true);
            }
        }
    }

    /** Every breaker some consumer is tied to, by name. */
    public List<BreakerView> views() {
        Map<String, List<String>> consumersByBreaker = new TreeMap<>();
        breakersByConsumer.forEach((consumer, names) -> names.forEach(
                name -> consumersByBreaker.computeIfAbsent(name, any -> new ArrayList<>()).add(consumer)));
        List<BreakerView> views = new ArrayList<>();
        consumersByBreaker.forEach((name, consumers) -> views.add(
                new BreakerView(name, breakers.currentState(name).name(), consumers.stream().sorted().toList())));
        return views;
    }
}
