package dev.errand.internal.handling;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What happens on SIGTERM. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.shutdown")
public interface ShutdownConfig {

    /**
     * How long in-flight messages may take to finish after SIGTERM. Messages not yet started are
     * given back to the broker at once; what is still running after this is left to redelivery.
     */
    @WithDefault("20s")
    Duration gracePeriod();
}
