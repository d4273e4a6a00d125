package dev.errand.internal.web;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Errand's HTTP switches that change what the service is built with. Fixed when the service is built
 * (the build steps read them: which endpoints and filters exist, whether Quarkus checks request URIs)
 * and readable at run time by the filters that apply them; a different value at run time is ignored,
 * with Quarkus' warning.
 */
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
@ConfigMapping(prefix = "errand.http")
public interface HttpBuildTimeConfig {
    /**
     * Whether Errand's operator endpoints exist: {@code /errand/consumers}, {@code /errand/dead-letters}
     * and {@code /errand/dashboard}, each behind a role. Read when the service is built.
     */
    @WithDefault("true")
    boolean operatorApi();

    /**
     * Whether Errand's HTTP conventions apply to every endpoint of the service, not only to Errand's
     * own under {@code /errand/}: errors as RFC 7807 problem JSON (a URI that cannot be parsed too,
     * which Quarkus would answer with an empty 400), the JSON body limit ({@code errand.http.max-json-bytes}), strict JSON (no silent
     * coercion of types, no null for a primitive, no duplicate keys, no NUL or unpaired surrogate in
     * text), and the refusal of cross-site writes. Off, the service's endpoints keep their own style. Read when the
     * service is built.
     */
    @WithDefault("false")
    boolean allEndpoints();
}
