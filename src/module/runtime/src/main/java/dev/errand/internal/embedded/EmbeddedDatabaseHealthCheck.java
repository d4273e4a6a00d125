package dev.errand.internal.embedded;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Liveness of the embedded PostgreSQL: DOWN once it has been dead, and every restart has failed, for
 * {@code errand.embedded.database-down-timeout}. A short death is readiness' business (the datasource
 * check); this one asks the platform to restart the process when the database will not come back.
 * Registered by {@link EmbeddedDatabaseLiveness} only when the datasource is an embedded database.
 */
public final class EmbeddedDatabaseHealthCheck implements HealthCheck {

    static final String NAME = "Errand embedded database";

    private final int port;
    private final Duration downTimeout;

    public EmbeddedDatabaseHealthCheck(int port, Duration downTimeout) {
        this.port = port;
        this.downTimeout = downTimeout;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up().withData("port", port);
        EmbeddedDatabaseState state = EmbeddedDatabaseState.of(port).orElse(null);
        if (state == null) {
            // Stopped on purpose (the process is shutting down).
            return response.withData("state", "stopped").build();
        }
        if (state.up()) {
            return response.withData("state", "running").build();
        }
        Duration down = Duration.between(state.downSince(), Instant.now());
        response.withData("state", "restarting, dead for " + down.toSeconds() + " s");
        if (state.lastError() != null) {
            response.withData("lastError", state.lastError());
        }
        if (down.compareTo(downTimeout) >= 0) {
            response.down();
        }
        return response.build();
    }
}
