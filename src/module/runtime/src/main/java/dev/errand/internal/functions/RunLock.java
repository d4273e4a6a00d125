package dev.errand.internal.functions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.agroal.api.AgroalDataSource;

/**
 * One run of a workflow at a time, across replicas: its start, its timers and its wake-ups are messages
 * with ids of their own, which their markers do not serialize. The lock is PostgreSQL's, taken in the
 * run's transaction and let go when it ends (a crashed replica's with its connection); PgBouncer's
 * transaction mode keeps it.
 */
@ApplicationScoped
public class RunLock {

    /** The advisory locks' first key: Errand's workflow runs (the retention sweep has another). */
    private static final int NAMESPACE = 0x45525731;

    private static final Object HELD = new Object();

    private final AgroalDataSource dataSource;
    private final TransactionSynchronizationRegistry registry;

    RunLock(AgroalDataSource dataSource, TransactionSynchronizationRegistry registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    /**
     * Takes the workflow's lock for the current transaction, without waiting.
     *
     * @return false when another run holds it (two calls hashed alike share a lock, which only delays one)
     */
    boolean tryLock(String callId) {
        // PostgreSQL grants a session's lock again: a second message of the workflow in the same transaction
        // (a batch) must wait for the first to commit instead, as another replica's would.
        @SuppressWarnings("unchecked")
        java.util.Set<String> held = (java.util.Set<String>) registry.getResource(HELD);
        if (held == null) {
            held = new java.util.HashSet<>();
            registry.putResource(HELD, held);
        }
        if (!held.add(callId)) {
            return false;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, NAMESPACE);
            lock.setString(2, callId);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                if (!rows.getBoolean(1)) {
                    held.remove(callId);
                    return false;
                }
                return true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not lock workflow " + callId, e);
        }
    }
}
