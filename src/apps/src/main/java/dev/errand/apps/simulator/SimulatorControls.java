package dev.errand.apps.simulator;

import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.Roles;

/**
 * What every simulator offers its operator, under its own path: {@code GET} [viewer] and
 * {@code PUT} [admin] {@code /config}, and {@code POST /reset} [admin].
 */
abstract class SimulatorControls {

    /** The simulator's behaviour and counters. */
    protected abstract FragileApi state();

    /** Forgets what the simulated system stored. */
    protected abstract void clearRecords();

    /**
     * Runs a call through the simulator's failure modes: the refusal they decide on, or {@code work}'s
     * answer when they let it through.
     */
    protected Response call(String system, String instance, Supplier<Response> work) throws InterruptedException {
        FragileApi.Gate gate = state().admit();
        try {
            Response refused = SimulatedRefusals.of(gate, system, instance);
            return refused != null ? refused : work.get();
        } finally {
            state().leave(gate);
        }
    }

    /** The caller's idempotency key, unless the simulator is told to ignore keys. */
    protected String key(String idempotencyKey) {
        return state().settings().honourIdempotencyKey() && idempotencyKey != null && !idempotencyKey.isBlank()
                ? idempotencyKey
                : null;
    }

    @PUT
    @Path("/config")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public SimulatorSettings configure(@NotNull SimulatorSettings.Update update) {
        return state().update(update);
    }

    @GET
    @Path("/config")
    @RolesAllowed(Roles.VIEWER)
    public SimulatorSettings settings() {
        return state().settings();
    }

    @POST
    @Path("/reset")
    @RolesAllowed(Roles.ADMIN)
    public Response reset() {
        clearRecords();
        state().reset();
        return Response.noContent().build();
    }
}
