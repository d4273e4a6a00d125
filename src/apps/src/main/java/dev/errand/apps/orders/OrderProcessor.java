package dev.errand.apps.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.PermanentFailure;
import dev.errand.Task;
import io.agroal.api.AgroalDataSource;

/**
 * The order worker: charges the payment, sends the confirmation, notifies the warehouse, then
 * updates the inventory and completes the order. An order whose payment the provider confirmed (one above
 * {@code orders.confirm-above-cents}) is not charged again, and its stock was taken when it was reserved. Each remote step is recorded once done, so a retry
 * resumes after it; each is called with an idempotency key, so even a step interrupted between its
 * call and its record cannot take effect twice.
 */
@ApplicationScoped
public class OrderProcessor {

    private final OrderPartners partners;
    private final PaymentStore payments;
    private final AgroalDataSource dataSource;

    public OrderProcessor(OrderPartners partners, PaymentStore payments, AgroalDataSource dataSource) {
        this.partners = partners;
        this.payments = payments;
        this.dataSource = dataSource;
    }

    // Idempotent by the order, not only by the message: a second message for the same order (another
    // message-id) waits for the first's lock, then finds it completed; and every partner call is keyed by
    // the order and the step, so even a run cut short by a crash charges once.
    @Incoming(OrderChannels.ORDERS)
    void process(ProcessOrder command, Task<ProcessOrder> task) throws Exception {
        Order order = Order.findById(command.orderId(), LockModeType.PESSIMISTIC_WRITE);
        if (order == null) {
            throw new PermanentFailure("No order " + command.orderId());
        }
        if (order.status == OrderStatus.COMPLETED) {
            return;
        }
        if (order.status != OrderStatus.PROCESSING) {
            // Only a confirmed order's work message is sent: this one is a bug to look at, not to run.
            throw new PermanentFailure("Order " + order.id + " is " + order.status + ", not PROCESSING");
        }
        long id = order.id;
        boolean reserved = order.stockReserved();
        task.step(OrderChannels.CHARGE_PAYMENT, any -> reserved
                ? payments.ofOrder(id).orElseThrow(() -> new PermanentFailure("Order " + id + " has no payment"))
                        .paymentId()
                : partners.charge(OrderChannels.stepKey(id, OrderChannels.CHARGE_PAYMENT), id, order.totalCents));
        task.step(OrderChannels.SEND_CONFIRMATION, any -> partners.sendConfirmation(
                OrderChannels.stepKey(id, OrderChannels.SEND_CONFIRMATION), id, order.customerEmail));
        task.step(OrderChannels.NOTIFY_WAREHOUSE, any -> partners.notifyWarehouse(
                OrderChannels.stepKey(id, OrderChannels.NOTIFY_WAREHOUSE), id));
        // Local: commits with the processed-message marker, so exactly once. Reserved stock is taken already.
        if (!reserved) {
            takeStock(id);
        }
        order.status = OrderStatus.COMPLETED;
        order.completedAt = Instant.now();
    }

    private void takeStock(long id) throws java.sql.SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update inventory i set available = i.available - l.quantity
                        from order_line l where l.order_id = ? and l.sku = i.sku""")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }
}
