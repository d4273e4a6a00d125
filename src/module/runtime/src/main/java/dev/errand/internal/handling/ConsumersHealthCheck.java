package dev.errand.internal.handling;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;



/**
 * Liveness of Errand's consumers. SmallRye's own check tells whether each channel is alive; this one
 * tells whether each consumer behind it still moves: one with work that has neither started nor
 * finished a message for {@code errand.health.stall-timeout} is DOWN. Paused consumers (an open
 * breaker, a rate limit, a shutdown) are waiting on purpose and stay UP.
 */
@Liveness
@ApplicationScoped
public class ConsumersHealthCheck implements HealthCheck {

    private final ConsumerRegistry consumers;
    private final HealthConfig config;

    public ConsumersHealthCheck(ConsumerRegistry consumers, HealthConfig config) {
        this.consumers = consumers;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Duration timeout = config.stallTimeout();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Errand consumers").up();
        for (Map.Entry<String, Duration> consumer : consumers.stalls().entrySet()) {
            Duration stalled = consumer.getValue();
            if (stalled.compareTo(timeout) >= 0) {
                response.down().withData(consumer.getKey(), "stalled for " + stalled.toSeconds() + " s");
            } else {
                response.withData(consumer.getKey(), "moving");
            }
        }
        return response.build();
    }
}
