package dev.errand.internal.embedded;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Liveness;

import dev.errand.internal.config.EmbeddedConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;

/**
 * Adds {@link EmbeddedDatabaseHealthCheck} to liveness when, and only when, the datasource is an
 * embedded PostgreSQL that this JVM started: a service on an external database gets no such check.
 */
@ApplicationScoped
public class EmbeddedDatabaseLiveness {

    private static final Pattern PORT = Pattern.compile("^jdbc:postgresql://[^/:]+:(\\d+)/");

    private final HealthRegistry liveness;
    private final EmbeddedConfig config;
    private final Optional<String> jdbcUrl;

    public EmbeddedDatabaseLiveness(@Liveness HealthRegistry liveness, EmbeddedConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl) {
        this.liveness = liveness;
        this.config = config;
        this.jdbcUrl = jdbcUrl;
    }

    void register(@Observes StartupEvent started) {
        embeddedPort().ifPresent(port -> liveness.register(EmbeddedDatabaseHealthCheck.NAME,
                new EmbeddedDatabaseHealthCheck(port, config.databaseDownTimeout())));
    }

    private Optional<Integer> embeddedPort() {
        return jdbcUrl.map(PORT::matcher).filter(Matcher::find).map(matcher -> Integer.valueOf(matcher.group(1)))
                .filter(port -> EmbeddedDatabaseState.of(port).isPresent());
    }
}
