package dev.errand.apps.simulator;

import dev.errand.ProblemException;

/** The simulator's behaviour now. */
public record SimulatorSettings(double errorRate, long latencyMs, int rateLimit, boolean honourIdempotencyKey,
        boolean outage, int capacity) {

    public SimulatorSettings {
        if (Double.isNaN(errorRate) || errorRate < 0 || errorRate > 1) {
            throw invalid("errorRate must be between 0 and 1, was " + errorRate);
        }
        if (latencyMs < 0 || latencyMs > 60_000) {
            throw invalid("latencyMs must be between 0 and 60000, was " + latencyMs);
        }
        if (rateLimit < 0) {
            throw invalid("rateLimit must be 0 (no limit) or more, was " + rateLimit);
        }
        if (capacity < 0) {
            throw invalid("capacity must be 0 (no limit) or more, was " + capacity);
        }
    }

    static SimulatorSettings from(FragileApiConfig config) {
        return new SimulatorSettings(config.errorRate(), config.latency().toMillis(), config.rateLimit(),
                config.honourIdempotencyKey(), config.outage(), config.capacity());
    }

    /** A partial update: the fields given replace these, the others stay. */
    public record Update(Double errorRate, Long latencyMs, Integer rateLimit, Boolean honourIdempotencyKey,
            Boolean outage, Integer capacity) {

        SimulatorSettings applyTo(SimulatorSettings current) {
            return new SimulatorSettings(
                    errorRate == null ? current.errorRate() : errorRate,
                    latencyMs == null ? current.latencyMs() : latencyMs,
                    rateLimit == null ? current.rateLimit() : rateLimit,
                    honourIdempotencyKey == null ? current.honourIdempotencyKey() : honourIdempotencyKey,
                    outage == null ? current.outage() : outage,
                    capacity == null ? current.capacity() : capacity);
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-simulator-config", "Invalid simulator configuration", detail);
    }
}
