package dev.errand.apps.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Stand-ins for the payment provider, the mail service and the warehouse: external systems that
 * deduplicate by idempotency key, as real ones do, and keep a ledger of every call that took effect
 * ({@code partner_call}), so that "never twice" can be checked. A test can make one fail for a while.
 */
@ApplicationScoped
public class OrderPartners {

    public static final String PAYMENTS = "payments";
    public static final String MAIL = "mail";
    public static final String WAREHOUSE = "warehouse";

    private final AgroalDataSource dataSource;
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    public OrderPartners(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Charges once per key; returns the charge id. */
    public String charge(String idempotencyKey, long orderId, long amountCents) {
        return call(PAYMENTS, idempotencyKey, orderId, "charged " + amountCents + " cents");
    }

    public String sendConfirmation(String idempotencyKey, long orderId, String email) {
        return call(MAIL, idempotencyKey, orderId, "confirmation to " + email);
    }

    public String notifyWarehouse(String idempotencyKey, long orderId) {
        return call(WAREHOUSE, idempotencyKey, orderId, "pick order " + orderId);
    }

    /** The next {@code times} calls to {@code system} fail as if it were down. */
    public void failNext(String system, int times) {
        failures.computeIfAbsent(system, any -> new AtomicInteger()).set(times);
    }

    private String call(String system, String key, long orderId, String detail) {
        AtomicInteger left = failures.get(system);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new PartnerUnavailable(system + " is unavailable");
        }
        // The partner's own transaction, not the caller's: it is another system.
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("""
                            insert into partner_call (system, idempotency_key, order_id, detail) values (?, ?, ?, ?)
                            on conflict do nothing""")) {
                insert.setString(1, system);
                insert.setString(2, key);
                insert.setLong(3, orderId);
                insert.setString(4, detail);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return system + ":" + key;
    }

    /** A partner is down: worth retrying. */
    public static class PartnerUnavailable extends RuntimeException {
        public PartnerUnavailable(String message) {
            super(message);
        }
    }
}
