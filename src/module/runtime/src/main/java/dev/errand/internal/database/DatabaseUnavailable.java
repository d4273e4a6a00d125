package dev.errand.internal.database;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;

import org.hibernate.exception.JDBCConnectionException;

/**
 * Whether an error means the database cannot be reached, or did not answer in time, rather than that
 * the request is wrong or the code broken: the client should come back, so it is a 503 with
 * {@code Retry-After}, not a 500. A hung database shows only as timeouts (the pool's acquisition
 * timeout, pgjdbc's socket and login timeouts, the server's statement timeout), so each counts.
 */
public final class DatabaseUnavailable {

    public static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseUnavailable() {
    }

    public static boolean causedBy(Throwable error) {
        return noConnection(error) || timedOut(error);
    }

    /**
     * Waits the database did not answer in time: pgjdbc's socket timeout, the server's statement
     * timeout (SQLSTATE 57014, or Hibernate's and JPA's own exception for it), and the rest of the
     * classes 53 (insufficient resources) and 57P (operator intervention).
     */
    private static boolean timedOut(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTimeoutException || t instanceof SocketTimeoutException
                    || t instanceof org.hibernate.QueryTimeoutException
                    || t instanceof jakarta.persistence.QueryTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("53")
                    || sql.getSQLState().startsWith("57P") || "57014".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Narrower than {@link #causedBy}, for the consumers: whether the error says this process got no
     * connection at all (the pool's acquisition timeout, a refused or failed connection, no free
     * slot, a server shutting down or closed to connections). A statement that timed out, or a
     * handler's own socket timeout, is an attempt that failed like any other, not an outage.
     */
    public static boolean noConnection(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (poolTimedOut(sql) || (state != null && (state.startsWith("08") || "53300".equals(state)
                        || "57P01".equals(state) || "57P02".equals(state) || "57P03".equals(state)
                        || ("55000".equals(state) && String.valueOf(sql.getMessage()).contains("not currently accepting"))))) {
                    return true;
                }
            }
            if (t.getMessage() != null && (t.getMessage().startsWith("Unable to acquire JDBC Connection")
                    || t.getMessage().startsWith("Interrupted while attempting to connect"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Agroal's acquisition timeout has no SQLSTATE, only its words: "Sorry, acquisition timeout!" when
     * every connection is busy, "Acquisition timeout while waiting for new connection" when a new one
     * does not come in time.
     */
    private static boolean poolTimedOut(SQLException sql) {
        return sql.getSQLState() == null && sql.getMessage() != null
                && sql.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout");
    }
}
