package dev.errand.internal.functions;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.CallStatus;
import dev.errand.Origin;
import dev.errand.internal.steps.StepRecorder;
import io.agroal.api.AgroalDataSource;

/**
 * The {@code errand_call} table, and a workflow's steps through the {@link StepRecorder}. Every method
 * joins the caller's transaction; which transaction that is decides what commits together (see its
 * callers).
 */
@ApplicationScoped
public class CallStore {

    /** A call to record. */
    public record NewCall(String id, String function, boolean workflow, String parentId, String arguments) {
    }

    /** A finished (or not) call, as a workflow waiting for it sees it. */
    public record Outcome(String id, CallStatus.State state, String result, String error) {
    }

    /** What a workflow resumes from. */
    public record WorkflowState(int childrenStarted, Map<Integer, StepRecorder.Numbered> steps) {
    }

    private static final String COLUMNS = """
            id, function, workflow, parent_id, status, current_step, result, error, created_at, started_at,
            finished_at, attempt""";

    private final AgroalDataSource dataSource;
    private final StepRecorder steps;

    public CallStore(AgroalDataSource dataSource, StepRecorder steps) {
        this.dataSource = dataSource;
        this.steps = steps;
    }

    /** Records calls not recorded yet; returns the ones this did record. */
    public List<NewCall> insert(List<NewCall> calls) {
        List<NewCall> inserted = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into errand_call (id, function, workflow, parent_id, arguments, status)
                        values (?, ?, ?, ?, ?, 'PENDING') on conflict (id) do nothing""")) {
            for (NewCall call : calls) {
                insert.setString(1, call.id());
                insert.setString(2, call.function());
                insert.setBoolean(3, call.workflow());
                insert.setString(4, call.parentId());
                insert.setString(5, call.arguments());
                if (insert.executeUpdate() == 1) {
                    inserted.add(call);
                }
            }
            return inserted;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record durable calls", e);
        }
    }

    /** A workflow starts or resumes: marked RUNNING, with its recorded children and steps. */
    public WorkflowState resume(NewCall call) {
        try (Connection connection = dataSource.getConnection()) {
            int children;
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into errand_call (id, function, workflow, parent_id, arguments, status, started_at)
                    values (?, ?, true, null, ?, 'RUNNING', now())
                    on conflict (id) do update set
                        status = case when errand_call.status = 'SUCCEEDED' then errand_call.status else 'RUNNING' end,
                        -- A failed workflow replayed runs again: not finished, so retention keeps it.
                        finished_at = case when errand_call.status = 'SUCCEEDED' then errand_call.finished_at end,
                        started_at = coalesce(errand_call.started_at, now())
                    returning children_started""")) {
                upsert.setString(1, call.id());
                upsert.setString(2, call.function());
                upsert.setString(3, call.arguments());
                try (ResultSet rows = upsert.executeQuery()) {
                    rows.next();
                    children = rows.getInt(1);
                }
            }
            // A copy: the run adds the steps it records to it.
            return new WorkflowState(children, new HashMap<>(steps.replay(call.id())));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not resume workflow " + call.id(), e);
        }
    }

    public void childrenStarted(String parentId, int count) {
        update("update errand_call set children_started = greatest(children_started, ?) where id = ?", count, parentId);
    }

    public void recordStep(String callId, int seq, String name, String result) {
        steps.record(callId, seq, name, result);
        update("update errand_call set current_step = ? where id = ?", name, callId);
    }

    /**
     * The workflow waits, in its run's transaction: the wait gets the next number and its due time, which
     * its timer carries. Takes the call's row lock first, so that the children that end meanwhile are
     * counted either before (in {@code unfinished}, read after the lock) or after (their ends wait for
     * this transaction and then see {@code wake_when_done}).
     *
     * @param unfinished counts the awaited children not finished yet, read once the row is locked; null
     *                   when the wait is for no children
     * @return the wait's number, or empty when there is nothing left to wait for (every awaited child
     *         ended meanwhile)
     */
    public java.util.OptionalInt waiting(String callId, String step, Instant wakeAt,
            java.util.function.LongSupplier unfinished) {
        try (Connection connection = dataSource.getConnection()) {
            int done;
            try (PreparedStatement lock = connection.prepareStatement(
                    "select children_done from errand_call where id = ? for update")) {
                lock.setString(1, callId);
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        throw new IllegalStateException("workflow " + callId + " has no record");
                    }
                    done = rows.getInt(1);
                }
            }
            Integer wakeWhenDone = null;
            if (unfinished != null) {
                long left = unfinished.getAsLong();
                if (left == 0) {
                    return java.util.OptionalInt.empty();
                }
                wakeWhenDone = (int) Math.min(Integer.MAX_VALUE, done + left);
            }
            try (PreparedStatement update = connection.prepareStatement("""
                    update errand_call set status = 'WAITING', current_step = ?, wait_seq = wait_seq + 1, wake_at = ?,
                        wake_when_done = ?
                    where id = ? returning wait_seq""")) {
                update.setString(1, step);
                update.setTimestamp(2, Timestamp.from(wakeAt));
                update.setObject(3, wakeWhenDone, java.sql.Types.INTEGER);
                update.setString(4, callId);
                try (ResultSet rows = update.executeQuery()) {
                    rows.next();
                    return java.util.OptionalInt.of(rows.getInt(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the wait of workflow " + callId, e);
        }
    }

    /**
     * Counts finished children in their parents, once each, in the transaction that finishes them.
     *
     * @return the parents whose count reached the number their wait is to be woken at
     */
    public List<NewCall> countEnded(Connection connection, List<String> children) throws SQLException {
        Map<String, Integer> perParent = new java.util.TreeMap<>();
        try (PreparedStatement mark = connection.prepareStatement("""
                update errand_call set counted_in_parent = true
                where id = any(?) and parent_id is not null and not counted_in_parent
                  and status in ('SUCCEEDED', 'FAILED')
                returning parent_id""")) {
            mark.setArray(1, connection.createArrayOf("text", children.toArray()));
            try (ResultSet rows = mark.executeQuery()) {
                while (rows.next()) {
                    perParent.merge(rows.getString(1), 1, Integer::sum);
                }
            }
        }
        List<NewCall> toWake = new ArrayList<>();
        // In one order in every transaction, so that two of them never wait for each other's parents.
        try (PreparedStatement count = connection.prepareStatement("""
                update errand_call set children_done = children_done + ?
                where id = ? returning function, children_done, wake_when_done, status""")) {
            for (Map.Entry<String, Integer> parent : perParent.entrySet()) {
                count.setInt(1, parent.getValue());
                count.setString(2, parent.getKey());
                try (ResultSet rows = count.executeQuery()) {
                    if (!rows.next()) {
                        continue;
                    }
                    int after = rows.getInt(2);
                    int at = rows.getInt(3);
                    boolean waits = !rows.wasNull() && "WAITING".equals(rows.getString(4));
                    if (waits && after >= at && after - parent.getValue() < at) {
                        toWake.add(new NewCall(parent.getKey(), rows.getString(1), true, null, String.valueOf(after)));
                    }
                }
            }
        }
        return toWake;
    }

    /** A marker (a patch gate's): a step in the replay, but no work, so not the call's current step. */
    public void recordMarker(String callId, int seq, String name) {
        steps.record(callId, seq, name, null);
    }

    public void waiting(String callId, String step) {
        update("update errand_call set status = 'WAITING', current_step = ? where id = ? and status = 'RUNNING'", step,
                callId);
    }

    /** The call's result, in the worker's transaction with its processed-message marker. */
    public void succeeded(NewCall call, String result) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        insert into errand_call (id, function, workflow, parent_id, arguments, status, result,
                                                 started_at, finished_at)
                        values (?, ?, ?, null, ?, 'SUCCEEDED', ?, now(), now())
                        on conflict (id) do update set status = 'SUCCEEDED', result = excluded.result, error = null,
                            started_at = coalesce(errand_call.started_at, now()), finished_at = now()""")) {
            upsert.setString(1, call.id());
            upsert.setString(2, call.function());
            upsert.setBoolean(3, call.workflow());
            upsert.setString(4, call.arguments());
            upsert.setString(5, result);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the result of " + call.id(), e);
        }
    }

    /**
     * Dead-lettered: in the transaction that stores the dead letter. Only a call of the dead letter's
     * origin fails: an outside sender's message for the service's call id changes nothing of it.
     */
    public void failed(String callId, String function, String reason, String origin, String messageId) {
        // A call started from outside, refused before it ran, has no row yet.
        update("""
                insert into errand_call (id, function, status, error, finished_at, origin, failed_by)
                values (?, ?, 'FAILED', ?, now(), ?, ?)
                on conflict (id) do update set status = 'FAILED', error = excluded.error, finished_at = now(),
                    failed_by = excluded.failed_by
                where errand_call.status <> 'SUCCEEDED' and errand_call.origin = excluded.origin""",
                callId, function, reason, origin, messageId);
    }

    /**
     * A call as recorded: what its worker runs, whatever its message says.
     *
     * @param state    where it is; {@code SUCCEEDED} is done for good: a late copy of its message runs nothing
     * @param waitSeq  the number of its latest wait (a workflow's): only that wait's timer runs it
     * @param wakeAt   when that wait's timer is due
     * @param failedBy the message whose dead letter failed it: only that message's replay resumes it
     */
    public record RecordedCall(NewCall call, Origin origin, CallStatus.State state, int waitSeq, Instant wakeAt,
            String failedBy) {

        public boolean succeeded() {
            return state == CallStatus.State.SUCCEEDED;
        }
    }

    public Optional<RecordedCall> find(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select id, function, workflow, parent_id, arguments, origin, status, wait_seq, wake_at, failed_by
                        from errand_call where id = ?""")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RecordedCall(new NewCall(rows.getString(1), rows.getString(2), rows.getBoolean(3),
                        rows.getString(4), rows.getString(5)), Origin.ofWireName(rows.getString(6)),
                        CallStatus.State.valueOf(rows.getString(7)), rows.getInt(8), instant(rows.getTimestamp(9)),
                        rows.getString(10)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read durable call " + id, e);
        }
    }

    /** Records a call an outside sender started; false when the id was taken meanwhile. */
    public boolean insertOutside(NewCall call) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into errand_call (id, function, workflow, parent_id, arguments, status, origin)
                        values (?, ?, ?, null, ?, 'PENDING', 'outside') on conflict (id) do nothing""")) {
            insert.setString(1, call.id());
            insert.setString(2, call.function());
            insert.setBoolean(3, call.workflow());
            insert.setString(4, call.arguments());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record durable call " + call.id(), e);
        }
    }

    /** How many of these calls have finished: what a waiting workflow reads on each look. */
    public long finished(List<String> ids) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select count(*) from errand_call where id = any(?) and status in ('SUCCEEDED', 'FAILED')""")) {
            query.setArray(1, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read durable calls", e);
        }
    }

    public Map<String, Outcome> outcomes(List<String> ids) {
        Map<String, Outcome> outcomes = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select id, status, result, error from errand_call where id = any(?)")) {
            Array array = connection.createArrayOf("text", ids.toArray());
            query.setArray(1, array);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    outcomes.put(rows.getString(1), new Outcome(rows.getString(1),
                            CallStatus.State.valueOf(rows.getString(2)), rows.getString(3), rows.getString(4)));
                }
            }
            return outcomes;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read durable calls", e);
        }
    }

    public Optional<CallStatus> status(String id) {
        List<CallStatus> found = query("select " + COLUMNS + " from errand_call where id = ?", id);
        return found.stream().findFirst();
    }

    /** Workflows, newest first: the top-level ones, or a parent's. */
    public List<CallStatus> workflows(String parentId, CallStatus.State state, int limit) {
        String where = parentId == null ? "workflow and parent_id is null" : "parent_id = ?";
        List<Object> arguments = new ArrayList<>();
        if (parentId != null) {
            arguments.add(parentId);
        }
        if (state != null) {
            where += " and status = ?";
            arguments.add(state.name());
        }
        arguments.add(limit);
        return query("select " + COLUMNS + " from errand_call where " + where + " order by created_at desc, id limit ?",
                arguments.toArray());
    }

    private List<CallStatus> query(String sql, Object... arguments) {
        List<CallStatus> calls = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                PreparedStatement children = connection.prepareStatement(
                        "select status, count(*) from errand_call where parent_id = ? group by status")) {
            for (int i = 0; i < arguments.length; i++) {
                query.setObject(i + 1, arguments[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    calls.add(new CallStatus(id, rows.getString(2), rows.getBoolean(3), rows.getString(4),
                            CallStatus.State.valueOf(rows.getString(5)), rows.getString(6), rows.getString(7),
                            rows.getString(8), children(children, id), instant(rows.getTimestamp(9)),
                            instant(rows.getTimestamp(10)), instant(rows.getTimestamp(11)), rows.getInt(12)));
                }
            }
            return calls;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read durable calls", e);
        }
    }

    private static CallStatus.Children children(PreparedStatement query, String id) throws SQLException {
        query.setString(1, id);
        long total = 0;
        long succeeded = 0;
        long failed = 0;
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                long count = rows.getLong(2);
                total += count;
                switch (rows.getString(1)) {
                    case "SUCCEEDED" -> succeeded = count;
                    case "FAILED" -> failed = count;
                    default -> {
                    }
                }
            }
        }
        return new CallStatus.Children(total, succeeded, failed);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private void update(String sql, Object... arguments) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                update.setObject(i + 1, arguments[i]);
            }
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update durable calls", e);
        }
    }
}
