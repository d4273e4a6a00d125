package dev.errand.apps.simulator;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.Roles;

/**
 * A stand-in for the company's fragile promotions API, so the demo and the tests need nothing
 * else. The worker reaches it over HTTP like the real one.
 */
@Path("/simulator/promo")
@Produces(MediaType.APPLICATION_JSON)
public class PromoSimulatorResource extends SimulatorControls {

    /** A grant request as the promotions API takes it. */
    public record GrantRequest(@NotBlank String campaignId, @NotBlank String userId, @NotNull @Positive Integer amountCents) {
    }

    /** The promotion's largest coupon; above it the API answers 422, as the real one would. */
    static final int MAX_AMOUNT_CENTS = 100_000;

    /** What the simulator has seen since the last reset. */
    public record Stats(long requests, long coupons, long duplicateCoupons, long replayedRequests, long rateLimited,
            long overCapacity, long injectedErrors) {
    }

    private final SimulatorState state;
    private final PromoLedger ledger;

    public PromoSimulatorResource(SimulatorState state, PromoLedger ledger) {
        this.state = state;
        this.ledger = ledger;
    }

    @POST
    @Path("/grants")
    // The stand-in for a third party's API, called by the coupon worker: open like the real one.
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response grant(@HeaderParam("Idempotency-Key") String idempotencyKey, @Valid @NotNull GrantRequest request)
            throws InterruptedException {
        return call("Promotions API", "/simulator/promo/grants", () -> {
            if (request.amountCents() > MAX_AMOUNT_CENTS) {
                return SimulatedRefusals.problem(422, "amount-too-large", "Coupon amount above the promotion's maximum of "
                        + MAX_AMOUNT_CENTS + " cents", "/simulator/promo/grants");
            }
            PromoLedger.Coupon coupon = ledger.issue(request.campaignId(), request.userId(), request.amountCents(),
                    key(idempotencyKey));
            return Response.status(coupon.replayed() ? 200 : 201).entity(coupon).build();
        });
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
        PromoLedger.Totals totals = ledger.totals();
        return new Stats(state.requests(), totals.coupons(), totals.duplicateCoupons(), totals.replayedRequests(),
                state.rateLimited(), state.overCapacity(), state.injectedErrors());
    }
}
