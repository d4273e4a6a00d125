package dev.errand.internal.web;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What HTTP clients may send to Errand's endpoints (and to every endpoint with
 * {@link HttpBuildTimeConfig#allEndpoints()}). The switches fixed at build time are in {@link HttpBuildTimeConfig}.
 */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.http")
public interface HttpConfig {
    /**
     * Largest JSON request body, in bytes, counted as it arrives (chunked bodies too), and refused at
     * once when {@code Content-Length} is already larger; larger ones get a 413 problem. Uploads of other types have their own limits, and every body is bounded by
     * {@code quarkus.http.limits.max-body-size}.
     */
    @WithDefault("65536")
    long maxJsonBytes();

    /**
     * Longest path and query, in characters; longer ones get a 414 problem. Vert.x refuses request
     * lines over {@code quarkus.http.limits.max-initial-line-length} (4096 by default) itself, with an
     * empty 414: raise that limit above this one for every refusal to be a problem.
     */
    @WithDefault("8192")
    int maxUriLength();

    /** How long an {@code Idempotency-Key} and its response are kept ({@link dev.errand.Idempotent}). */
    @WithDefault("24h")
    java.time.Duration idempotencyKeyTtl();
}
