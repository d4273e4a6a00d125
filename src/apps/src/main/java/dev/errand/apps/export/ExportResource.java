package dev.errand.apps.export;

import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.ProblemException;
import dev.errand.Roles;

/** Exports every user to the CRM, and tells how far an export is. */
@Path("/exports")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    /** An export's progress. {@code status} is RUNNING, COMPLETED, COMPLETED_WITH_FAILURES or FAILED. */
    public record View(long exportId, String status, long total, long exported, long failed, Instant startedAt,
            Instant finishedAt) {
    }

    static final int MAX_SEED = 1_000_000;
    static final long MAX_DELAY_SECONDS = 86_400;

    private final ExportStore store;
    private final CrmExport export;
    private final DurableCalls calls;

    public ExportResource(ExportStore store, CrmExport export, DurableCalls calls) {
        this.store = store;
        this.export = export;
        this.calls = calls;
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
        ExportStore.Export stored = store.find(id).orElseThrow(() -> new ProblemException(404, "export-not-found",
                "Export not found", "No export " + id));
        CallStatus workflow = calls.status(stored.workflowId()).orElseThrow();
        CallStatus.Children children = workflow.children();
        return new View(id, status(workflow), stored.total(), children.succeeded(), children.failed(), stored.startedAt(),
                workflow.state().finished() ? workflow.finishedAt() : null);
    }

    private static String status(CallStatus workflow) {
        return switch (workflow.state()) {
            case SUCCEEDED -> workflow.children().failed() > 0 ? "COMPLETED_WITH_FAILURES" : "COMPLETED";
            case FAILED -> "FAILED";
            default -> "RUNNING";
        };
    }
}
