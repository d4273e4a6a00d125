package dev.errand.internal.outbox;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The transactional outbox relay. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.outbox")
public interface OutboxConfig {

    /** The safety-net sweep; a commit wakes the relay at once. */
    @WithDefault("1s")
    Duration sweepInterval();

    /** Rows published per broker-confirmed batch. */
    @WithDefault("500")
    int batch();

    /**
     * Whether this instance publishes the outbox. Off on worker-only instances (profile
     * {@code worker}); at least one instance that shares the database must have it on.
     */
    @WithDefault("true")
    boolean relayEnabled();
}
