package dev.errand.apps.simulator;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.internal.security.Roles;

/**
 * What every simulator offers its operator, under its own path: {@code GET} [viewer] and
 * {@code PUT} [admin] {@code /config}, and {@code POST /reset} [admin].
 */
abstract class SimulatorControls {

    /** The simulator's behaviour and counters. */
    protected abstract FragileApi state();

    /** Forgets what the simulated system stored. */
    protected abstract void clearRecords();

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
