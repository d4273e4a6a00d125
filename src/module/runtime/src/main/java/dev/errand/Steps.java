package dev.errand;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.OutsideTransaction;
import dev.errand.Task;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Multi-step work that resumes where it stopped. Each step of a message is recorded, with its
 * result, in its own transaction as soon as it is done; a later attempt or redelivery of the message
 * skips the recorded steps and goes on from the first missing one.
 * <p>
 * A step's work runs outside the handler's transaction (it is usually a remote call). If the
 * process dies after the work but before the record, the step runs again: make its work idempotent,
 * for example by passing {@link #key} to the remote system as an idempotency key.
 */
@ApplicationScoped
public class Steps {

    /** One recorded step. */
    public record Done(String step, String result, Instant doneAt) {
    }

    private static final String FIND = """
            select result from errand_step where consumer = ? and message_id = ? and step = ?""";
    private static final String RECORD = """
            insert into errand_step (consumer, message_id, step, result, done_at) values (?, ?, ?, ?, now())
            on conflict do nothing""";

    private final AgroalDataSource dataSource;
    private final OutsideTransaction outsideTransaction;

    public Steps(AgroalDataSource dataSource, OutsideTransaction outsideTransaction) {
        this.dataSource = dataSource;
        this.outsideTransaction = outsideTransaction;
    }

    /** A key for {@code step} of this task, stable across attempts and redeliveries. */
    public static String key(Task<?> task, String step) {
        // An outside sender's message keeps its steps apart: it cannot take a service message's keys.
        return task.origin().idempotencyId(task.messageId()) + ":" + step;
    }

    /**
     * Runs {@code step} once for this task and consumer, or returns the result recorded by an earlier
     * attempt.
     */
    String run(String consumer, Task<?> task, String step, Callable<String> work) throws Exception {
        String id = task.origin().idempotencyId(task.messageId());
        Optional<String> recorded = QuarkusTransaction.requiringNew().call(() -> find(consumer, id, step));
        if (recorded.isPresent()) {
            return recorded.get();
        }
        String result = outsideTransaction.call(work);
        QuarkusTransaction.requiringNew().run(() -> record(consumer, id, step, result));
        return result;
    }

    /** The steps recorded for a message, in the order they were done. */
    public List<Done> done(String consumer, String messageId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement query = connection.prepareStatement("""
                            select step, result, done_at from errand_step where consumer = ? and message_id = ?
                            order by done_at, step""")) {
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
                PreparedStatement query = connection.prepareStatement(FIND)) {
            query.setString(1, consumer);
            query.setString(2, messageId);
            query.setString(3, step);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(String.valueOf(rows.getString(1))) : Optional.empty();
            }
        }
    }

    private void record(String consumer, String messageId, String step, String result) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setString(1, consumer);
            insert.setString(2, messageId);
            insert.setString(3, step);
            insert.setString(4, result);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record step " + step + " of " + messageId, e);
        }
    }
}
