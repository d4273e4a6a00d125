package dev.errand.internal.problem;

import java.sql.SQLException;

import org.hibernate.exception.JDBCConnectionException;

/**
 * Whether an error means the database cannot be reached rather than that the request is wrong or the
 * code broken: the client should come back, so it is a 503 with {@code Retry-After}, not a 500.
 */
final class DatabaseUnavailable {

    static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseUnavailable() {
    }

    static boolean causedBy(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && unreachable(sql)) {
                return true;
            }
            // Hibernate's wording when the pool gives no connection (Agroal's acquisition timeout).
            if (t.getMessage() != null && t.getMessage().startsWith("Unable to acquire JDBC Connection")) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57P (operator
     * intervention: shutdown, cannot connect now), and 55000 for a database closed to connections.
     */
    private static boolean unreachable(SQLException sql) {
        String state = sql.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || ("55000".equals(state) && String.valueOf(sql.getMessage()).contains("not currently accepting")));
    }
}
