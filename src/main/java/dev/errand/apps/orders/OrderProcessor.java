package dev.errand.apps.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.errand.core.handling.Errands;
import dev.errand.core.handling.PermanentFailure;
import dev.errand.core.handling.Task;
import dev.errand.core.steps.Steps;
import io.agroal.api.AgroalDataSource;

/**
 * The order worker: charges the payment, sends the confirmation, notifies the warehouse, then
 * updates the inventory and completes the order. Each remote step is recorded once done, so a retry
 * resumes after it; each is called with an idempotency key, so even a step interrupted between its
 * call and its record cannot take effect twice.
 */
@ApplicationScoped
public class OrderProcessor {

    private final Errands errands;
    private final Steps steps;
    private final OrderPartners partners;
    private final AgroalDataSource dataSource;

    public OrderProcessor(Errands errands, Steps steps, OrderPartners partners, AgroalDataSource dataSource) {
        this.errands = errands;
        this.steps = steps;
        this.partners = partners;
        this.dataSource = dataSource;
    }

    @Incoming(OrderChannels.ORDERS)
    public CompletionStage<Void> process(Message<?> message) {
        return errands.process(OrderChannels.ORDERS, message, ProcessOrder.class, this::process);
    }

    private void process(Task<ProcessOrder> task) throws Exception {
        Order order = Order.findById(task.payload().orderId());
        if (order == null) {
            throw new PermanentFailure("No order " + task.payload().orderId());
        }
        if (order.status == OrderStatus.COMPLETED) {
            return;
        }
        long id = order.id;
        steps.run(OrderChannels.ORDERS, task, OrderChannels.CHARGE_PAYMENT,
                () -> partners.charge(Steps.key(task, OrderChannels.CHARGE_PAYMENT), id, order.totalCents));
        steps.run(OrderChannels.ORDERS, task, OrderChannels.SEND_CONFIRMATION,
                () -> partners.sendConfirmation(Steps.key(task, OrderChannels.SEND_CONFIRMATION), id,
                        order.customerEmail));
        steps.run(OrderChannels.ORDERS, task, OrderChannels.NOTIFY_WAREHOUSE,
                () -> partners.notifyWarehouse(Steps.key(task, OrderChannels.NOTIFY_WAREHOUSE), id));
        // Local: commits with the processed-message marker, so exactly once.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update inventory i set available = i.available - l.quantity
                        from order_line l where l.order_id = ? and l.sku = i.sku""")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
        order.status = OrderStatus.COMPLETED;
        order.completedAt = Instant.now();
    }
}
