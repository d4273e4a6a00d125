package dev.errand.internal.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * Builds the indexes the sweep walks ({@link HistoryKind#index}), {@code concurrently}, so that a table
 * of tens of millions of markers takes its inserts while its index is made. Not a Flyway migration:
 * Flyway holds its lock in an open transaction, which {@code CREATE INDEX CONCURRENTLY} waits for
 * (flyway/flyway#3682), and its session lock instead would stay behind on a server connection of
 * PgBouncer's transaction mode. So the sweep builds them itself, one at a time, outside any
 * transaction, before it sweeps that kind; a replica that finds one being built leaves it to its
 * builder, and an invalid one left by a builder that died is dropped and built again.
 */
@ApplicationScoped
public class RetentionIndexes {

    private static final Logger LOG = Logger.getLogger(RetentionIndexes.class);

    private final AgroalDataSource dataSource;
    private final EnumSet<HistoryKind> ready = EnumSet.noneOf(HistoryKind.class);

    RetentionIndexes(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return the kinds whose index is there and valid, building what is missing first */
    synchronized Set<HistoryKind> ensure() {
        for (HistoryKind kind : HistoryKind.values()) {
            if (!ready.contains(kind) && ensure(kind)) {
                ready.add(kind);
            }
        }
        return EnumSet.copyOf(ready);
    }

    private boolean ensure(HistoryKind kind) {
        try (Connection connection = dataSource.getConnection()) {
            Boolean valid = valid(connection, kind);
            if (Boolean.TRUE.equals(valid)) {
                return true;
            }
            if (Boolean.FALSE.equals(valid)) {
                if (beingBuilt(connection, kind)) {
                    return false;
                }
                LOG.infof("Retention: index %s was left invalid by a build that did not finish; building it again",
                        kind.index);
                untimed(connection, "drop index concurrently if exists " + kind.index);
            }
            long started = System.nanoTime();
            LOG.infof("Retention: building index %s on %s, concurrently (inserts go on meanwhile)", kind.index,
                    kind.indexOn);
            untimed(connection, "create index concurrently if not exists " + kind.index + " on " + kind.indexOn);
            LOG.infof("Retention: index %s built in %d ms", kind.index, (System.nanoTime() - started) / 1_000_000);
            return Boolean.TRUE.equals(valid(connection, kind));
        } catch (SQLException e) {
            // Another replica started the same build at the same moment, or the database is away: next pass.
            LOG.debugf("Retention: index %s not ready (%s)", kind.index, e.getMessage());
            return false;
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
     * Outside a transaction (as {@code concurrently} must be), without the service's statement timeout:
     * a large table's build takes minutes, and cancelling it leaves an invalid index to build again.
     */
    private static void untimed(Connection connection, String sql) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("set statement_timeout = 0");
            try {
                statement.execute(sql);
            } finally {
                statement.execute("reset statement_timeout");
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
