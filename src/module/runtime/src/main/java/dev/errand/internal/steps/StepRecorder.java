package dev.errand.internal.steps;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.errand.CallStep;
import dev.errand.OutsideTransaction;
import dev.errand.Steps;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The one record of steps done ({@code errand_step}), for both kinds of owner:
 * <ul>
 * <li>a task's steps ({@code Task.step}), owned by the consumer's message (its idempotency id), found
 * by name: a handler may skip a step on one attempt and take it on the next;</li>
 * <li>a workflow's steps ({@code Workflow.step}, sleeps and waits), owned by its call id and numbered in
 * the order its code ran them, so that a replay can tell the code changed under it
 * ({@code functions.WorkflowRuntime} checks each number's name).</li>
 * </ul>
 * A step is recorded once: the first record stays ("on conflict do nothing").
 */
@ApplicationScoped
public class StepRecorder implements Steps {

    /** A workflow's step as recorded: its place in the replay, its name and its result. */
    public record Numbered(int seq, String name, String result) {
    }

    /** A workflow's steps have no consumer: its call id is unique across the service. */
    private static final String NO_CONSUMER = "";

    private static final String RECORD = """
            insert into errand_step (consumer, owner_id, seq, name, result, compensation, started_at)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";

    /**
     * A workflow's step, with the attempts that threw before this one (kept on its call's row while the
     * step failed, {@code CallStore#stepFailed}): read in the same statement, so a step that works first
     * time costs no more than before.
     */
    private static final String RECORD_WORKFLOW_STEP = """
            insert into errand_step (consumer, owner_id, seq, name, result, compensation, started_at, attempts)
            select '', ?, ?, ?, ?, ?, coalesce(c.failing_since, ?), 1 + coalesce(c.failing_attempts, 0)
            from (values (1)) as one left join errand_call c on c.id = ? and c.failing_seq = ?
            on conflict do nothing""";

    /** A workflow's steps done, then the one failing now (retried, not recorded yet), in replay order. */
    private static final String HISTORY = """
            select seq, name, compensation, started_at, done_at, attempts, null from errand_step
            where consumer = '' and owner_id = ? and seq is not null
            union all
            select c.failing_seq, c.current_step, false, c.failing_since, null, c.failing_attempts, c.failing_error
            from errand_call c
            where c.id = ? and c.failing_seq is not null
              and not exists (select 1 from errand_step s where s.owner_id = c.id and s.seq = c.failing_seq)
            order by 1""";

    private final DataSource dataSource;
    private final OutsideTransaction outsideTransaction;

    @Inject
    public StepRecorder(AgroalDataSource dataSource, OutsideTransaction outsideTransaction) {
        this((DataSource) dataSource, outsideTransaction);
    }

    /** On another database than the service's (the upgrade test reads one migrated from an old schema). */
    public StepRecorder(DataSource dataSource, OutsideTransaction outsideTransaction) {
        this.dataSource = dataSource;
        this.outsideTransaction = outsideTransaction;
    }

    // A task's steps: each read and record commits on its own, at once, whatever the handler's
    // transaction then does.

    @Override
    public String once(String consumer, String messageId, String step, Callable<String> work) throws Exception {
        Optional<String> recorded = QuarkusTransaction.requiringNew().call(() -> find(consumer, messageId, step));
        if (recorded.isPresent()) {
            return recorded.get();
        }
        Instant started = Instant.now();
        String result = outsideTransaction.call(work);
        QuarkusTransaction.requiringNew().run(() -> insert(consumer, messageId, step, result, started));
        return result;
    }

    @Override
    public List<Done> done(String consumer, String messageId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement query = connection.prepareStatement("""
                            select name, result, done_at from errand_step
                            where consumer = ? and owner_id = ? and seq is null
                            order by done_at, name""")) {
                query.setString(1, consumer);
                query.setString(2, messageId);
                List<Done> steps = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        steps.add(new Done(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant()));
                    }
                }
                return steps;
            }
        });
    }

    private Optional<String> find(String consumer, String messageId, String step) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select result from errand_step where consumer = ? and owner_id = ? and name = ? and seq is null""")) {
            query.setString(1, consumer);
            query.setString(2, messageId);
            query.setString(3, step);
            try (ResultSet rows = query.executeQuery()) {
                // A null result was recorded as done, and reads as "null", as it always has.
                return rows.next() ? Optional.of(String.valueOf(rows.getString(1))) : Optional.empty();
            }
        }
    }

    // A workflow's steps: these join the caller's transaction, which decides what commits with them.

    /** The steps a workflow has recorded, by number: what its replay returns instead of running them. */
    public Map<Integer, Numbered> replay(String callId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select seq, name, result from errand_step where owner_id = ? and seq is not null")) {
            query.setString(1, callId);
            Map<Integer, Numbered> steps = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    steps.put(rows.getInt(1), new Numbered(rows.getInt(1), rows.getString(2), rows.getString(3)));
                }
            }
            return steps;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the steps of workflow " + callId, e);
        }
    }

    /**
     * Forgets a workflow's steps from number {@code fromSeq} on: a restarted workflow runs them again
     * (and records them again, "on conflict do nothing" keeping only a first record).
     */
    public int forget(String callId, int fromSeq) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "delete from errand_step where consumer = ? and owner_id = ? and seq >= ?")) {
            delete.setString(1, NO_CONSUMER);
            delete.setString(2, callId);
            delete.setInt(3, fromSeq);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not forget the steps of workflow " + callId, e);
        }
    }

    /** Records step {@code seq} of a workflow, unless that number is recorded already. */
    public void record(String callId, int seq, String name, String result) {
        record(callId, seq, name, result, Instant.now());
    }

    /**
     * Records step {@code seq} of a workflow, begun at {@code startedAt} (its first attempt's start when
     * earlier attempts threw), unless that number is recorded already.
     */
    public void record(String callId, int seq, String name, String result, Instant startedAt) {
        insertWorkflowStep(callId, seq, name, result, false, startedAt);
    }

    /** Records a step of a workflow's compensation ({@code Workflow.compensate}), marked as such. */
    public void recordCompensation(String callId, int seq, String name, String result, Instant startedAt) {
        insertWorkflowStep(callId, seq, name, result, true, startedAt);
    }

    /** A workflow's steps, with their start, end, attempts and duration; the failing one last, unfinished. */
    public List<CallStep> history(String callId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(HISTORY)) {
            query.setString(1, callId);
            query.setString(2, callId);
            List<CallStep> steps = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    steps.add(CallStep.of(rows.getInt(1), rows.getString(2), rows.getBoolean(3),
                            instant(rows.getTimestamp(4)), instant(rows.getTimestamp(5)), rows.getInt(6),
                            rows.getString(7)));
                }
            }
            return steps;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the steps of workflow " + callId, e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private void insertWorkflowStep(String callId, int seq, String name, String result, boolean compensation,
            Instant startedAt) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(RECORD_WORKFLOW_STEP)) {
            insert.setString(1, callId);
            insert.setInt(2, seq);
            insert.setString(3, name);
            insert.setString(4, result);
            insert.setBoolean(5, compensation);
            insert.setTimestamp(6, Timestamp.from(startedAt));
            insert.setString(7, callId);
            insert.setInt(8, seq);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record step " + name + " of " + callId, e);
        }
    }

    private void insert(String consumer, String ownerId, String name, String result, Instant startedAt) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setString(1, consumer);
            insert.setString(2, ownerId);
            insert.setNull(3, Types.INTEGER);
            insert.setString(4, name);
            insert.setString(5, result);
            insert.setBoolean(6, false);
            insert.setTimestamp(7, Timestamp.from(startedAt));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record step " + name + " of " + ownerId, e);
        }
    }
}
