package dev.errand.internal.functions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The {@code errand_signal} table: signals sent to workflows, kept until a wait of their name takes
 * them. Every method joins the caller's transaction.
 */
@ApplicationScoped
public class SignalStore {

    /** A signal a wait took. */
    public record Taken(String signalId, String payload) {
    }

    private final AgroalDataSource dataSource;

    SignalStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keeps a signal: its number; empty when one with this id was sent to this workflow before (it counts once). */
    java.util.OptionalLong keep(String callId, String signalId, String name, String payload) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into errand_signal (call_id, signal_id, name, payload) values (?, ?, ?, ?)
                        on conflict (call_id, signal_id) do nothing returning seq""")) {
            insert.setString(1, callId);
            insert.setString(2, signalId);
            insert.setString(3, name);
            insert.setString(4, payload);
            try (ResultSet rows = insert.executeQuery()) {
                return rows.next() ? java.util.OptionalLong.of(rows.getLong(1)) : java.util.OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not keep a signal for workflow " + callId, e);
        }
    }

    /** Whether a signal with this id was sent to this workflow. */
    boolean sent(String callId, String signalId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select 1 from errand_signal where call_id = ? and signal_id = ?")) {
            query.setString(1, callId);
            query.setString(2, signalId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the signals of workflow " + callId, e);
        }
    }

    /**
     * Gives back the signals that steps from number {@code fromSeq} on took: a restart forgets those
     * steps, and the waits that run again take the same signals again, oldest first.
     */
    void untake(String callId, int fromSeq) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement untake = connection.prepareStatement(
                        "update errand_signal set taken_by = null where call_id = ? and taken_by >= ?")) {
            untake.setString(1, callId);
            untake.setInt(2, fromSeq);
            untake.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not give back the signals of workflow " + callId, e);
        }
    }

    /** The oldest waiting signal of this name, taken by the workflow's step {@code step}. */
    Optional<Taken> take(String callId, String name, int step) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement take = connection.prepareStatement("""
                        update errand_signal set taken_by = ?
                        where call_id = ? and signal_id = (
                            select signal_id from errand_signal where call_id = ? and name = ? and taken_by is null
                            order by seq limit 1 for update skip locked)
                        returning signal_id, payload""")) {
            take.setInt(1, step);
            take.setString(2, callId);
            take.setString(3, callId);
            take.setString(4, name);
            try (ResultSet rows = take.executeQuery()) {
                return rows.next() ? Optional.of(new Taken(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the signals of workflow " + callId, e);
        }
    }
}
