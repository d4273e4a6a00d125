package dev.errand.apps.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import dev.errand.testing.Rows;


/**
 * The service's database gone, as the service sees it: no new connection is allowed into its
 * database and every open one is cut. One session of the test's own stays, to let them in again on
 * {@link #close()}. The same shared server keeps running, so nothing has to start again.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final Connection admin;
    private final String database;

    private DatabaseOutage(Connection admin, String database) {
        this.admin = admin;
        this.database = database;
    }

    public static DatabaseOutage begin() {
        try {
            String database;
            try (Connection service = Rows.connect(null)) {
                database = service.getCatalog();
            }
            // A database cannot close itself to connections: the admin session sits in another one.
            Connection admin = Rows.connect("template1");
            try (Statement statement = admin.createStatement()) {
                statement.execute("alter database \"" + database + "\" allow_connections false");
                // pg_terminate_backend only signals: the outage begins once every session has gone.
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                    statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                            + database + "'");
                    try (var rows = statement.executeQuery(
                            "select count(*) from pg_stat_activity where datname = '" + database + "'")) {
                        rows.next();
                        return rows.getLong(1) == 0;
                    }
                });
            }
            return new DatabaseOutage(admin, database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take the database away", e);
        }
    }

    @Override
    public void close() {
        try (Statement statement = admin.createStatement()) {
            statement.execute("alter database \"" + database + "\" allow_connections true");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not give the database back", e);
        } finally {
            try {
                admin.close();
            } catch (SQLException ignored) {
                // The outage is over either way.
            }
        }
    }
}
