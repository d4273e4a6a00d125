package dev.errand.internal.backpressure;

import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/** Producers' limits per queue address: over its depth, a producer refuses work. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.backpressure")
public interface BackpressureConfig {

    /** The limit of each queue that has one, by address. */
    @WithParentName
    Map<String, Limit> queues();

    interface Limit {
        /** Depth (messages waiting, scheduled retries included) above which producers answer 429. */
        long maxDepth();

        /** What the 429's Retry-After says. */
        @WithDefault("5s")
        Duration retryAfter();
    }
}
