package dev.errand.internal.retention;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.internal.flow.BackgroundPermits;
import io.agroal.api.AgroalDataSource;

/**
 * Builds the indexes the sweep walks ({@link HistoryKind#index}), {@code concurrently}, so that a table
 * of tens of millions of markers takes its inserts while its index is made. Not a Flyway migration:
 * Flyway holds its lock in an open transaction, which {@code CREATE INDEX CONCURRENTLY} waits for
 * (flyway/flyway#3682), and its session lock instead would stay behind on a server connection of
 * PgBouncer's transaction mode. So the sweep builds them itself, one at a time, outside any
 * transaction, before it sweeps that kind; a replica that finds one being built leaves it to its
 * builder, and an invalid one left by a builder that died is dropped and built again. A replica with
 * {@code errand.retention.enabled=false} builds none.
 */
@ApplicationScoped
public class RetentionIndexes {

    private static final Logger LOG = Logger.getLogger(RetentionIndexes.class);

    private static final String DATASOURCE = "quarkus.datasource.";
    private static final String JDBC_PROPERTIES = DATASOURCE + "jdbc.additional-jdbc-properties.";

    private final AgroalDataSource dataSource;
    private final BackgroundPermits permits;
    private final Config config;
    private final EnumSet<HistoryKind> ready = EnumSet.noneOf(HistoryKind.class);

    RetentionIndexes(AgroalDataSource dataSource, BackgroundPermits permits, Config config) {
        this.dataSource = dataSource;
        this.permits = permits;
        this.config = config;
    }

    /** @return the kinds whose index is there and valid, building what is missing first */
    synchronized Set<HistoryKind> ensure() {
        return check(true);
    }

    /** @return the kinds whose index is there and valid, building nothing */
    synchronized Set<HistoryKind> valid() {
        return check(false);
    }

    private Set<HistoryKind> check(boolean build) {
        for (HistoryKind kind : HistoryKind.values()) {
            if (!ready.contains(kind) && ensure(kind, build)) {
                ready.add(kind);
            }
        }
        return EnumSet.copyOf(ready);
    }

    private boolean ensure(HistoryKind kind, boolean build) {
        try (Connection connection = dataSource.getConnection()) {
            Boolean valid = valid(connection, kind);
            if (Boolean.TRUE.equals(valid) || !build) {
                return Boolean.TRUE.equals(valid);
            }
            if (Boolean.FALSE.equals(valid) && beingBuilt(connection, kind)) {
                return false;
            }
        } catch (SQLException e) {
            LOG.debugf("Retention: could not look at index %s (%s)", kind.index, e.getMessage());
            return false;
        }
        // The build holds a connection for as long as it takes: a background permit's worth of the budget.
        if (!acquirePermit()) {
            return false;
        }
        try (Connection connection = untimedConnection()) {
            Boolean valid = valid(connection, kind);
            if (Boolean.FALSE.equals(valid)) {
                if (beingBuilt(connection, kind)) {
                    return false;
                }
                LOG.infof("Retention: index %s was left invalid by a build that did not finish; building it again",
                        kind.index);
                execute(connection, "drop index concurrently if exists " + kind.index);
            }
            long started = System.nanoTime();
            LOG.infof("Retention: building index %s on %s, concurrently (inserts go on meanwhile)", kind.index,
                    kind.indexOn);
            execute(connection, "create index concurrently if not exists " + kind.index + " on " + kind.indexOn);
            LOG.infof("Retention: index %s built in %d ms", kind.index, (System.nanoTime() - started) / 1_000_000);
            return Boolean.TRUE.equals(valid(connection, kind));
        } catch (SQLException e) {
            // Another replica started the same build at the same moment, or the database is away: next pass.
            LOG.warnf("Retention: index %s not built (%s); trying again at the next pass", kind.index, e.getMessage());
            return false;
        } finally {
            permits.release();
        }
    }

    /** @return null when there is no such index */
    private static Boolean valid(Connection connection, HistoryKind kind) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                select i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid
                where c.relname = ? and pg_table_is_visible(c.oid)""")) {
            query.setString(1, kind.index);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getBoolean(1) : null;
            }
        }
    }

    private static boolean beingBuilt(Connection connection, HistoryKind kind) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                select 1 from pg_stat_progress_create_index p join pg_class c on c.oid = p.index_relid
                where c.relname = ?""")) {
            query.setString(1, kind.index);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * A connection of its own, outside the pool, with no statement timeout: a large table's build takes
     * minutes, and cancelling it leaves an invalid index to build again. The timeout is lifted by a
     * startup option ({@code options=-c statement_timeout=0}), not by {@code SET}, which PgBouncer's
     * transaction mode would leave behind on a server connection for another client; behind PgBouncer
     * (which ignores the option) the role's own timeout applies (docs/operations/running.md).
     */
    private Connection untimedConnection() throws SQLException {
        Properties properties = new Properties();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(JDBC_PROPERTIES)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> properties.setProperty(name.substring(JDBC_PROPERTIES.length()), value));
            }
        }
        config.getOptionalValue(DATASOURCE + "username", String.class).ifPresent(user -> properties.setProperty("user", user));
        config.getOptionalValue(DATASOURCE + "password", String.class)
                .ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", "errand-retention-index");
        String url = config.getValue(DATASOURCE + "jdbc.url", String.class);
        Properties untimed = new Properties();
        untimed.putAll(properties);
        // Added to the service's own options (a search_path, say), which still apply.
        untimed.setProperty("options", (properties.getProperty("options", "") + " -c statement_timeout=0").strip());
        try {
            return DriverManager.getConnection(url, untimed);
        } catch (SQLException refused) {
            // PgBouncer refuses a startup option it does not track: connect as the service does, timeout and all.
            LOG.warnf("Retention: the database refused the startup option that lifts statement_timeout for the index"
                    + " build (%s); building under the usual timeout, which a large table may exceed (see"
                    + " docs/operations/running.md, \"The indexes\")", refused.getMessage());
            return DriverManager.getConnection(url, properties);
        }
    }

    /** Outside a transaction, as {@code concurrently} must be. */
    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private boolean acquirePermit() {
        try {
            return permits.acquire(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
