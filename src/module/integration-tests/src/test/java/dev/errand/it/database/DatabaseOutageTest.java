package dev.errand.it.database;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.internal.database.ConnectionBudget;
import dev.errand.internal.flow.BackgroundPermits;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import dev.errand.testing.AnySender;
import dev.errand.testing.Broker;
import dev.errand.testing.Rows;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A replica that the database gives no connection holds no work: its consumers pause and give their
 * messages back, no run counts as an attempt, and all of it runs once a connection comes again. The
 * pool is sized from what the replica runs.
 */
@QuarkusTest
class DatabaseOutageTest {

    @Inject
    WorkLog log;

    @Inject
    ConnectionBudget budget;

    @Inject
    BackgroundPermits background;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @BeforeEach
    void clearLog() {
        log.clear();
    }

    @Test
    void aConsumerWithoutConnectionsGivesItsMessagesBackAndRunsThemOnceWhenConnectionsReturn() throws Exception {
        try (Connection admin = Rows.connect("template1")) {
            closeDatabase(admin, true);
            try (AnySender sender = new AnySender()) {
                sender.sendAll(TestWorkProcessor.ONCE_QUEUE, IntStream.range(0, 20)
                        .mapToObj(i -> TestWorkMessages.work("outage-" + i).build()).toList());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> pausedFor().contains("DATABASE_UNAVAILABLE"));
            // Nothing held here, nothing ran, nothing dead-lettered: all 20 are the broker's.
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer().getInt("waiting") == 0
                    && consumer().getInt("running") == 0);
            assertTrue(log.attempts().isEmpty(), "no handler ran without its marker: " + log.attempts());
            assertEquals(20, Broker.depth(TestWorkProcessor.ONCE_QUEUE), "every message is still on the broker");
        } finally {
            try (Connection admin = Rows.connect("template1")) {
                closeDatabase(admin, false);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> log.succeeded().size() == 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> !pausedFor().contains("DATABASE_UNAVAILABLE"));
        assertEquals(20, log.attempts().size(), "each ran once");
        assertTrue(log.attempts().stream().allMatch(attempt -> attempt.attempt() == 1),
                "the runs that got no connection were no attempts (max-attempts is 1 here): " + log.attempts());
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth(TestWorkProcessor.ONCE_QUEUE) == 0);
    }

    /**
     * This service sets its pool (50) below what its many test consumers would take (one connection
     * per worker): they share what the requests and Errand's loops leave, so no run waits on the pool.
     */
    @Test
    void aPoolTheServiceSetsBelowItsConsumersNeedCapsThemTogether() {
        ConnectionBudget.Budget decided = budget.budget();
        assertEquals(background.wanted(), decided.consumers(), "one connection per consumer worker");
        assertTrue(decided.consumers() > 50, "this service's consumers want more than its pool: " + decided);
        assertEquals(50, decided.connections());
        assertEquals(50, dataSource.getConfiguration().connectionPoolConfiguration().maxSize());
        assertEquals(50 - decided.ownLoops() - decided.requests(), decided.background());
        assertEquals(decided.background(), background.ceiling(), "the consumers together hold at most that many");
    }

    /** Closes the service's database to new connections and ends its open ones, or opens it again. */
    private void closeDatabase(Connection admin, boolean closed) throws SQLException {
        String database = url.replaceFirst(".*/([^/?]+)(\\?.*)?$", "$1");
        try (Statement statement = admin.createStatement()) {
            statement.execute("alter database \"" + database + "\" allow_connections " + !closed);
            if (closed) {
                statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database
                        + "' and pid <> pg_backend_pid()");
            }
        }
    }

    private JsonPath consumer() {
        return asViewer().get("/errand/consumers").then().statusCode(200).extract().jsonPath()
                .setRootPath("find { it.channel == '" + TestWorkProcessor.ONCE + "' }");
    }

    private List<String> pausedFor() {
        return consumer().getList("pausedFor", String.class);
    }
}
