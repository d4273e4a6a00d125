package dev.errand.apps.simulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The simulated payment provider's own records: the payments it was asked for, once per idempotency key,
 * in its own table. Plain JDBC in autocommit, as an external system would cost.
 */
@ApplicationScoped
public class PaymentLedger {

    /** A payment as the provider answers; {@code replayed} when an earlier call with the same key made it. */
    public record Intent(String paymentId, long orderId, long amountCents, boolean replayed) {
    }

    private final AgroalDataSource dataSource;

    public PaymentLedger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new payment; with a key already seen, that key's payment instead. */
    public Intent create(long orderId, long amountCents, String idempotencyKey) {
        try (Connection connection = dataSource.getConnection()) {
            String id = "pay_" + UUID.randomUUID();
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into sim_payment_intent (id, idempotency_key, order_id, amount_cents) values (?, ?, ?, ?)
                    on conflict (idempotency_key) do nothing""")) {
                insert.setString(1, id);
                if (idempotencyKey == null) {
                    insert.setNull(2, Types.VARCHAR);
                } else {
                    insert.setString(2, idempotencyKey);
                }
                insert.setLong(3, orderId);
                insert.setLong(4, amountCents);
                if (insert.executeUpdate() == 1) {
                    return new Intent(id, orderId, amountCents, false);
                }
            }
            try (PreparedStatement first = connection.prepareStatement(
                    "select id, order_id, amount_cents from sim_payment_intent where idempotency_key = ?")) {
                first.setString(1, idempotencyKey);
                try (ResultSet row = first.executeQuery()) {
                    row.next();
                    return new Intent(row.getString(1), row.getLong(2), row.getLong(3), true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("payment provider unavailable", e);
        }
    }

    public long count() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("select count(*) from sim_payment_intent");
                ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("payment provider unavailable", e);
        }
    }

    public void clear() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement truncate = connection.prepareStatement("truncate sim_payment_intent")) {
            truncate.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("payment provider unavailable", e);
        }
    }
}
