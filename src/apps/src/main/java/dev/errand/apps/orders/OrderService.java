package dev.errand.apps.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.DurableCalls;
import dev.errand.ProblemException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Takes orders: the order, its lines and its work message commit in one transaction. An order above
 * {@code orders.confirm-above-cents} reserves its stock and starts its payment workflow instead, in that
 * same transaction; its work message follows once the provider confirms the payment.
 */
@ApplicationScoped
public class OrderService {

    private final OrderWork work;
    private final OrderPayments payments;
    private final DurableCalls calls;
    private final OrdersConfig config;
    private final AgroalDataSource dataSource;

    public OrderService(OrderWork work, OrderPayments payments, DurableCalls calls, OrdersConfig config,
            AgroalDataSource dataSource) {
        this.work = work;
        this.payments = payments;
        this.calls = calls;
        this.config = config;
        this.dataSource = dataSource;
    }

    public Order place(OrderRequest request) {
        // Joins the request's transaction when there is one (an Idempotency-Key): key and work commit together.
        return QuarkusTransaction.joiningExisting().call(() -> {
            Order order = new Order();
            order.customerEmail = request.customerEmail();
            order.urgent = request.urgent();
            order.status = OrderStatus.PROCESSING;
            order.createdAt = Instant.now();
            order.persist();
            order.flush();
            order.totalCents = storeLines(order.id, request);
            if (order.totalCents > config.confirmAboveCents()) {
                order.status = OrderStatus.AWAITING_PAYMENT;
                order.paymentDueAt = order.createdAt.plus(config.paymentTimeout());
                reserveStock(order.id);
                long id = order.id;
                long total = order.totalCents;
                Instant due = order.paymentDueAt;
                // Keyed by the order: the webhook finds the workflow by it, and no order has two.
                calls.startOnce(OrderChannels.paymentKey(id), () -> payments.awaitPayment(id, total, due));
            } else {
                work.enqueue(order.id, order.urgent);
            }
            return order;
        });
    }

    /** Stores the lines at today's prices; an unknown SKU refuses the whole order. */
    private long storeLines(long orderId, OrderRequest request) throws SQLException {
        long total = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement price = connection.prepareStatement("select price_cents from inventory where sku = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "insert into order_line (order_id, sku, quantity, price_cents) values (?, ?, ?, ?)")) {
            // The same product twice in one request is one line with both quantities.
            java.util.Map<String, Integer> quantities = new java.util.LinkedHashMap<>();
            request.lines().forEach(line -> quantities.merge(line.sku(), line.quantity(), Integer::sum));
            for (java.util.Map.Entry<String, Integer> line : quantities.entrySet()) {
                price.setString(1, line.getKey());
                long cents;
                try (ResultSet rows = price.executeQuery()) {
                    if (!rows.next()) {
                        throw new ProblemException(400, "unknown-sku", "Unknown product", "No product with SKU "
                                + line.getKey());
                    }
                    cents = rows.getLong(1);
                }
                insert.setLong(1, orderId);
                insert.setString(2, line.getKey());
                insert.setInt(3, line.getValue());
                insert.setLong(4, cents);
                insert.addBatch();
                total += cents * line.getValue();
            }
            insert.executeBatch();
        }
        return total;
    }

    /** Takes the order's quantities off what is available, so that no later order counts on them. */
    private void reserveStock(long orderId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update inventory i set available = i.available - l.quantity
                        from order_line l where l.order_id = ? and l.sku = i.sku""")) {
            update.setLong(1, orderId);
            update.executeUpdate();
        }
    }
}
