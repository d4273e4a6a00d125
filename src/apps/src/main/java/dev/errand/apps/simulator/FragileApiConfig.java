package dev.errand.apps.simulator;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** How a simulated third-party API starts out behaving: the settings its {@code PUT .../config} changes live. */
public interface FragileApiConfig {

    /** Share of calls answered with a 500, from 0 to 1. */
    @WithDefault("0")
    double errorRate();

    /** Latency added to every call. */
    @WithDefault("0ms")
    Duration latency();

    /** Calls per second above which it answers 429 with Retry-After; 0 for no limit. */
    @WithDefault("0")
    int rateLimit();

    /** Whether a repeated Idempotency-Key returns the first result instead of a new coupon. */
    @WithDefault("true")
    boolean honourIdempotencyKey();

    /** Calls it serves at once; more get a 429 with Retry-After: 0. 0 for no limit. */
    @WithDefault("0")
    int capacity();

    /** Whether every call answers 503. */
    @WithDefault("false")
    boolean outage();
}
