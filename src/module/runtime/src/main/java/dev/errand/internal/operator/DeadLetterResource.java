package dev.errand.internal.operator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.errand.ProblemException;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.deadletter.BulkSelection;
import dev.errand.internal.deadletter.DeadLetter;
import dev.errand.internal.deadletter.DeadLetterReplayer;
import dev.errand.internal.deadletter.DeadLetterRepository;
import dev.errand.DeadLetterStatus;
import dev.errand.internal.web.ProblemMapping;
import dev.errand.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/** Lists, replays and discards dead letters. */
// Errand's operator surface; a service leaves it out with errand.http.operator-api=false.
@EndpointDisabled(name = "errand.http.operator-api", stringValue = "false")
@OperatorApi
@Path("/errand/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    /** One dead letter as shown to operators. */
    public record View(long id, String messageId, String queue, String consumer, String subject,
            String correlationId, String reason, String errorClass, String errorMessage, int attempts,
            Instant firstFailureAt, Instant lastFailureAt, Instant deadLetteredAt, DeadLetterStatus status,
            int replayCount, List<Object> history, String body, String origin) {

        public static View of(DeadLetter letter) {
            return new View(letter.id, letter.messageId, letter.originalAddress, letter.consumer, letter.subject,
                    letter.correlationId, letter.reason, letter.errorClass, letter.errorMessage, letter.attempts,
                    letter.firstFailureAt, letter.lastFailureAt, letter.deadLetteredAt, letter.status,
                    letter.replayCount, history(letter.history), letter.body, letter.origin);
        }

        /** Each failed attempt as {@code {"attempt","at","error"}}; empty when none was recorded. */
        private static List<Object> history(String json) {
            try {
                return json == null || json.isBlank() ? List.of() : new io.vertx.core.json.JsonArray(json).getList();
            } catch (io.vertx.core.json.DecodeException e) {
                return List.of();
            }
        }
    }

    /** A page of dead letters. */
    public record PageView(int page, int size, long total, List<View> items) {
    }

    private final DeadLetterRepository deadLetters;
    private final DeadLetterReplayer replayer;

    public DeadLetterResource(DeadLetterRepository deadLetters, DeadLetterReplayer replayer) {
        this.deadLetters = deadLetters;
        this.replayer = replayer;
    }

    /**
     * The last page that may be asked for. The database is asked for {@code page × size} rows in, an
     * int: 1,000,000 × 500 = 500,000,000 stays under 2,147,483,647, where a larger page wrapped round to
     * a negative offset (a 500) or to a real page near the start.
     */
    static final int MAX_PAGE = 1_000_000;
    static final int MAX_SIZE = 500;

    @GET
    @RolesAllowed(Roles.VIEWER)
    public PageView list(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(MAX_SIZE) int size,
            @QueryParam("queue") @Size(max = 255) String queue,
            @QueryParam("reason") @Size(max = 64) String reason,
            @QueryParam("status") @DefaultValue("DEAD_LETTERED") DeadLetterStatus status) {
        return QuarkusTransaction.joiningExisting().call(() -> new PageView(page, size,
                deadLetters.count(status, queue, reason),
                deadLetters.page(status, queue, reason, page, size).stream().map(View::of).toList()));
    }

    /** Dead letters waiting, per queue and reason: what the dashboard's filters offer. */
    @GET
    @Path("/summary")
    @RolesAllowed(Roles.VIEWER)
    public List<DeadLetterRepository.Tally> summary() {
        return QuarkusTransaction.joiningExisting().call(() -> deadLetters.tally(DeadLetterStatus.DEAD_LETTERED));
    }

    /** Chosen dead letters, by id. */
    public record SelectionRequest(@NotEmpty @Size(max = 500) List<@NotNull Long> ids) {
    }

    @POST
    @Path("/selection/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response replaySelected(@Valid @NotNull SelectionRequest selection) {
        return Response.accepted(replayer.replaySelected(selection.ids())).build();
    }

    @POST
    @Path("/selection/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response discardSelected(@Valid @NotNull SelectionRequest selection) {
        return Response.ok(replayer.discardSelected(selection.ids())).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    public View get(@PathParam("id") long id) {
        DeadLetter letter = deadLetters.findById(id);
        if (letter == null) {
            throw new DeadLetterReplayer.DeadLetterNotFound();
        }
        return View.of(letter);
    }

    @POST
    @Path("/{id}/replay")
    @RolesAllowed(Roles.ADMIN)
    public Response replay(@PathParam("id") long id) {
        replayer.replay(id);
        return Response.accepted(Map.of("id", id, "status", DeadLetterStatus.REPLAYED)).build();
    }

    /**
     * Replays an {@code untrusted-sender} dead letter as the service's own: for the unsigned messages an
     * older version left on the broker (docs/operations/running.md, upgrading).
     */
    @POST
    @Path("/{id}/adopt")
    @RolesAllowed(Roles.ADMIN)
    public Response adopt(@PathParam("id") long id) {
        replayer.adopt(id);
        return Response.accepted(Map.of("id", id, "status", DeadLetterStatus.REPLAYED)).build();
    }

    /**
     * Replays every waiting dead letter among the queues this service consumes, or those of one queue,
     * of one reason, dead-lettered in {@code [deadLetteredFrom, deadLetteredTo)}; {@code dryRun=true}
     * counts them and changes nothing.
     */
    @POST
    @Path("/replay")
    @RolesAllowed(Roles.ADMIN)
    public Response replayAll(@QueryParam("queue") @Size(max = 255) String queue,
            @QueryParam("reason") String reason, @QueryParam("deadLetteredFrom") String from,
            @QueryParam("deadLetteredTo") String to, @QueryParam("dryRun") String dryRun) {
        BulkSelection selection = new BulkSelection(reason(reason), QueryParameters.instant("deadLetteredFrom", from, false),
                QueryParameters.instant("deadLetteredTo", to, false));
        if (selection.from() != null && selection.to() != null && !selection.from().isBefore(selection.to())) {
            throw QueryParameters.invalid("deadLetteredFrom must be before deadLetteredTo");
        }
        String chosen = queue == null || queue.isBlank() ? null : queue;
        if (QueryParameters.flag("dryRun", dryRun)) {
            return Response.ok(Map.of("dryRun", true, "matched", replayer.countReplayable(chosen, selection))).build();
        }
        return Response.accepted(Map.of("dryRun", false, "replayed", replayer.replayAll(chosen, selection))).build();
    }

    /** A reason is one of the failure kinds: a typo would otherwise select nothing and say so quietly. */
    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        List<String> kinds = java.util.Arrays.stream(FailureKind.values()).map(FailureKind::wireName).toList();
        if (!kinds.contains(reason)) {
            throw QueryParameters.invalid("reason is one of " + kinds + ", was " + (reason.length() > 64 ? reason.substring(0, 64) + "…" : reason));
        }
        return reason;
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response discard(@PathParam("id") long id) {
        QuarkusTransaction.requiringNew().run(() -> {
            DeadLetter letter = deadLetters.findById(id);
            if (letter == null) {
                throw new DeadLetterReplayer.DeadLetterNotFound();
            }
            letter.discard();
        });
        return Response.noContent().build();
    }

    // Errand's endpoints answer problem JSON whatever the service's own style: a mapper declared in a
    // resource applies to that resource alone, and each delegates to the one mapping. Public: the
    // generated mapper that calls it may live in another class loader.
    @ServerExceptionMapper
    public Response problem(Throwable error, UriInfo uri) {
        return ProblemMapping.map(error, uri);
    }
}
