package dev.errand.internal.functions;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import dev.errand.Outbox;
import io.agroal.api.AgroalDataSource;

/**
 * Fan-in that wakes instead of polling: a child's end is counted in its parent in the transaction that
 * records the end, and the child that brings the count to the number the waiting parent is to be woken at
 * writes the parent's wake-up in that same transaction. A slow poll ({@code errand.workflows.poll-interval})
 * stays as a safety net: a count that misses (a failed child replayed, say) only delays the parent.
 * <p>
 * The counts of a transaction are written just before it commits, sorted by parent, so that two
 * transactions ending children of the same parents lock them in one order and never wait for each other;
 * the parent's row is locked only from there to the commit.
 */
@ApplicationScoped
public class ParentWakeups {

    private static final Object ENDED = new Object();

    private final AgroalDataSource dataSource;
    private final TransactionSynchronizationRegistry registry;
    private final Outbox outbox;
    private final WorkflowsConfig config;
    private final CallStore store;

    ParentWakeups(AgroalDataSource dataSource, TransactionSynchronizationRegistry registry, Outbox outbox,
            WorkflowsConfig config, CallStore store) {
        this.store = store;
        this.dataSource = dataSource;
        this.registry = registry;
        this.outbox = outbox;
        this.config = config;
    }

    /** A call ended (succeeded or failed) in the current transaction. */
    void ended(String callId) {
        if (!config.fanInWakeUp()) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<String> ended = (List<String>) registry.getResource(ENDED);
        if (ended == null) {
            List<String> fresh = new ArrayList<>();
            registry.putResource(ENDED, fresh);
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    count(fresh);
                }

                @Override
                public void afterCompletion(int status) {
                }
            });
            ended = fresh;
        }
        ended.add(callId);
    }

    private void count(List<String> ended) {
        if (registry.getRollbackOnly()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            for (CallStore.ParentToWake parent : store.countEnded(connection, ended)) {
                outbox.enqueue(ResumeMessage.wakeUp(parent.id(), parent.function(), "children:" + parent.done()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the end of durable calls in their parents", e);
        }
    }
}
