package dev.errand.apps.orders;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableWorkflow;
import dev.errand.Workflow;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An order above {@code orders.confirm-above-cents}, from its placement (its stock already reserved) to
 * its confirmation or cancellation: it asks the provider for the payment, then waits, holding no thread,
 * for the provider's webhook ({@code POST /payments/{orderId}/confirmed}, a signal) until the order's due
 * time. Confirmed, the order goes on to the worker's steps; otherwise it is cancelled and its stock
 * released. An operator who cancels the workflow ({@code POST /errand/calls/{id}/cancel}) cancels the order
 * the same way, the compensation, unless the webhook has already recorded the order's payment: then the
 * payment wins, and the compensation confirms the order as {@code settle} would (the workflow itself stays
 * CANCELLED). A webhook answered 202 never meets a cancelled order.
 */
@ApplicationScoped
public class OrderPayments {

    /** The webhook's signal: the provider's payment. */
    // Written and read back by Jackson as the signal's payload, a type no REST method names: a native image must keep it.
    @RegisterForReflection
    public record PaymentConfirmed(String paymentId, long amountCents) {
    }

    private final Workflow workflow;
    private final PaymentProvider provider;
    private final PaymentStore store;

    public OrderPayments(Workflow workflow, PaymentProvider provider, PaymentStore store) {
        this.workflow = workflow;
        this.provider = provider;
        this.store = store;
    }

    /**
     * @param dueAt when the order is cancelled without a confirmation: fixed when it was placed, so that a
     *              workflow that starts late (the broker was down) does not give the customer longer
     * @return the order's status once the wait is over: PROCESSING, PAYMENT_TIMED_OUT or CANCELLED
     */
    @DurableWorkflow(name = OrderChannels.PAYMENT_WORKFLOW)
    public Call<OrderStatus> awaitPayment(long orderId, long totalCents, Instant dueAt) {
        try {
            workflow.step("request-payment", String.class, key -> provider.requestPayment(key, orderId, totalCents));
            // Read from the clock once, in a step: a replay waits for the same deadline.
            long leftMillis = workflow.step("time-left", Long.class,
                    key -> Math.max(0, Duration.between(Instant.now(), dueAt).toMillis()));
            Optional<PaymentConfirmed> paid = workflow.awaitSignal(OrderChannels.PAYMENT_CONFIRMED,
                    PaymentConfirmed.class, Duration.ofMillis(leftMillis));
            // The order's row decides, not only the signal: a payment the webhook accepted while this wait
            // was timing out is recorded, and confirms the order.
            OrderStatus settled = workflow.step("settle", OrderStatus.class,
                    key -> QuarkusTransaction.requiringNew().call(() -> store.settle(orderId)));
            return Call.returning(settled);
        } catch (Workflow.Cancelled e) {
            // Under the order's row lock, as the webhook takes it: a payment recorded first confirms the order.
            workflow.compensate("release-stock", OrderStatus.class,
                    key -> QuarkusTransaction.requiringNew().call(() -> store.cancel(orderId)));
            throw e;
        }
    }
}
