package dev.errand.internal.operator;

import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;

/** Whether, and where, the service serves Errand's dashboard page. Fixed when the service is built. */
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
@ConfigMapping(prefix = "errand.dashboard")
public interface DashboardConfig {
    /**
     * The path that serves the dashboard page (its HTML, script and style), behind the viewer role as the
     * operator API is; e.g. {@code /errand/ui}. Unset, the service serves no page: a library does not add
     * pages to its host's paths unless asked. The page's data is the operator API's, which must be on.
     */
    Optional<String> path();
}
