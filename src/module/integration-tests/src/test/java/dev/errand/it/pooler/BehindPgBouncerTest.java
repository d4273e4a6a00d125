package dev.errand.it.pooler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.errand.Origin;
import dev.errand.internal.schema.ErrandSchema;
import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import dev.errand.testing.AnySender;
import dev.errand.testing.Broker;
import dev.errand.testing.PgBouncer;
import dev.errand.testing.Rows;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.amqp.AmqpMessage;

/**
 * Errand behind PgBouncer in transaction mode (Debian's, on loopback), as k8s/overlays/prod runs it:
 * each transaction of the service may run on another of PgBouncer's few server connections, so
 * nothing Errand relies on may live in a server session longer than a transaction (named prepared
 * statements, session advisory locks, SET). The service's datasource knows only the pooler's address.
 * <p>
 * A profile of its own: the whole application, Flyway's migration at start included, runs through
 * the pooler, on a database of its own. Artemis only: what is under test is the database path.
 */
@QuarkusTest
@TestProfile(BehindPgBouncerTest.TransactionPooling.class)
@ExtendWith(PgBouncer.InstalledOrCi.class)
class BehindPgBouncerTest {

    public static class TransactionPooling implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PgBouncerServersResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            // The servers come from PgBouncerServersResource, which starts them as the global resource does.
            return true;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    WorkLog log;

    @BeforeEach
    void clean() {
        log.clear();
    }

    @Test
    void theServiceMigratedItsTablesThroughThePoolerAndFlywaysLockEndedWithItsTransaction() throws Exception {
        String pooler = ":" + config(PgBouncerServersResource.POOLER_PORT) + "/";
        assertTrue(config("quarkus.datasource.jdbc.url").contains(pooler),
                "the service's datasource points at PgBouncer");
        try (Connection direct = direct(); Statement statement = direct.createStatement()) {
            // A fresh database, so every one of Errand's migrations ran through the pooler at start.
            assertEquals(ErrandSchema.MIGRATIONS.size(), count(statement, "select count(*) from errand_schema_history"
                    + " where success and version is not null and version <> '0'"));
            // Flyway's PostgreSQL lock is pg_try_advisory_xact_lock (postgresql.transactional.lock's default):
            // it went with the migration's transaction. A session lock would be left behind on whichever
            // server connection took it, while the unlock ran on another.
            assertEquals(0, count(statement, "select count(*) from pg_locks where locktype = 'advisory'"));
        }
    }

    @Test
    void theStatementTimeoutHoldsBehindThePoolerThatDropsItsStartupParameter() throws Exception {
        // Errand asks for it with options=-c statement_timeout=60s, which the pooler must ignore; the
        // role's setting gives it to every server connection instead.
        try (Connection connection = dataSource.getConnection()) {
            assertEquals("1min", Rows.setting(connection, "statement_timeout"));
        }
    }

    @Test
    void aStatementRunMoreOftenThanPrepareThresholdKeepsWorkingWhenItsConnectionMovesToAnotherServerConnection()
            throws Exception {
        // pgjdbc names a statement on the server from its fifth run on (prepareThreshold, 5 by default). Here
        // one pooled connection runs the same statement over and over, each run a transaction as Errand's
        // are (in autocommit pgjdbc would quietly prepare it again), while another connection takes, between
        // its runs, the server connection it last used: PgBouncer hands the most recently used one out first.
        Set<Integer> serversSeen = new HashSet<>();
        try (Connection moving = dataSource.getConnection();
                PreparedStatement backend = moving.prepareStatement("select pg_backend_pid() where ? > 0")) {
            moving.setAutoCommit(false);
            for (int round = 0; round < 20 && serversSeen.size() < 3; round++) {
                for (int run = 0; run < 6; run++) {
                    serversSeen.add(backendOf(backend));
                    moving.commit();
                }
                try (Connection other = dataSource.getConnection()) {
                    other.setAutoCommit(false);
                    try (Statement hold = other.createStatement()) {
                        hold.execute("select 1");
                        serversSeen.add(backendOf(backend));
                        moving.commit();
                    }
                    other.rollback();
                }
            }
        }
        // 6 runs a round, 20 rounds at most: past the threshold on every server connection it ran on.
        assertTrue(serversSeen.size() >= 2, "one client connection ran on server connections " + serversSeen);
    }

