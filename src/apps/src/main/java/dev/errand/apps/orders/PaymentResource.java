package dev.errand.apps.orders;

import java.time.Instant;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.errand.DurableCalls;
import dev.errand.ProblemException;
import dev.errand.Signals;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The payment provider's webhook: it confirms the payment of an order that waits for one and is not past
 * its due time. The payment is recorded and the order's workflow signalled in one transaction, under the
 * order's row lock; a refusal records nothing.
 */
// Called by the payment provider, as a real one calls a public URL: no user, but the secret shared with the
// provider (PaymentWebhookSecret). A real provider would sign each body (an HMAC with a timestamp), which also
// stops a replayed call; a shared secret over HTTPS is the demo's simpler stand-in.
@PermitAll
@Path("/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    /** What the webhook answers: 202 when the payment is new, 200 for a repeat of it. */
    public record Confirmation(long orderId, String paymentId, long amountCents, OrderStatus status) {
    }

    private final PaymentStore store;
    private final DurableCalls calls;
    private final Signals signals;
    private final PaymentWebhookSecret secret;

    public PaymentResource(PaymentStore store, DurableCalls calls, Signals signals, PaymentWebhookSecret secret) {
        this.store = store;
        this.calls = calls;
        this.signals = signals;
        this.secret = secret;
    }

    /** {@code {"paymentId": "...", "amountCents": 24000}}. */
    @POST
    @Path("/{orderId}/confirmed")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response confirmed(@PathParam("orderId") long orderId,
            @HeaderParam(PaymentWebhookSecret.HEADER) String givenSecret, JsonNode body) {
        // First: a caller without the secret learns nothing of the orders, not even which exist.
        if (!secret.matches(givenSecret)) {
            throw new ProblemException(401, "invalid-webhook-secret", "Invalid webhook secret", "the "
                    + PaymentWebhookSecret.HEADER + " header is missing or is not the payment provider's secret");
        }
        String paymentId = paymentId(body);
        long amountCents = amountCents(body);
        // Every refusal is thrown inside the transaction, which rolls back: nothing is recorded.
        return QuarkusTransaction.requiringNew().call(() -> {
            PaymentStore.Locked order = store.lock(orderId).orElseThrow(() -> new ProblemException(404,
                    "order-not-found", "Order not found", "No order with id " + orderId));
            if (!order.awaitsConfirmation()) {
                throw notAwaiting(order, "its total is not above the confirmation threshold");
            }
            PaymentStore.Payment recorded = store.ofOrder(orderId).orElse(null);
            if (recorded != null && recorded.paymentId().equals(paymentId)) {
                if (recorded.amountCents() != amountCents) {
                    throw amountMismatch(orderId, amountCents, recorded.amountCents());
                }
                // The provider delivers again (it had no answer, or it always retries): the same payment.
                return Response.ok(new Confirmation(orderId, paymentId, amountCents, order.status())).build();
            }
            if (recorded != null) {
                throw new ProblemException(409, "order-already-paid", "Order already paid", "order " + orderId
                        + " was confirmed by payment " + recorded.paymentId() + ", not " + paymentId);
            }
            if (order.status() != OrderStatus.AWAITING_PAYMENT) {
                throw notAwaiting(order, "it is " + order.status());
            }
            // Past its due time the order belongs to the timeout, whether or not settle has run yet (the
            // service was down, or its workflows behind): refused here, the payment is never recorded, and
            // settle, which takes the same row lock, cancels the order as PAYMENT_TIMED_OUT.
            Instant now = Instant.now();
            if (now.isAfter(order.paymentDueAt())) {
                throw new ProblemException(409, "payment-too-late", "Payment too late", "order " + orderId
                        + " was due to be paid by " + order.paymentDueAt() + "; the payment came at " + now
                        + ": the order is cancelled unpaid");
            }
            if (amountCents != order.totalCents()) {
                throw amountMismatch(orderId, amountCents, order.totalCents());
            }
            PaymentStore.Payment other = store.byPaymentId(paymentId).orElse(null);
            if (other != null) {
                throw new ProblemException(409, "payment-already-used", "Payment already used", "payment "
                        + paymentId + " confirmed order " + other.orderId());
            }
            store.record(orderId, paymentId, amountCents);
            String workflowId = calls.byBusinessKey(OrderChannels.PAYMENT_WORKFLOW, OrderChannels.paymentKey(orderId))
                    .orElseThrow(() -> notAwaiting(order, "it has no payment workflow"))
                    .id();
            try {
                // The payment's id is the signal's: the provider's redelivery is one signal.
                signals.send(workflowId, OrderChannels.PAYMENT_CONFIRMED, paymentId,
                        new OrderPayments.PaymentConfirmed(paymentId, amountCents));
            } catch (Signals.Refused e) {
                throw notAwaiting(order, "its payment workflow has ended (" + e.reason() + ")");
            }
            return Response.accepted(new Confirmation(orderId, paymentId, amountCents, order.status())).build();
        });
    }

    private static String paymentId(JsonNode body) {
        JsonNode id = body == null ? null : body.get("paymentId");
        if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > Signals.MAX_LENGTH
                || id.asText().chars().anyMatch(Character::isISOControl)) {
            throw invalid("paymentId is the provider's payment id: 1 to " + Signals.MAX_LENGTH
                    + " characters, no control characters");
        }
        return id.asText();
    }

    private static long amountCents(JsonNode body) {
        JsonNode amount = body.get("amountCents");
        if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong() || amount.asLong() <= 0) {
            throw invalid("amountCents is the amount paid, a whole number of cents above 0");
        }
        return amount.asLong();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-payment", "Invalid payment confirmation",
                detail + "; the body is {\"paymentId\": \"...\", \"amountCents\": 1234}");
    }

    private static ProblemException notAwaiting(PaymentStore.Locked order, String why) {
        return new ProblemException(409, "order-not-awaiting-payment", "Order not awaiting payment",
                "order " + order.orderId() + " waits for no payment: " + why);
    }

    private static ProblemException amountMismatch(long orderId, long paid, long expected) {
        return new ProblemException(422, "amount-mismatch", "Amount does not match the order",
                "payment of " + paid + " cents for order " + orderId + ", whose total is " + expected + " cents");
    }
}
