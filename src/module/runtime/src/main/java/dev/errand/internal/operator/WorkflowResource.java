package dev.errand.internal.operator;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;

import dev.errand.CallStatus;
import dev.errand.CallStep;
import dev.errand.DurableCalls;
import dev.errand.ProblemException;
import dev.errand.Roles;
import dev.errand.Signals;
import dev.errand.WorkflowRestarts;
import dev.errand.WorkflowVersions;
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
    private final Signals signals;
    private final WorkflowRestarts restarts;

    public WorkflowResource(DurableCalls calls, Signals signals, WorkflowRestarts restarts) {
        this.calls = calls;
        this.signals = signals;
        this.restarts = restarts;
    }

    /** The top-level workflows (or those {@code parent} started), newest first. */
    @GET
    @Path("workflows")
    @RolesAllowed(Roles.VIEWER)
    public List<CallStatus> workflows(@QueryParam("state") String state, @QueryParam("parent") String parent,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 1000) {
            throw QueryParameters.invalid("limit must be between 1 and 1000, was " + limit);
        }
        return calls.workflows(parent, state(state), limit);
    }

    /**
     * The runs of each workflow that may still run code, by the patches they recorded: when no run that
     * started before a gate's deploy is left without its patch, the gate's old code can go. (A literal
     * path, so it wins over {@code workflows/{id}}; a call with the id "versions" is still at
     * {@code calls/{id}}.)
     */
    @GET
    @Path("workflows/versions")
    @RolesAllowed(Roles.VIEWER)
    public List<WorkflowVersions> versions(@QueryParam("function") String function) {
        if (function != null && function.isBlank()) {
            throw QueryParameters.invalid("function names a workflow; leave it out for all of them");
        }
        List<WorkflowVersions> versions = calls.versions(function);
        if (function != null && versions.isEmpty()) {
            throw new ProblemException(404, "not-found", "Not found",
                    "no workflow named " + function + " in this service, and no run of one that may still run");
        }
        return versions;
    }

    @GET
    @Path("workflows/{id}")
    @RolesAllowed(Roles.VIEWER)
    public CallStatus workflow(@PathParam("id") String id) {
        return calls.status(id).filter(CallStatus::workflow).orElseThrow(() -> notFound("workflow", id));
    }

    /** Any durable call, workflow or not; a workflow with its steps' history. */
    @GET
    @Path("calls/{id}")
    @RolesAllowed(Roles.VIEWER)
    public CallView call(@PathParam("id") String id) {
        CallStatus status = calls.status(id).orElseThrow(() -> notFound("durable call", id));
        return new CallView(status, status.workflow() ? calls.steps(id) : List.of());
    }

    /**
     * A call's status and, beside its fields, its steps: each with its start, end, attempts and duration,
     * the history Temporal users read for an activity.
     */
    public record CallView(@JsonUnwrapped CallStatus status, List<CallStep> steps) {
    }

    /**
     * Sends a signal to a waiting workflow: the body is its payload (JSON), {@code signalId} makes a
     * repeat count once (a fresh id when absent).
     */
    @POST
    @Path("calls/{id}/signals/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response signal(@PathParam("id") String id, @PathParam("name") String name,
            @QueryParam("signalId") String signalId, JsonNode payload) {
        String given = signalId == null ? "http:" + UUID.randomUUID() : signalId;
        boolean kept;
        try {
            kept = signals.send(id, name, given, payload);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "invalid-signal", "Invalid signal", e.getMessage());
        } catch (Signals.Refused e) {
            throw e.reason() == Signals.Refused.Reason.NO_SUCH_WORKFLOW ? notFound("workflow", id)
                    : new ProblemException(409, "workflow-finished", "Workflow finished", e.getMessage());
        }
        return Response.status(kept ? 202 : 200).entity(new SignalView(id, name, given, !kept)).build();
    }

    /**
     * Cancels a call and every call under it that has not finished ({@link DurableCalls#cancel}); the
     * admin's name is kept as who cancelled it.
     */
    @POST
    @Path("calls/{id}/cancel")
    @RolesAllowed(Roles.ADMIN)
    public DurableCalls.Cancellation cancel(@PathParam("id") String id, @Context SecurityContext security) {
        String by = security.getUserPrincipal() == null ? "admin" : security.getUserPrincipal().getName();
        DurableCalls.Cancellation done = calls.cancel(id, by);
        return switch (done.outcome()) {
            case CANCELLED -> done;
            case NO_SUCH_CALL -> throw notFound("durable call", id);
            case FINISHED -> throw new ProblemException(409, "call-finished", "Call finished",
                    "durable call " + id + " has finished: there is nothing to cancel");
        };
    }

    /** A signal as sent: {@code duplicate} when its id had been sent to this workflow before. */
    public record SignalView(String workflowId, String name, String signalId, boolean duplicate) {
    }

    /** The call a function has under a business key (an outside sender's as {@code outside:<key>}). */
    @GET
    @Path("calls")
    @RolesAllowed(Roles.VIEWER)
    public CallStatus keyed(@QueryParam("function") String function, @QueryParam("businessKey") String businessKey) {
        if (function == null || function.isBlank() || businessKey == null || businessKey.isBlank()) {
            throw QueryParameters.invalid(
                    "function and businessKey are both required: a business key names a call per function");
        }
        return calls.byBusinessKey(function, businessKey)
                .orElseThrow(() -> new ProblemException(404, "not-found", "Not found",
                        "no durable call of " + function + " under business key " + businessKey));
    }

    /**
     * Runs a failed workflow again: from the step that failed, or from the first step named
     * {@code fromStep} (that step and the ones after it run again, the ones before replay their records).
     * A new attempt of the same call.
     */
    @POST
    @Path("calls/{id}/restart")
    @RolesAllowed(Roles.ADMIN)
    public RestResponse<RestartView> restart(@PathParam("id") String id, @QueryParam("fromStep") String fromStep,
            @Context SecurityContext security) {
        WorkflowRestarts.Attempt attempt;
        try {
            attempt = restarts.restart(id, fromStep, user(security));
        } catch (WorkflowRestarts.Refused e) {
            throw switch (e.reason()) {
                case NO_SUCH_WORKFLOW -> notFound("workflow", id);
                case NO_SUCH_STEP -> new ProblemException(400, "unknown-step", "Unknown step", e.getMessage());
                case NOT_FAILED -> new ProblemException(409, "workflow-not-failed", "Workflow not failed",
                        e.getMessage());
                case NOT_DEPLOYED -> new ProblemException(409, "workflow-not-deployed", "Workflow not deployed",
                        e.getMessage());
            };
        }
        // Typed, so that the build knows the entity's type (a native image serializes only what it knows).
        return RestResponse.accepted(new RestartView(id, attempt.attempt(), attempt.fromSeq(), attempt.fromStep(),
                attempt.restartedBy(), attempt.startedAt()));
    }

    /** A restart as made: the attempt it began, and the first step that runs again. */
    public record RestartView(String id, int attempt, int fromSeq, String fromStep, String restartedBy,
            Instant restartedAt) {
    }

    /** A workflow's attempts: its first run, and one per restart. */
    @GET
    @Path("calls/{id}/attempts")
    @RolesAllowed(Roles.VIEWER)
    public List<WorkflowRestarts.Attempt> attempts(@PathParam("id") String id) {
        List<WorkflowRestarts.Attempt> attempts = restarts.attempts(id);
        if (attempts.isEmpty()) {
            throw notFound("workflow", id);
        }
        return attempts;
    }

    /**
     * Counts ({@code dryRun=true}) or restarts, each from its failed step, the runs of a workflow that
     * failed in {@code [failedFrom, failedTo)}: after a fix is deployed.
     */
    @POST
    @Path("workflows/restart")
    @RolesAllowed(Roles.ADMIN)
    public RestResponse<WorkflowRestarts.Bulk> restartFailed(@QueryParam("function") String function, @QueryParam("failedFrom") String failedFrom,
            @QueryParam("failedTo") String failedTo, @QueryParam("dryRun") String dryRun,
            @Context SecurityContext security) {
        if (function == null || function.isBlank()) {
            throw QueryParameters.invalid("function names the workflow whose failed runs to restart");
        }
        Instant from = QueryParameters.instant("failedFrom", failedFrom, true);
        Instant to = QueryParameters.instant("failedTo", failedTo, true);
        boolean dry = QueryParameters.flag("dryRun", dryRun);
        WorkflowRestarts.Bulk bulk;
        try {
            bulk = restarts.restartFailed(function, from, to, dry, user(security));
        } catch (IllegalArgumentException e) {
            throw QueryParameters.invalid(e.getMessage());
        }
        return dry ? RestResponse.ok(bulk) : RestResponse.accepted(bulk);
    }

    private static String user(SecurityContext security) {
        return security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
    }

    private static CallStatus.State state(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return CallStatus.State.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw QueryParameters.invalid("state is one of " + List.of(CallStatus.State.values()) + ", was " + state);
        }
    }

    private static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not-found", "Not found", "no " + what + " with id " + id);
    }
}
