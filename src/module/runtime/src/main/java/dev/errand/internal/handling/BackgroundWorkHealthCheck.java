package dev.errand.internal.handling;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the background loops: DOWN while one of them has failed for
 * {@code errand.health.stall-timeout} or longer, so that work stuck behind an outage shows rather
 * than waits silently. Readiness, not liveness: the loops recover by themselves once the cause is
 * gone, and a restart would not remove it.
 */
@Readiness
@ApplicationScoped
public class BackgroundWorkHealthCheck implements HealthCheck {

    private final BackgroundLoops work;
    private final HealthConfig config;

    public BackgroundWorkHealthCheck(BackgroundLoops work, HealthConfig config) {
        this.work = work;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = Instant.now();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Errand background work").up();
        for (Map.Entry<String, BackgroundLoops.Failing> loop : work.failing().entrySet()) {
            Duration failing = loop.getValue().duration(now);
            if (failing.compareTo(config.stallTimeout()) >= 0) {
                response.down();
            }
            response.withData(loop.getKey(), "failing for " + failing.toSeconds() + " s: " + loop.getValue().lastError());
        }
        return response.build();
    }
}