    @Test
    void messagesAreProcessedOnceAndTheirDuplicatesSkippedWhileTheirTransactionsShareFewServerConnections()
            throws Exception {
        String run = "pgb-" + System.nanoTime();
        List<AmqpMessage> messages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            messages.add(TestWorkMessages.work(run + "-" + i).build());
        }
        try (AnySender sender = new AnySender()) {
            sender.sendAll(TestWorkProcessor.PARALLEL_QUEUE, messages);
            await().atMost(Duration.ofSeconds(60)).until(() -> log.succeeded().size() >= 200);
            // The same 50 again, as a sender that lost its acknowledgements would send them: the markers,
            // written through the pooler, make the handler skip them.
            sender.sendAll(TestWorkProcessor.PARALLEL_QUEUE, messages.subList(0, 50));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Broker.depth(TestWorkProcessor.PARALLEL_QUEUE) == 0);
        Map<String, Long> runs = log.succeeded().stream()
                .collect(Collectors.groupingBy(WorkLog.Attempt::id, Collectors.counting()));
        assertEquals(200, runs.size());
        assertTrue(runs.values().stream().allMatch(count -> count == 1), "each ran once: " + runs);
        for (int i = 0; i < 200; i += 17) {
            String id = TestWorkMessages.work(run + "-" + i).messageId();
            assertEquals(1, Rows.processedMarkers(em, Origin.OUTSIDE.idempotencyId(id)), id + " marked once");
        }
        // 8 handlers and the rest of the service on up to 50 client connections, over at most 4 server connections.
        long servers = serverConnections();
        assertTrue(servers >= 2 && servers <= PgBouncerServersResource.SERVER_POOL_SIZE,
                servers + " connections to PostgreSQL");
    }

    @Test
    void theOutboxRelayPublishesThroughThePoolerAndEachMessageRunsOnce() {
        String run = "pgb-outbox-" + System.nanoTime();
        // Ten transactions of five: the relay claims them (for update skip locked) in its own transactions.
        for (int t = 0; t < 10; t++) {
            int transaction = t;
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = 0; i < 5; i++) {
                    String id = run + "-" + transaction + "-" + i;
                    outbox.enqueue(OutboundMessage.json(TestWorkProcessor.PARALLEL_QUEUE, "test-work:" + id, null, null,
                            "{\"id\": \"" + id + "\"}"));
                }
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> log.succeeded().size() >= 50
                && outbox.backlog(TestWorkProcessor.PARALLEL_QUEUE).messages() == 0);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> Broker.depth(TestWorkProcessor.PARALLEL_QUEUE) == 0);
        Map<String, Long> runs = log.succeeded().stream()
                .collect(Collectors.groupingBy(WorkLog.Attempt::id, Collectors.counting()));
        assertEquals(50, runs.size(), "ran: " + runs.keySet());
        assertTrue(runs.values().stream().allMatch(count -> count == 1), "each ran once: " + runs);
    }

    private static int backendOf(PreparedStatement backend) throws SQLException {
        backend.setInt(1, 1);
        try (ResultSet row = backend.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The connections PostgreSQL serves, past the one asking: PgBouncer's, since the service has no other way in. */
    private static long serverConnections() throws SQLException {
        try (Connection direct = direct(); Statement statement = direct.createStatement()) {
            return count(statement, "select count(*) from pg_stat_activity where backend_type = 'client backend'"
                    + " and pid <> pg_backend_pid()");
        }
    }

    /** A connection straight to PostgreSQL, past the pooler: what the server itself holds. */
    private static Connection direct() throws SQLException {
        return DriverManager.getConnection(config(PgBouncerServersResource.DIRECT_URL),
                config("quarkus.datasource.username"), config("quarkus.datasource.password"));
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }
}
