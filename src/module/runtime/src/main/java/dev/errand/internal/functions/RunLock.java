package dev.errand.internal.functions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

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

    private final AgroalDataSource dataSource;

    RunLock(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the workflow's lock for the current transaction, without waiting.
     *
     * @return false when another run holds it (two calls hashed alike share a lock, which only delays one)
     */
    boolean tryLock(String callId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, NAMESPACE);
            lock.setString(2, callId);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not lock workflow " + callId, e);
        }
    }
}
