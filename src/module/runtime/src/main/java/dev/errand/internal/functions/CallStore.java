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
import java.util.function.Function;

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

    /**
     * A call to record.
     *
     * @param businessKey the key it is recorded under ({@code DurableCalls.startOnce}), or null
     */
    public record NewCall(String id, String function, boolean workflow, String parentId, String arguments,
            String businessKey) {

        /** A call without a business key. */
        public NewCall(String id, String function, boolean workflow, String parentId, String arguments) {
            this(id, function, workflow, parentId, arguments, null);
        }
    }

    /** A finished (or not) call, as a workflow waiting for it sees it. */
    public record Outcome(String id, CallStatus.State state, String result, String error) {
    }

    /** What a workflow resumes from. */
    public record WorkflowState(int childrenStarted, Map<Integer, StepRecorder.Numbered> steps, boolean stopped,
            Instant deadline) {
    }

    /**
     * How a wait was recorded.
     *
     * @param seq     the wait's number
     * @param at      when its timer is due: now when nothing was left to wait for (every awaited child
     *                ended meanwhile), since this transaction holds the row the run's next record updates
     * @param stopped the workflow was cancelled (or timed out) meanwhile: nothing recorded
     */
    public record Wait(int seq, Instant at, boolean stopped) {
    }

    /** A call's deadline: its own, or its parent's when that comes first (least() passes over nulls). */
    private static final String DEADLINE = "least(cast(? as timestamptz), (select p.deadline from errand_call p where p.id = ?))";

    private static final String COLUMNS = """
            id, function, workflow, parent_id, status, current_step, result, error, created_at, started_at,
            finished_at, business_key, attempt""";
    /** How many times a keyed start looks again for a key whose row went between its insert and its read. */
    private static final int KEYED_ATTEMPTS = 3;

    private final AgroalDataSource dataSource;
    private final StepRecorder steps;

    public CallStore(AgroalDataSource dataSource, StepRecorder steps) {
        this.dataSource = dataSource;
        this.steps = steps;
    }

    /**
     * Records calls not recorded yet, each with its deadline (null: none, or its parent's), returns the
     * ones this did record.
     */
    public List<NewCall> insert(List<NewCall> calls, Function<NewCall, Instant> deadlines) {
        List<NewCall> inserted = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into errand_call (id, function, workflow, parent_id, arguments, status, deadline)
                        values (?, ?, ?, ?, ?, 'PENDING', %s) on conflict (id) do nothing""".formatted(DEADLINE))) {
            for (NewCall call : calls) {
                Instant deadline = deadlines.apply(call);
                insert.setString(1, call.id());
                insert.setString(2, call.function());
                insert.setBoolean(3, call.workflow());
                insert.setString(4, call.parentId());
                insert.setString(5, call.arguments());
                insert.setTimestamp(6, deadline == null ? null : Timestamp.from(deadline));
                insert.setString(7, call.parentId());
                if (insert.executeUpdate() == 1) {
                    inserted.add(call);
                }
            }
            return inserted;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record durable calls", e);
        }
    }

    /**
     * Records a call under its business key, unless its function has a call under that key already:
     * returns the id of the call recorded under the key, the given call's when this recorded it. In the
     * caller's transaction: a concurrent start of the key that has not committed yet holds this insert on the
     * key's unique index until it ends; once it has committed, its row is read (a statement of its own, so
     * that it sees the row), and if it rolled back, this call is recorded.
     */
    public String insertKeyed(NewCall call, Instant deadline) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into errand_call (id, function, workflow, parent_id, arguments, status, business_key,
                                                 deadline)
                        values (?, ?, ?, ?, ?, 'PENDING', ?, %s) on conflict do nothing""".formatted(DEADLINE));
                PreparedStatement query = connection.prepareStatement(
                        "select id from errand_call where function = ? and business_key = ?")) {
            insert.setString(1, call.id());
            insert.setString(2, call.function());
            insert.setBoolean(3, call.workflow());
            insert.setString(4, call.parentId());
            insert.setString(5, call.arguments());
            insert.setString(6, call.businessKey());
            insert.setTimestamp(7, deadline == null ? null : Timestamp.from(deadline));
            insert.setString(8, call.parentId());
            query.setString(1, call.function());
            query.setString(2, call.businessKey());
            // Only a row removed between the two statements (retention, after its window) makes it go round.
            for (int attempt = 1; attempt <= KEYED_ATTEMPTS; attempt++) {
                if (insert.executeUpdate() == 1) {
                    return call.id();
                }
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getString(1);
                    }
                }
            }
            throw new IllegalStateException("Could not record durable call " + call.id() + " under its business key: the"
                    + " key's call was there and then gone, " + KEYED_ATTEMPTS + " times");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record durable call " + call.id() + " under its business key", e);
        }
    }

    /** The call recorded for {@code function} under {@code businessKey}, if any. */
    public Optional<CallStatus> byBusinessKey(String function, String businessKey) {
        return query("select " + COLUMNS + " from errand_call where function = ? and business_key = ?", function,
                businessKey).stream().findFirst();
    }

    /** A workflow starts or resumes: marked RUNNING, with its recorded children and steps. */
    public WorkflowState resume(NewCall call) {
        try (Connection connection = dataSource.getConnection()) {
            int children;
            boolean stopped;
            Instant deadline;
            try (PreparedStatement upsert = connection.prepareStatement("""
                    insert into errand_call (id, function, workflow, parent_id, arguments, status, started_at)
                    values (?, ?, true, null, ?, 'RUNNING', now())
                    on conflict (id) do update set
                        status = case when errand_call.status in ('SUCCEEDED', 'CANCELLED', 'TIMED_OUT')
                                      then errand_call.status else 'RUNNING' end,
                        -- A failed workflow replayed runs again: not finished, so retention keeps it. A
                        -- cancelled one runs only its compensation, and stays cancelled.
                        finished_at = case when errand_call.status in ('SUCCEEDED', 'CANCELLED', 'TIMED_OUT')
                                           then errand_call.finished_at end,
                        started_at = coalesce(errand_call.started_at, now())
                    returning children_started, status, deadline""")) {
                upsert.setString(1, call.id());
                upsert.setString(2, call.function());
                upsert.setString(3, call.arguments());
                try (ResultSet rows = upsert.executeQuery()) {
                    rows.next();
                    children = rows.getInt(1);
                    stopped = CallStatus.State.valueOf(rows.getString(2)).stopped();
                    deadline = instant(rows.getTimestamp(3));
                }
            }
            // A copy: the run adds the steps it records to it.
            return new WorkflowState(children, new HashMap<>(steps.replay(call.id())), stopped, deadline);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not resume workflow " + call.id(), e);
        }
    }

    /** @return false when the workflow was cancelled meanwhile: its children must not be recorded */
    public boolean childrenStarted(String parentId, int count) {
        return update("""
                update errand_call set children_started = greatest(children_started, ?)
                where id = ? and status not in ('CANCELLED', 'TIMED_OUT')""", count, parentId) == 1;
    }

    /** @return false when the workflow was cancelled meanwhile (the step is recorded all the same) */
    /**
     * Records a step of the compensation of a stopped workflow, unless it was restarted meanwhile: a
     * restart holds the row, so this waits for it and then finds the workflow running a new attempt, whose
     * steps are not the compensation's to write. True when recorded.
     */
    public boolean recordCompensation(String callId, int seq, String name, String result, Instant startedAt) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement(
                        "select status from errand_call where id = ? for share")) {
            lock.setString(1, callId);
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next() || !CallStatus.State.valueOf(rows.getString(1)).stopped()) {
                    return false;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read workflow " + callId, e);
        }
        steps.recordCompensation(callId, seq, name, result, startedAt);
        update("update errand_call set current_step = ?, " + STEP_NOT_FAILING + " where id = ?", name, callId);
        return true;
    }

    /** Clears the failing step's record once a step is recorded: the record has taken its attempts. */
    private static final String STEP_NOT_FAILING =
            "failing_seq = null, failing_since = null, failing_attempts = 0, failing_error = null";

    /** @param startedAt when this attempt started; an earlier failed attempt's start wins */
    public boolean recordStep(String callId, int seq, String name, String result, Instant startedAt) {
        steps.record(callId, seq, name, result, startedAt);
        return update("update errand_call set current_step = ?, " + STEP_NOT_FAILING
                + " where id = ? and status not in ('CANCELLED', 'TIMED_OUT')", name, callId) == 1;
    }

    /**
     * Counts an attempt of step {@code seq} that threw, on the call's row, for the step's history: its
     * next attempt that works is recorded with them. Only on failure, so a step that works costs nothing.
     */
    public void stepFailed(String callId, int seq, String name, Instant startedAt, String error) {
        update("""
                update errand_call set current_step = ?, failing_error = ?,
                    failing_attempts = case when failing_seq = ? then failing_attempts + 1 else 1 end,
                    failing_since = case when failing_seq = ? then failing_since else ? end,
                    failing_seq = ?
                where id = ?""", name, error, seq, seq, Timestamp.from(startedAt), seq, callId);
    }

    /** What a cancellation did: the calls it ended, and the workflows among them that had started. */
    public record Cancellation(CallStatus.State before, String parentId, List<Ended> ended) {
    }

    /** A call a cancellation ended; a workflow that had started gets one more run, for its compensation. */
    public record Ended(String id, String function, boolean startedWorkflow, int waitSeq) {
    }

    /**
     * Ends a call and every call under it that has not finished, or failed (its dead letter's replay would
     * run it), in the caller's transaction: children not started never run, running ones finish their current
     * step and stop.
     *
     * @param state {@code CANCELLED} or {@code TIMED_OUT}
     * @return empty when there is no such call
     */
    public Optional<Cancellation> cancel(String callId, String by, CallStatus.State state) {
        try (Connection connection = dataSource.getConnection()) {
            CallStatus.State before;
            String parentId;
            try (PreparedStatement lock = connection.prepareStatement(
                    "select status, parent_id from errand_call where id = ? for update")) {
                lock.setString(1, callId);
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    before = CallStatus.State.valueOf(rows.getString(1));
                    parentId = rows.getString(2);
                }
            }
            if (before.finished()) {
                return Optional.of(new Cancellation(before, parentId, List.of()));
            }
            List<Ended> ended = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement("""
                    with recursive tree as (
                        select id from errand_call where id = ?
                        union all
                        select c.id from errand_call c join tree t on c.parent_id = t.id
                    ), ended as (
                        select c.id, c.status from errand_call c join tree t on c.id = t.id
                        where c.status in ('PENDING', 'RUNNING', 'WAITING')
                           -- a failed call under it could still run, from its dead letter's replay
                           or c.status = 'FAILED' and c.id <> ?
                        for update of c
                    )
                    update errand_call c set status = ?, cancelled_by = ?, finished_at = now(),
                        error = case when e.status = 'FAILED' then c.error else ? end, wait_seq = c.wait_seq + case when e.status = 'PENDING' then 0 else 1 end,
                        wake_at = now()
                    from ended e where c.id = e.id
                    returning c.id, c.function, c.workflow, c.parent_id, e.status, c.wait_seq""")) {
                update.setString(1, callId);
                update.setString(2, callId);
                update.setString(3, state.name());
                update.setString(4, by);
                update.setString(5, (state == CallStatus.State.TIMED_OUT ? "timed out" : "cancelled by " + by));
                try (ResultSet rows = update.executeQuery()) {
                    while (rows.next()) {
                        ended.add(new Ended(rows.getString(1), rows.getString(2),
                                rows.getBoolean(3) && !"PENDING".equals(rows.getString(5)), rows.getInt(6)));
                    }
                }
            }
            return Optional.of(new Cancellation(before, parentId, ended));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not cancel durable call " + callId, e);
        }
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
    public Wait waiting(String callId, String step, Instant wakeAt,
            java.util.function.LongSupplier unfinished) {
        try (Connection connection = dataSource.getConnection()) {
            int done;
            try (PreparedStatement lock = connection.prepareStatement(
                    "select children_done, status from errand_call where id = ? for update")) {
                lock.setString(1, callId);
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        throw new IllegalStateException("workflow " + callId + " has no record");
                    }
                    done = rows.getInt(1);
                    if (CallStatus.State.valueOf(rows.getString(2)).stopped()) {
                        return new Wait(0, null, true);
                    }
                }
            }
            Integer wakeWhenDone = null;
            if (unfinished != null) {
                long left = unfinished.getAsLong();
                if (left == 0) {
                    wakeAt = Instant.now();
                } else {
                    wakeWhenDone = (int) Math.min(Integer.MAX_VALUE, done + left);
                }
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
                    return new Wait(rows.getInt(1), wakeAt, false);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the wait of workflow " + callId, e);
        }
    }

    /** A waiting parent whose awaited children have all ended: {@code done} ended children in all. */
    public record ParentToWake(String id, String function, int done) {
    }

    /**
     * Counts finished children in their parents, once each, in the transaction that finishes them.
     *
     * @return the parents whose count reached the number their wait is to be woken at
     */
    public List<ParentToWake> countEnded(Connection connection, List<String> children) throws SQLException {
        Map<String, Integer> perParent = new java.util.TreeMap<>();
        try (PreparedStatement mark = connection.prepareStatement("""
                update errand_call set counted_in_parent = true
                where id = any(?) and parent_id is not null and not counted_in_parent
                  and status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')
                returning parent_id""")) {
            mark.setArray(1, connection.createArrayOf("text", children.toArray()));
            try (ResultSet rows = mark.executeQuery()) {
                while (rows.next()) {
                    perParent.merge(rows.getString(1), 1, Integer::sum);
                }
            }
        }
        List<ParentToWake> toWake = new ArrayList<>();
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
                        toWake.add(new ParentToWake(parent.getKey(), rows.getString(1), after));
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

    /** The call's result, in the worker's transaction with its processed-message marker. */
    public void succeeded(NewCall call, String result) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        insert into errand_call (id, function, workflow, parent_id, arguments, status, result,
                                                 started_at, finished_at)
                        values (?, ?, ?, null, ?, 'SUCCEEDED', ?, now(), now())
                        on conflict (id) do update set status = 'SUCCEEDED', result = excluded.result, error = null,
                            started_at = coalesce(errand_call.started_at, now()), finished_at = now()
                        -- A function cancelled while it ran finishes its work, and stays cancelled.
                        where errand_call.status not in ('CANCELLED', 'TIMED_OUT')""")) {
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
    /**
     * A workflow whose timer or wake-up (the service's own message, whatever the workflow's origin) was
     * dead-lettered has failed, in that transaction; only that message's replay resumes it.
     */
    public void failedResuming(String callId, String reason, String messageId) {
        update("""
                update errand_call set status = 'FAILED', error = ?, finished_at = now(), failed_by = ?
                where id = ? and status not in ('SUCCEEDED', 'CANCELLED', 'TIMED_OUT')""", reason, messageId, callId);
    }

    public void failed(String callId, String function, String reason, String origin, String messageId) {
        // A call started from outside, refused before it ran, has no row yet.
        update("""
                insert into errand_call (id, function, status, error, finished_at, origin, failed_by)
                values (?, ?, 'FAILED', ?, now(), ?, ?)
                on conflict (id) do update set status = 'FAILED', error = excluded.error, finished_at = now(),
                    failed_by = excluded.failed_by
                where errand_call.status not in ('SUCCEEDED', 'CANCELLED', 'TIMED_OUT')
                  and errand_call.origin = excluded.origin""",
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
            String failedBy, Instant deadline) {

        /** Whether it has not finished and its deadline is over. */
        public boolean pastDeadline(Instant now) {
            return deadline != null && !now.isBefore(deadline) && !state.finished();
        }

        public boolean succeeded() {
            return state == CallStatus.State.SUCCEEDED;
        }
    }

    public Optional<RecordedCall> find(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select id, function, workflow, parent_id, arguments, origin, status, wait_seq, wake_at, failed_by,
                               deadline
                        from errand_call where id = ?""")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RecordedCall(new NewCall(rows.getString(1), rows.getString(2), rows.getBoolean(3),
                        rows.getString(4), rows.getString(5)), Origin.ofWireName(rows.getString(6)),
                        CallStatus.State.valueOf(rows.getString(7)), rows.getInt(8), instant(rows.getTimestamp(9)),
                        rows.getString(10), instant(rows.getTimestamp(11))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read durable call " + id, e);
        }
    }

    /**
     * Records a call an outside sender started; false when the id was taken meanwhile, or its business key
     * (then {@code outside:<key>}) is recorded for the function already.
     */
    public boolean insertOutside(NewCall call, Instant deadline) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into errand_call (id, function, workflow, parent_id, arguments, status, origin,
                                                 business_key, deadline)
                        values (?, ?, ?, null, ?, 'PENDING', 'outside', ?, ?) on conflict do nothing""")) {
            insert.setString(1, call.id());
            insert.setString(2, call.function());
            insert.setBoolean(3, call.workflow());
            insert.setString(4, call.arguments());
            insert.setString(5, call.businessKey());
            insert.setTimestamp(6, deadline == null ? null : Timestamp.from(deadline));
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record durable call " + call.id(), e);
        }
    }

    /** How many of these calls have finished: what a waiting workflow reads on each look. */
    public long finished(List<String> ids) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select count(*) from errand_call where id = any(?)
                          and status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')""")) {
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
                            instant(rows.getTimestamp(10)), instant(rows.getTimestamp(11)), rows.getString(12), rows.getInt(13)));
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
        long stopped = 0;
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                long count = rows.getLong(2);
                total += count;
                switch (rows.getString(1)) {
                    case "SUCCEEDED" -> succeeded = count;
                    case "FAILED" -> failed = count;
                    case "CANCELLED", "TIMED_OUT" -> stopped += count;
                    default -> {
                    }
                }
            }
        }
        return new CallStatus.Children(total, succeeded, failed, stopped);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private int update(String sql, Object... arguments) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                update.setObject(i + 1, arguments[i]);
            }
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update durable calls", e);
        }
    }
}
