package dev.errand.apps.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.PermanentFailure;
import dev.errand.Task;
import io.agroal.api.AgroalDataSource;

/**
 * The order worker: charges the payment, sends the confirmation, notifies the warehouse, then
 * updates the inventory and completes the order. Each remote step is recorded once done, so a retry
 * resumes after it; each is called with an idempotency key, so even a step interrupted between its
 * call and its record cannot take effect twice.
 */
@ApplicationScoped
public class OrderProcessor {

    private final OrderPartners partners;
    private final AgroalDataSource dataSource;

    public OrderProcessor(OrderPartners partners, AgroalDataSource dataSource) {
        this.partners = partners;
        this.dataSource = dataSource;
    }

    @Incoming(OrderChannels.ORDERS)
    void process(ProcessOrder command, Task<ProcessOrder> task) throws Exception {
        Order order = Order.findById(command.orderId());
        if (order == null) {
            throw new PermanentFailure("No order " + command.orderId());
        }
        if (order.status == OrderStatus.COMPLETED) {
            return;
        }
        long id = order.id;
        task.step(OrderChannels.CHARGE_PAYMENT, key -> partners.charge(key, id, order.totalCents));
        task.step(OrderChannels.SEND_CONFIRMATION, key -> partners.sendConfirmation(key, id, order.customerEmail));
        task.step(OrderChannels.NOTIFY_WAREHOUSE, key -> partners.notifyWarehouse(key, id));
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
