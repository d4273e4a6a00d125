package dev.errand.internal.operator;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.ProblemException;
import dev.errand.Roles;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/**
 * Durable calls and workflows: their state, current step, result or error, and their children done
 * and failed.
 */
// Errand's operator surface; a service leaves it out with errand.http.operator-api=false.
@EndpointDisabled(name = "errand.http.operator-api", stringValue = "false")
@OperatorApi
@Path("/errand")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    private final DurableCalls calls;

    public WorkflowResource(DurableCalls calls) {
        this.calls = calls;
    }

    /** The top-level workflows (or those {@code parent} started), newest first. */
    @GET
    @Path("workflows")
    @RolesAllowed(Roles.VIEWER)
    public List<CallStatus> workflows(@QueryParam("state") String state, @QueryParam("parent") String parent,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new ProblemException(400, "invalid-parameter", "Invalid parameter",
                    "limit must be between 1 and 1000, was " + limit);
        }
        return calls.workflows(parent, state(state), limit);
    }

    @GET
    @Path("workflows/{id}")
    @RolesAllowed(Roles.VIEWER)
    public CallStatus workflow(@PathParam("id") String id) {
        return calls.status(id).filter(CallStatus::workflow).orElseThrow(() -> notFound("workflow", id));
    }

    /** Any durable call, workflow or not. */
    @GET
    @Path("calls/{id}")
    @RolesAllowed(Roles.VIEWER)
    public CallStatus call(@PathParam("id") String id) {
        return calls.status(id).orElseThrow(() -> notFound("durable call", id));
    }

    /** The call a function has under a business key (an outside sender's as {@code outside:<key>}). */
    @GET
    @Path("calls")
    @RolesAllowed(Roles.VIEWER)
    public CallStatus keyed(@QueryParam("function") String function, @QueryParam("businessKey") String businessKey) {
        if (function == null || function.isBlank() || businessKey == null || businessKey.isBlank()) {
            throw new ProblemException(400, "invalid-parameter", "Invalid parameter",
                    "function and businessKey are both required: a business key names a call per function");
        }
        return calls.byBusinessKey(function, businessKey)
                .orElseThrow(() -> new ProblemException(404, "not-found", "Not found",
                        "no durable call of " + function + " under business key " + businessKey));
    }

    private static CallStatus.State state(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return CallStatus.State.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "invalid-parameter", "Invalid parameter",
                    "state is one of " + List.of(CallStatus.State.values()) + ", was " + state);
        }
    }

    private static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not-found", "Not found", "no " + what + " with id " + id);
    }
}
