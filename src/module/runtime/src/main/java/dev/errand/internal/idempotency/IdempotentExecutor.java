package dev.errand.internal.idempotency;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.hibernate.Session;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Runs work at most once per (consumer, message-id), committing the work and its marker together. */
@ApplicationScoped
public class IdempotentExecutor {

    /**
     * Where Quarkus keeps the default persistence unit's transaction-scoped session, when a handler
     * opened one ({@code TransactionScopedSession}). A batch must flush it after each message and
     * clear it after a failed one; GroupCommitTest fails if Quarkus moves it.
     */
    static final String SESSION_RESOURCE = "TransactionScopedSession-<default>";

    private final ProcessedMessageRepository markers;
    private final AgroalDataSource dataSource;
    private final TransactionSynchronizationRegistry registry;

    public IdempotentExecutor(ProcessedMessageRepository markers, AgroalDataSource dataSource,
            TransactionSynchronizationRegistry registry) {
        this.markers = markers;
        this.dataSource = dataSource;
        this.registry = registry;
    }

    /**
     * Runs the work once, in one transaction with its marker.
     *
     * @param work returns whether the message is done; when it is not (a workflow that waits), what it
     *             wrote still commits, but its marker does not, so the message runs again when it comes back
     * @return {@link Outcome#RAN}, {@link Outcome#UNFINISHED} or {@link Outcome#DUPLICATE} (it had been
     *         processed before, and the work did not run)
     */
    public Outcome runOnce(String consumer, String messageId, Callable<Boolean> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!markers.claim(consumer, messageId)) {
                return Outcome.DUPLICATE;
            }
            if (work.call()) {
                return Outcome.RAN;
            }
            markers.release(consumer, messageId);
            return Outcome.UNFINISHED;
        });
    }

    /** How one message's work ended. */
    public enum Outcome {
        /** Its work ran and committed with its marker. */
        RAN,
        /** It had been processed before (or is twice in the batch): its work did not run. */
        DUPLICATE,
        /** Its work committed without its marker: it is not done, and runs again when it comes back. */
        UNFINISHED,
        /** Its work threw; the work and the marker were rolled back, the rest of the batch was not. */
        FAILED,
        /** Nothing of it was committed (the commit failed, or a failure doomed the transaction). */
        NOT_COMMITTED
    }

    public record Result(Outcome outcome, Throwable failure) {
        static final Result RAN = new Result(Outcome.RAN, null);
        static final Result DUPLICATE = new Result(Outcome.DUPLICATE, null);
        static final Result UNFINISHED = new Result(Outcome.UNFINISHED, null);
    }

    /**
     * Group commit: runs each message's work at most once, all in one transaction, which commits the
     * markers and the work of those that succeeded. Each message runs under a savepoint, so one that
     * fails is rolled back alone (its marker too) and the others still commit. Every message gets
     * exactly one result; nothing is committed for a message whose result is not {@code RAN} or
     * {@code UNFINISHED}.
     *
     * @param messageIds the messages, in the order their work runs
     * @param works      one per message, each returning whether its message is done (as in {@link #runOnce})
     */
    public List<Result> runBatch(String consumer, List<String> messageIds, List<? extends Callable<Boolean>> works) {
        int size = messageIds.size();
        Result[] results = new Result[size];
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Set<String> claimed = markers.claimAll(consumer, messageIds);
                Set<String> taken = new HashSet<>();
                try (Connection connection = dataSource.getConnection()) {
                    for (int i = 0; i < size; i++) {
                        String id = messageIds.get(i);
                        if (!claimed.contains(id) || !taken.add(id)) {
                            results[i] = Result.DUPLICATE;
                        } else if (QuarkusTransaction.isRollbackOnly()) {
                            // An earlier failure doomed the transaction: the rest run on their own.
                            results[i] = new Result(Outcome.NOT_COMMITTED, null);
                        } else {
                            results[i] = runUnderSavepoint(connection, consumer, id, works.get(i));
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("Could not run a batch of " + consumer, e);
                }
            });
        } catch (RuntimeException notCommitted) {
            for (int i = 0; i < size; i++) {
                if (results[i] == null || results[i].outcome() == Outcome.RAN
                        || results[i].outcome() == Outcome.UNFINISHED) {
                    results[i] = new Result(Outcome.NOT_COMMITTED, notCommitted);
                }
            }
        }
        return new ArrayList<>(List.of(results));
    }

    private Result runUnderSavepoint(Connection connection, String consumer, String messageId, Callable<Boolean> work)
            throws SQLException {
        // In SQL: the pool refuses the JDBC savepoint calls on a connection enlisted in a transaction.
        // The name is reused: a rollback goes to the latest, which is this message's.
        try (Statement statement = connection.createStatement()) {
            statement.execute("savepoint errand_message");
        }
        try {
            boolean done = work.call();
            Session session = session();
            if (session != null) {
                // Written now, so a later message's failure cannot take this one's entities with it.
                session.flush();
            }
            if (!done) {
                markers.release(consumer, messageId);
                return Result.UNFINISHED;
            }
            return Result.RAN;
        } catch (Exception | Error failure) {
            if (QuarkusTransaction.isRollbackOnly()) {
                return new Result(Outcome.NOT_COMMITTED, failure);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("rollback to savepoint errand_message");
            }
            Session session = session();
            if (session != null) {
                // Its unflushed entities must not reach the commit; the earlier ones are flushed.
                session.clear();
            }
            markers.release(consumer, messageId);
            return new Result(Outcome.FAILED, failure);
        }
    }

    private Session session() {
        return (Session) registry.getResource(SESSION_RESOURCE);
    }
}
