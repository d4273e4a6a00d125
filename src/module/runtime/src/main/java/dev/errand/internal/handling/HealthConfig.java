package dev.errand.internal.handling;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the health checks call unhealthy. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.health")
public interface HealthConfig {

    /**
     * A consumer that has had work but neither started nor finished a message for this long, while
     * nothing paused it on purpose, is reported DOWN by the liveness check, so that the platform
     * restarts the process and the broker redelivers its messages. A background loop (the outbox
     * relay, the queue readings) failing without a success for this long is reported DOWN by the
     * readiness check.
     */
    @WithDefault("5m")
    Duration stallTimeout();
}
