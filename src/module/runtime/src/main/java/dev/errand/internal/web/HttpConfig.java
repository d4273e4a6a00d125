package dev.errand.internal.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Errand's HTTP surface and what HTTP clients may send. */
@ConfigMapping(prefix = "errand.http")
public interface HttpConfig {
    /**
     * Whether Errand's operator endpoints exist: {@code /errand/consumers}, {@code /errand/dead-letters}
     * and {@code /errand/dashboard}, each behind a role. Read when the service is built.
     */
    @WithDefault("true")
    boolean operatorApi();

    /**
     * Whether Errand's HTTP conventions apply to every endpoint of the service, not only to Errand's
     * own under {@code /errand/}: errors as RFC 7807 problem JSON (a URI that cannot be parsed too,
     * which Quarkus would answer with an empty 400), the JSON body limit below, strict JSON (no silent
     * coercion of types, no null for a primitive, no duplicate keys, no NUL or unpaired surrogate in
     * text), and the refusal of cross-site writes. Off, the service's endpoints keep their own style. Read when the
     * service is built.
     */
    @WithDefault("false")
    boolean allEndpoints();

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
