package dev.errand.it.work;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.OutsideSenders;
import dev.errand.PermanentFailure;
import dev.errand.Task;
import dev.errand.internal.idempotency.ProcessedMessage;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/**
 * The group-commit tests' consumer. Every attempt writes, in Errand's transaction, a row through JDBC
 * ({@code batch_probe}: the attempt and the transaction it ran in) and an entity through the
 * transaction-scoped Hibernate session (a processed-message marker of a consumer nobody runs, keyed by
 * the attempt), before it fails when the message asks. What committed shows what each attempt left.
 */
@ApplicationScoped
public class BatchProbe {

    public static final String CHANNEL = "test-batch";
    public static final String QUEUE = "errand.test-batch";
    /** The consumer name of the entities the handler persists. */
    public static final String ENTITY_CONSUMER = "test-batch-entity";

    private final AgroalDataSource dataSource;
    private final EntityManager em;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    public BatchProbe(AgroalDataSource dataSource, EntityManager em) {
        this.dataSource = dataSource;
        this.em = em;
    }

    void createTable(@Observes StartupEvent startup) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    create table if not exists batch_probe (
                        attempt_id text   primary key,
                        message    text   not null,
                        tx         bigint not null,
                        conflict   text,
                        constraint batch_probe_conflict unique (conflict) deferrable initially deferred)""");
        }
    }

    @OutsideSenders
    @Incoming(CHANNEL)
    void handle(BatchWork work, Task<BatchWork> task) throws Exception {
        runs.computeIfAbsent(work.id(), any -> new AtomicInteger()).incrementAndGet();
        String attempt = work.id() + ":" + task.attempt();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into batch_probe (attempt_id, message, tx, conflict) values (?, ?, txid_current(), ?)")) {
            insert.setString(1, attempt);
            insert.setString(2, work.id());
            insert.setString(3, work.conflictAtCommit() ? "conflict" : null);
            insert.executeUpdate();
            if (work.conflictAtCommit()) {
                insert.setString(1, attempt + ":again");
                insert.executeUpdate();
            }
        }
        ProcessedMessage entity = new ProcessedMessage();
        entity.key = new ProcessedMessage.Key(ENTITY_CONSUMER, attempt);
        entity.processedAt = Instant.now();
        em.persist(entity);
        if (task.attempt() <= work.failures()) {
            if (work.permanent()) {
                throw new PermanentFailure("planned permanent failure of " + work.id());
            }
            throw new IllegalStateException("planned failure of " + work.id() + ", attempt " + task.attempt());
        }
    }

    /** How many times the handler ran for {@code id}, committed or not. */
    public int runs(String id) {
        AtomicInteger count = runs.get(id);
        return count == null ? 0 : count.get();
    }

    public void clear() {
        runs.clear();
    }
}
