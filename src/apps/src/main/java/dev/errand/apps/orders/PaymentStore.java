package dev.errand.apps.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The orders' payments and the moves of an order that waits for one, in plain SQL, each in the caller's
 * transaction. The webhook and the workflow both lock the order's row first: whichever comes second sees
 * what the first decided, so a payment accepted just as the order timed out either confirms it or is
 * refused, never both.
 */
@ApplicationScoped
public class PaymentStore {

    /** What the webhook needs to know of an order, read under its row lock. */
    public record Locked(long orderId, OrderStatus status, long totalCents, Instant paymentDueAt) {
        public boolean awaitsConfirmation() {
            return paymentDueAt != null;
        }
    }

    /** A payment as the webhook recorded it. */
    public record Payment(long orderId, String paymentId, long amountCents, Instant receivedAt) {
    }

    private final AgroalDataSource dataSource;
    private final OrderWork work;

    public PaymentStore(AgroalDataSource dataSource, OrderWork work) {
        this.dataSource = dataSource;
        this.work = work;
    }

    /** The order, locked until the caller's transaction ends. */
    public Optional<Locked> lock(long orderId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select status, total_cents, payment_due_at from orders where id = ? for update")) {
            query.setLong(1, orderId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                java.sql.Timestamp due = row.getTimestamp(3);
                return Optional.of(new Locked(orderId, OrderStatus.valueOf(row.getString(1)), row.getLong(2),
                        due == null ? null : due.toInstant()));
            }
        }
    }

    /** The order's payment, if the webhook recorded one. */
    public Optional<Payment> ofOrder(long orderId) throws SQLException {
        return find("order_id = ?", statement -> statement.setLong(1, orderId));
    }

    /** The payment with this provider's id, whichever order it is for. */
    public Optional<Payment> byPaymentId(String paymentId) throws SQLException {
        return find("payment_id = ?", statement -> statement.setString(1, paymentId));
    }

    public void record(long orderId, String paymentId, long amountCents) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into order_payment (order_id, payment_id, amount_cents) values (?, ?, ?)")) {
            insert.setLong(1, orderId);
            insert.setString(2, paymentId);
            insert.setLong(3, amountCents);
            insert.executeUpdate();
        }
    }

    /**
     * Settles an order whose wait is over: confirmed, with its work message, when a payment was recorded
     * (the signal's, or one accepted while the wait was timing out); otherwise PAYMENT_TIMED_OUT, its
     * stock released. An order already settled stays as it is, so that a step run again changes nothing.
     */
    public OrderStatus settle(long orderId) throws SQLException {
        Locked order = lock(orderId).orElseThrow(() -> new IllegalStateException("no order " + orderId));
        if (order.status() != OrderStatus.AWAITING_PAYMENT) {
            return order.status();
        }
        return ofOrder(orderId).isPresent() ? confirm(orderId) : cancel(order, OrderStatus.PAYMENT_TIMED_OUT);
    }

    /**
     * An operator cancelled the order's workflow (its compensation): the order is CANCELLED, its stock
     * released, if it still waits and no payment is recorded. A recorded payment wins over the cancellation:
     * the webhook answered the provider 202, the customer has paid, and nothing here refunds; so the order is
     * confirmed as {@link #settle} confirms it, and its steps run. Only the workflow stays CANCELLED.
     */
    public OrderStatus cancel(long orderId) throws SQLException {
        Locked order = lock(orderId).orElseThrow(() -> new IllegalStateException("no order " + orderId));
        if (order.status() != OrderStatus.AWAITING_PAYMENT) {
            return order.status();
        }
        return ofOrder(orderId).isPresent() ? confirm(orderId) : cancel(order, OrderStatus.CANCELLED);
    }

    // Only from AWAITING_PAYMENT, under the row lock: PROCESSING and its work message, in the caller's transaction.
    private OrderStatus confirm(long orderId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update orders set status = ?, confirmed_at = now() where id = ? returning urgent")) {
            update.setString(1, OrderStatus.PROCESSING.name());
            update.setLong(2, orderId);
            try (ResultSet row = update.executeQuery()) {
                row.next();
                work.enqueue(orderId, row.getBoolean(1));
            }
        }
        return OrderStatus.PROCESSING;
    }

    // Only from AWAITING_PAYMENT, under the row lock: the stock goes back once, with the status that says so.
    private OrderStatus cancel(Locked order, OrderStatus status) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update orders set status = ?, cancelled_at = now() where id = ? and status = ?");
                PreparedStatement release = connection.prepareStatement("""
                        update inventory i set available = i.available + l.quantity
                        from order_line l where l.order_id = ? and l.sku = i.sku""")) {
            update.setString(1, status.name());
            update.setLong(2, order.orderId());
            update.setString(3, OrderStatus.AWAITING_PAYMENT.name());
            if (update.executeUpdate() == 1) {
                release.setLong(1, order.orderId());
                release.executeUpdate();
            }
        }
        return status;
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private Optional<Payment> find(String where, Binder binder) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select order_id, payment_id, amount_cents, received_at from order_payment where " + where)) {
            binder.bind(query);
            try (ResultSet row = query.executeQuery()) {
                return row.next()
                        ? Optional.of(new Payment(row.getLong(1), row.getString(2), row.getLong(3),
                                row.getTimestamp(4).toInstant()))
                        : Optional.empty();
            }
        }
    }
}
