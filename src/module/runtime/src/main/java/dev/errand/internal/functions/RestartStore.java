package dev.errand.internal.functions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.CallStatus;
import dev.errand.Origin;
import dev.errand.WorkflowRestarts;
import io.agroal.api.AgroalDataSource;

/**
 * A restart's rows: the call in {@code errand_call}, its history in {@code errand_call_restart}. Every
 * method joins the caller's transaction.
 */
@ApplicationScoped
class RestartStore {

    /** A call as a restart sees it, its row locked until the transaction ends. */
    record Locked(String id, String function, boolean workflow, CallStatus.State state, Origin origin, String error,
            int attempt) {
    }

    /** A failed workflow found by a bulk restart, with what the next page starts after. */
    record Failed(String id, Instant finishedAt) {
    }

    private final AgroalDataSource dataSource;

    RestartStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The call, its row locked: nothing else fails, resumes or restarts it until this transaction ends. */
    Optional<Locked> lock(String callId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select id, function, workflow, status, origin, error, attempt from errand_call
                        where id = ? for update""")) {
            query.setString(1, callId);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Locked(rows.getString(1), rows.getString(2), rows.getBoolean(3),
                        CallStatus.State.valueOf(rows.getString(4)), Origin.ofWireName(rows.getString(5)),
                        rows.getString(6), rows.getInt(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read durable call " + callId, e);
        }
    }

    /**
     * The call waits to run again as attempt {@code attempt}: a wake-up runs a waiting workflow. Not
     * finished (retention keeps it), failed by no message (a later failure says which), and a new wait
     * number, so that a timer of a wait before the failure runs nothing.
     *
     * @return when it was restarted (the transaction's time)
     */
    Instant restart(String callId, int attempt, String currentStep, Instant deadline) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update errand_call set status = 'WAITING', attempt = ?, current_step = ?, error = null,
                            finished_at = null, failed_by = null, wait_seq = wait_seq + 1, wake_at = null,
                            wake_when_done = null, cancelled_by = null,
                            deadline = case when status in ('CANCELLED', 'TIMED_OUT') then ? else deadline end
                        where id = ? returning now()""")) {
            update.setInt(1, attempt);
            update.setString(2, currentStep);
            update.setTimestamp(3, deadline == null ? null : Timestamp.from(deadline));
            update.setString(4, callId);
            try (ResultSet rows = update.executeQuery()) {
                rows.next();
                return rows.getTimestamp(1).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not restart workflow " + callId, e);
        }
    }

    /** The first of a stopped workflow's compensation steps ({@code Workflow.compensate}), null when none ran. */
    Integer firstCompensationStep(String callId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select min(seq) from errand_step where owner_id = ? and seq is not null and compensation")) {
            query.setString(1, callId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                int seq = rows.getInt(1);
                return rows.wasNull() ? null : seq;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the steps of workflow " + callId, e);
        }
    }

    void record(String callId, int attempt, int fromSeq, String fromStep, String by, String endedWith) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into errand_call_restart (call_id, attempt, from_seq, from_step, restarted_by, ended_with)
                        values (?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, callId);
            insert.setInt(2, attempt);
            insert.setInt(3, fromSeq);
            insert.setString(4, fromStep);
            insert.setString(5, by);
            insert.setString(6, endedWith);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the restart of workflow " + callId, e);
        }
    }

    /** The workflow's attempts, the first one first; empty when there is no such workflow. */
    List<WorkflowRestarts.Attempt> attempts(String callId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement call = connection.prepareStatement(
                        "select created_at from errand_call where id = ? and workflow");
                PreparedStatement restarts = connection.prepareStatement("""
                        select attempt, restarted_at, restarted_by, from_seq, from_step, ended_with
                        from errand_call_restart where call_id = ? order by attempt""")) {
            call.setString(1, callId);
            Instant created;
            try (ResultSet rows = call.executeQuery()) {
                if (!rows.next()) {
                    return List.of();
                }
                created = rows.getTimestamp(1).toInstant();
            }
            restarts.setString(1, callId);
            List<WorkflowRestarts.Attempt> attempts = new ArrayList<>();
            WorkflowRestarts.Attempt previous = new WorkflowRestarts.Attempt(1, created, null, 1, null, null);
            try (ResultSet rows = restarts.executeQuery()) {
                while (rows.next()) {
                    // A restart ends the attempt before it: that one's error is kept with it.
                    attempts.add(withError(previous, rows.getString(6)));
                    previous = new WorkflowRestarts.Attempt(rows.getInt(1), rows.getTimestamp(2).toInstant(),
                            rows.getString(3), rows.getInt(4), rows.getString(5), null);
                }
            }
            attempts.add(previous);
            return attempts;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the attempts of workflow " + callId, e);
        }
    }

    private static WorkflowRestarts.Attempt withError(WorkflowRestarts.Attempt attempt, String error) {
        return new WorkflowRestarts.Attempt(attempt.attempt(), attempt.startedAt(), attempt.restartedBy(),
                attempt.fromSeq(), attempt.fromStep(), error);
    }

    /** The database's time now: where a bulk restart's range ends at the latest. */
    Instant now() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select now()");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the database's time", e);
        }
    }

    private static final String FAILED_IN_RANGE = """
            from errand_call where workflow and function = ? and status = 'FAILED'
              and finished_at >= ? and finished_at < ?""";

    long countFailed(String function, Instant from, Instant to) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select count(*) " + FAILED_IN_RANGE)) {
            range(query, function, from, to);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the failed runs of workflow " + function, e);
        }
    }

    /** The next page of failed workflows in the range, after {@code after} (null for the first page). */
    List<Failed> failed(String function, Instant from, Instant to, Failed after, int limit) {
        String sql = "select id, finished_at " + FAILED_IN_RANGE
                + (after == null ? "" : " and (finished_at, id) > (?, ?)") + " order by finished_at, id limit ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            int next = range(query, function, from, to);
            if (after != null) {
                query.setTimestamp(next++, Timestamp.from(after.finishedAt()));
                query.setString(next++, after.id());
            }
            query.setInt(next, limit);
            List<Failed> found = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(new Failed(rows.getString(1), rows.getTimestamp(2).toInstant()));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the failed runs of workflow " + function, e);
        }
    }

    private static int range(PreparedStatement query, String function, Instant from, Instant to) throws SQLException {
        query.setString(1, function);
        query.setTimestamp(2, Timestamp.from(from));
        query.setTimestamp(3, Timestamp.from(to));
        return 4;
    }
}
