package dev.errand.internal.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.WireContract;
import dev.errand.internal.tracing.Tracing;
import io.agroal.api.AgroalDataSource;
import io.vertx.core.json.JsonObject;

/**
 * {@link Outbox} over the table {@code errand_outbox}: a row in the caller's transaction, and one
 * wake-up of the {@link OutboxRelay} when that transaction commits.
 */
@ApplicationScoped
public class TransactionalOutbox implements Outbox {

    private static final String INSERT = """
            insert into errand_outbox (address, message_id, subject, correlation_id, priority, content_type, body,
                                       properties, deliver_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** Marks a transaction whose commit already wakes the relay. */
    private static final Object WAKE_UP = new Object();

    private final AgroalDataSource dataSource;
    private final TransactionManager transactions;
    private final TransactionSynchronizationRegistry synchronizations;
    private final OutboxRelay relay;
    private final Tracing tracing;

    public TransactionalOutbox(AgroalDataSource dataSource, TransactionManager transactions,
            TransactionSynchronizationRegistry synchronizations, OutboxRelay relay, Tracing tracing) {
        this.tracing = tracing;
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.synchronizations = synchronizations;
        this.relay = relay;
    }

    @Override
    public void enqueue(OutboundMessage message) {
        if (message.messageId().startsWith(WireContract.OUTSIDE_ID_PREFIX)) {
            throw new IllegalArgumentException("message-id " + message.messageId() + " begins with "
                    + WireContract.OUTSIDE_ID_PREFIX + ", which is kept for outside senders' messages");
        }
        requireTransaction();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, message.address());
            insert.setString(2, message.messageId());
            insert.setString(3, message.subject());
            insert.setString(4, message.correlationId());
            insert.setInt(5, message.priority());
            insert.setString(6, message.contentType());
            insert.setString(7, message.body());
            // The relay sends it later, on another thread: the row keeps the trace of the call that wrote it.
            Map<String, Object> properties = tracing.withCurrentContext(message.properties());
            insert.setString(8, properties.isEmpty() ? null : new JsonObject(properties).encode());
            insert.setTimestamp(9, message.deliverAt() == null ? null : java.sql.Timestamp.from(message.deliverAt()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the outbox", e);
        }
        // One wake-up per transaction, however many messages it writes.
        if (synchronizations.getResource(WAKE_UP) == null) {
            synchronizations.putResource(WAKE_UP, Boolean.TRUE);
            synchronizations.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        // Low latency without polling: the relay wakes now; its sweep is only a safety net.
                        relay.wakeUp();
                    }
                }
            });
        }
    }

    @Override
    public Backlog backlog(String address) {
        String sql = "select count(*), min(created_at) from errand_outbox" + (address == null ? "" : " where address = ?");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            if (address != null) {
                query.setString(1, address);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                java.sql.Timestamp oldest = rows.getTimestamp(2);
                return new Backlog(rows.getLong(1), Optional.ofNullable(oldest).map(java.sql.Timestamp::toInstant));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the outbox", e);
        }
    }

    private void requireTransaction() {
        try {
            if (transactions.getStatus() != Status.STATUS_ACTIVE) {
                throw new IllegalStateException("Outbox.enqueue needs an active transaction: the message must "
                        + "commit with the data it belongs to");
            }
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }
}
