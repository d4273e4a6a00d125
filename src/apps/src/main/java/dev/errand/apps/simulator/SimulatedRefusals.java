package dev.errand.apps.simulator;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.errand.ProblemException;

/** How a simulated third-party API answers a call its {@link FragileApi} did not let through. */
final class SimulatedRefusals {

    private SimulatedRefusals() {
    }

    /** The answer to a refused call; null when the gate is open. */
    static Response of(FragileApi.Gate gate, String system, String instance) {
        if (gate instanceof FragileApi.OverCapacity) {
            // Too many calls at once: a 429 asking to come back at once, as a concurrency limiter would.
            return Response.fromResponse(problem(429, "over-capacity", "Too many concurrent requests", instance))
                    .header("Retry-After", 0).build();
        }
        if (gate instanceof FragileApi.Outage) {
            return problem(503, "outage", system + " is down", instance);
        }
        if (gate instanceof FragileApi.RateLimited limited) {
            long seconds = Math.max(1, (limited.retryAfter().toMillis() + 999) / 1000);
            return Response.fromResponse(problem(429, "rate-limited", "Too many requests", instance))
                    .header("Retry-After", seconds).build();
        }
        if (gate instanceof FragileApi.InjectedError) {
            return problem(500, "injected-error", "Injected failure", instance);
        }
        return null;
    }

    static Response problem(int status, String type, String title, String instance) {
        return Response.status(status).type(ProblemException.MEDIA_TYPE)
                .entity(new Refusal("/problems/" + type, title, status, title, instance)).build();
    }

    /** An RFC 7807 problem, as the simulated partner answers it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Refusal(String type, String title, int status, String detail, String instance) {
    }
}
