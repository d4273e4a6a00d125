package dev.errand.internal.database;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this replica uses PostgreSQL's connections, and what it does while it cannot get one. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.database")
public interface DatabaseConfig {

    /**
     * The most connections this replica opens. Unset, it is what the replica runs needs (its
     * consumers' concurrency, Errand's own loops and {@link #httpConnections()}); set lower, the
     * consumers share what is left after the requests' and the loops' share, so that no run waits on
     * the pool for another's connection. A {@code quarkus.datasource.jdbc.max-size} the service sets
     * itself is taken the same way.
     */
    Optional<Integer> maxConnections();

    /** Connections kept for the service's own requests (and for what a run opens beside its own). */
    @WithDefault("10")
    int httpConnections();

    /**
     * While the database gives no connection, how often one is tried; the consumers stay paused, and
     * what they held is back on the broker, until one comes.
     */
    @WithDefault("2s")
    Duration probeInterval();
}
