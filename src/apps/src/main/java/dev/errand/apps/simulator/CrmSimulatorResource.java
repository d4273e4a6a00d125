package dev.errand.apps.simulator;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.Roles;

/**
 * A stand-in for a third party's fragile, rate-limited CRM, for the export: contacts are created in
 * one call and given an owner in a second, which must use the first one's {@code contactId}. Same
 * behaviour settings and roles as the promotions simulator.
 */
@Path("/simulator/crm")
@Produces(MediaType.APPLICATION_JSON)
public class CrmSimulatorResource extends SimulatorControls {

    public record NewContact(@NotBlank @Size(max = 200) String firstName, @NotBlank @Size(max = 200) String lastName,
            @NotBlank @Email @Size(max = 320) String email) {
    }

    public record Owner(@NotBlank @Size(max = 200) String owner) {
    }

    public record Report(@NotBlank @Size(max = 200) String exportId, @NotNull @PositiveOrZero Long exported,
            @NotNull @PositiveOrZero Long failed) {
    }

    /** What the simulator has seen; contacts, links and reports are its records, the rest this run's counts. */
    public record Stats(long requests, long contacts, long duplicateContacts, long replayedContacts, long links,
            long badLinks, long reports, long rateLimited, long overCapacity, long injectedErrors) {
    }

    private final CrmState state;
    private final CrmLedger ledger;

    public CrmSimulatorResource(CrmState state, CrmLedger ledger) {
        this.state = state;
        this.ledger = ledger;
    }

    @POST
    @Path("/contacts")
    // The stand-in for a third party's API, called by the export: open like the real one.
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam("Idempotency-Key") String idempotencyKey, @Valid @NotNull NewContact contact)
            throws InterruptedException {
        return call("CRM", "/simulator/crm/contacts", () -> {
            CrmLedger.Contact created = ledger.create(contact.firstName(), contact.lastName(), contact.email(),
                    key(idempotencyKey));
            return Response.status(created.replayed() ? 200 : 201).entity(created).build();
        });
    }

    @PUT
    @Path("/contacts/{contactId}/owner")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response assign(@PathParam("contactId") String contactId, @Valid @NotNull Owner owner)
            throws InterruptedException {
        return call("CRM", "/simulator/crm/contacts/" + contactId + "/owner", () -> ledger.assignOwner(contactId, owner.owner())
                ? Response.ok(new java.util.TreeMap<>(java.util.Map.of("contactId", contactId, "owner", owner.owner())))
                        .build()
                : SimulatedRefusals.problem(404, "contact-not-found", "No contact with id " + contactId,
                        "/simulator/crm/contacts/" + contactId + "/owner"));
    }

    @POST
    @Path("/reports")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response report(@HeaderParam("Idempotency-Key") String idempotencyKey, @Valid @NotNull Report report)
            throws InterruptedException {
        return call("CRM", "/simulator/crm/reports", () -> Response
                .status(ledger.report(report.exportId(), report.exported(), report.failed(), key(idempotencyKey)) ? 201 : 200)
                .build());
    }

    @Override
    protected FragileApi state() {
        return state;
    }

    @Override
    protected void clearRecords() {
        ledger.clear();
    }

    @GET
    @Path("/stats")
    @RolesAllowed(Roles.VIEWER)
    public Stats stats() {
        CrmLedger.Totals totals = ledger.totals();
        return new Stats(state.requests(), totals.contacts(), totals.duplicateContacts(), totals.replayedContacts(),
                totals.links(), totals.badLinks(),
                totals.reports(), state.rateLimited(), state.overCapacity(), state.injectedErrors());
    }
}
