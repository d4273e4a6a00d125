package dev.errand.apps.simulator;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.Roles;

/**
 * A stand-in for a payment provider, for orders above {@code orders.confirm-above-cents}: the service asks
 * it for a payment ({@code POST /simulator/payments/intents}), and it confirms the payment later by calling
 * the service's webhook ({@code POST /payments/{orderId}/confirmed}) on time, late, twice or never, as
 * {@code PUT /simulator/payments/webhooks} says. Same failure settings and roles as the other simulators.
 */
@Path("/simulator/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentSimulatorResource extends SimulatorControls {

    public record NewPayment(@NotNull @Positive Long orderId, @NotNull @Positive Long amountCents) {
    }

    /** What the simulator has seen: payments are its records, the rest this run's counts. */
    public record Stats(long requests, long payments, PaymentWebhooks.Counts webhooks, long rateLimited,
            long overCapacity, long injectedErrors) {
    }

    private final PaymentState state;
    private final PaymentLedger ledger;
    private final PaymentWebhooks webhooks;

    public PaymentSimulatorResource(PaymentState state, PaymentLedger ledger, PaymentWebhooks webhooks) {
        this.state = state;
        this.ledger = ledger;
        this.webhooks = webhooks;
    }

    @POST
    @Path("/intents")
    // The stand-in for a third party's API, called by the order's workflow: open like the real one.
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response request(@HeaderParam("Idempotency-Key") String idempotencyKey, @Valid @NotNull NewPayment payment)
            throws InterruptedException {
        return call("Payment provider", "/simulator/payments/intents", () -> {
            PaymentLedger.Intent intent = ledger.create(payment.orderId(), payment.amountCents(), key(idempotencyKey));
            if (!intent.replayed()) {
                webhooks.plan(intent);
            }
            return Response.status(intent.replayed() ? 200 : 201).entity(intent).build();
        });
    }

    @GET
    @Path("/webhooks")
    @RolesAllowed(Roles.VIEWER)
    public PaymentWebhooks.Settings webhooks() {
        return webhooks.settings();
    }

    /** {@code {"mode": "ON_TIME" | "LATE" | "TWICE" | "NEVER", "delayMs": 2000, "lateDelayMs": 2100000}}, each optional. */
    @PUT
    @Path("/webhooks")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public PaymentWebhooks.Settings configureWebhooks(@NotNull PaymentWebhooks.Update update) {
        return webhooks.update(update);
    }

    @Override
    protected FragileApi state() {
        return state;
    }

    @Override
    protected void clearRecords() {
        ledger.clear();
        webhooks.reset();
    }

    @GET
    @Path("/stats")
    @RolesAllowed(Roles.VIEWER)
    public Stats stats() {
        return new Stats(state.requests(), ledger.count(), webhooks.counts(), state.rateLimited(), state.overCapacity(),
                state.injectedErrors());
    }
}
