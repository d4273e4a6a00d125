package dev.errand.apps.orders;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.Idempotent;
import dev.errand.Steps;
import dev.errand.Admission;
import dev.errand.ProblemException;

/**
 * Orders: accepted in milliseconds, processed by the worker; one above {@code orders.confirm-above-cents}
 * after the payment provider confirms it ({@link PaymentResource}).
 */
// The application's public API: anyone may place work here, within validation and backpressure.
@PermitAll
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    /** The answer to {@code POST /orders}. */
    public record Accepted(long orderId, OrderStatus status) {
    }

    /** One step of the worker's. */
    public record StepView(String name, boolean done, Instant doneAt) {
    }

    /** The payment provider's confirmation, for an order above {@code orders.confirm-above-cents}. */
    public record PaymentView(String paymentId, long amountCents, Instant receivedAt) {
    }

    /**
     * {@code GET /orders/{id}}. {@code paymentDueAt} (when the order is cancelled without the provider's
     * confirmation), {@code confirmedAt}, {@code cancelledAt} and {@code payment} are for an order that waits
     * for its payment, null for the others.
     */
    public record View(long orderId, OrderStatus status, boolean urgent, long totalCents, Instant createdAt,
            Instant completedAt, List<StepView> steps, Instant paymentDueAt, Instant confirmedAt, Instant cancelledAt,
            PaymentView payment) {
    }

    private static final List<String> STEPS = List.of(OrderChannels.CHARGE_PAYMENT, OrderChannels.SEND_CONFIRMATION,
            OrderChannels.NOTIFY_WAREHOUSE, OrderChannels.UPDATE_INVENTORY);

    private final OrderService orders;
    private final PaymentStore payments;
    private final Steps steps;
    private final Admission backpressure;

    public OrderResource(OrderService orders, PaymentStore payments, Steps steps, Admission backpressure) {
        this.orders = orders;
        this.payments = payments;
        this.steps = steps;
        this.backpressure = backpressure;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Idempotent
    public Response place(@Valid @NotNull OrderRequest request) {
        backpressure.admit(OrderChannels.ORDERS_QUEUE);
        Order order = orders.place(request);
        return Response.accepted(new Accepted(order.id, order.status))
                .location(URI.create("/orders/" + order.id)).build();
    }

    @GET
    @Path("/{id}")
    public View get(@PathParam("id") long id) {
        Order order = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> Order.<Order>findById(id));
        PaymentView payment = order == null || !order.stockReserved() ? null
                : io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> payments.ofOrder(id))
                        .map(paid -> new PaymentView(paid.paymentId(), paid.amountCents(), paid.receivedAt()))
                        .orElse(null);
        if (order == null) {
            throw new ProblemException(404, "order-not-found", "Order not found", "No order with id " + id);
        }
        Map<String, Steps.Done> done = steps.done(OrderChannels.ORDERS, OrderChannels.messageId(id)).stream()
                .collect(Collectors.toMap(Steps.Done::step, Function.identity()));
        List<StepView> views = new ArrayList<>();
        for (String step : STEPS) {
            if (step.equals(OrderChannels.UPDATE_INVENTORY)) {
                // Done in the worker's final transaction, with the order's completion.
                views.add(new StepView(step, order.status == OrderStatus.COMPLETED, order.completedAt));
            } else {
                Steps.Done recorded = done.get(step);
                views.add(new StepView(step, recorded != null, recorded == null ? null : recorded.doneAt()));
            }
        }
        return new View(order.id, order.status, order.urgent, order.totalCents, order.createdAt, order.completedAt,
                views, order.paymentDueAt, order.confirmedAt, order.cancelledAt, payment);
    }
}
