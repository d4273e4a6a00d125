package dev.errand.apps.export;

import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.ProblemException;
import dev.errand.Roles;
import dev.errand.Signals;

/** Exports every user to the CRM, and tells how far an export is. */
@Path("/exports")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    /**
     * An export's progress. {@code status} is RUNNING, AWAITING_APPROVAL, COMPLETED, COMPLETED_WITH_FAILURES,
     * REJECTED, EXPIRED (no approval in time), CANCELLED, TIMED_OUT or FAILED.
     */
    public record View(long exportId, String status, long total, long exported, long failed, Instant startedAt,
            Instant finishedAt) {
    }

    static final int MAX_SEED = 1_000_000;
    static final long MAX_DELAY_SECONDS = 86_400;

    private final ExportStore store;
    private final CrmExport export;
    private final DurableCalls calls;
    private final Signals signals;
    private final ObjectMapper mapper;

    public ExportResource(ExportStore store, CrmExport export, DurableCalls calls, Signals signals,
            ObjectMapper mapper) {
        this.store = store;
        this.export = export;
        this.calls = calls;
        this.signals = signals;
        this.mapper = mapper;
    }

    /**
     * An admin approves (or rejects) an export that waits for approval: a signal to its workflow. The first
     * answer counts; a repeat is answered as one.
     */
    @POST
    @Path("/{id}/approval")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response approve(@PathParam("id") long id, JsonNode body) throws SQLException {
        if (body == null || !body.path("approved").isBoolean() || !body.path("by").isTextual()
                || body.path("by").asText().isBlank() || body.path("by").asText().length() > 200) {
            throw new ProblemException(400, "invalid-approval", "Invalid approval",
                    "the body is {\"approved\": true|false, \"by\": \"who\"} (1 to 200 characters)");
        }
        ExportStore.Export stored = found(id);
        if (calls.status(stored.workflowId()).map(workflow -> workflow.state().finished()).orElse(true)) {
            throw new ProblemException(409, "export-finished", "Export finished",
                    "export " + id + " has finished (" + get(id).status() + "): it waits for no approval");
        }
        CrmExport.Approval approval = new CrmExport.Approval(body.get("approved").asBoolean(), body.get("by").asText());
        boolean kept;
        try {
            kept = signals.send(stored.workflowId(), CrmExport.APPROVAL, "approval:" + id, approval);
        } catch (Signals.Refused e) {
            throw new ProblemException(409, "export-finished", "Export finished",
                    "export " + id + " has finished: it waits for no approval");
        }
        return Response.status(kept ? 202 : 200).entity(get(id)).build();
    }

    /** Cancels an export: its workflow and every child; the CRM gets no new contact after. */
    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.ADMIN)
    public View cancel(@PathParam("id") long id, @Context SecurityContext security) throws SQLException {
        ExportStore.Export stored = found(id);
        DurableCalls.Cancellation done = calls.cancel(stored.workflowId(),
                security.getUserPrincipal() == null ? "admin" : security.getUserPrincipal().getName());
        if (done.outcome() != DurableCalls.Cancellation.Outcome.CANCELLED) {
            throw new ProblemException(409, "export-finished", "Export finished",
                    "export " + id + " has finished: there is nothing to cancel");
        }
        return get(id);
    }

    private ExportStore.Export found(long id) throws SQLException {
        return store.find(id).orElseThrow(() -> new ProblemException(404, "export-not-found", "Export not found",
                "No export " + id));
    }

    /** Seeds {@code count} demo users. */
    @POST
    @Path("/users")
    @RolesAllowed(Roles.PRODUCER)
    public Map<String, Long> seed(@QueryParam("count") Integer count) throws SQLException {
        if (count == null || count < 1 || count > MAX_SEED) {
            throw new ProblemException(400, "invalid-count", "Invalid count",
                    "count is the number of users to add, 1 to " + MAX_SEED + "; was " + count);
        }
        return Map.of("added", (long) count, "users", store.seed(count));
    }

    /**
     * Starts an export of every user there is now, at once or after {@code delaySeconds}; its workflow
     * is recorded in the same transaction.
     */
    @POST
    @RolesAllowed(Roles.PRODUCER)
    @Transactional
    public Response start(@QueryParam("delaySeconds") @DefaultValue("0") long delaySeconds) throws SQLException {
        if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
            throw new ProblemException(400, "invalid-delay", "Invalid delay",
                    "delaySeconds is 0 to " + MAX_DELAY_SECONDS + " (a day); was " + delaySeconds);
        }
        long exportId = store.newExport();
        store.workflow(exportId, export.exportUsers(exportId, delaySeconds).id());
        return Response.accepted(Map.of("exportId", exportId)).location(URI.create("/exports/" + exportId)).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    public View get(@PathParam("id") long id) throws SQLException {
        ExportStore.Export stored = found(id);
        CallStatus workflow = calls.status(stored.workflowId()).orElseThrow();
        CallStatus.Children children = workflow.children();
        return new View(id, status(workflow), stored.total(), children.succeeded(), children.failed(), stored.startedAt(),
                workflow.state().finished() ? workflow.finishedAt() : null);
    }

    private String status(CallStatus workflow) {
        return switch (workflow.state()) {
            case SUCCEEDED -> {
                String outcome = outcome(workflow.result());
                yield outcome != null ? outcome
                        : workflow.children().failed() > 0 ? "COMPLETED_WITH_FAILURES" : "COMPLETED";
            }
            case FAILED, CANCELLED, TIMED_OUT -> workflow.state().name();
            case WAITING -> ("await signal " + CrmExport.APPROVAL).equals(workflow.currentStep()) ? "AWAITING_APPROVAL"
                    : "RUNNING";
            default -> "RUNNING";
        };
    }

    private String outcome(String result) {
        try {
            JsonNode outcome = result == null ? null : mapper.readTree(result).get("outcome");
            return outcome == null || outcome.isNull() ? null : outcome.asText();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
