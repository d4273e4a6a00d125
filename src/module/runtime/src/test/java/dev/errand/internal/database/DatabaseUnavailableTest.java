package dev.errand.internal.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.sql.SQLException;

import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;

/**
 * The errors a hung or unreachable database raises, as the pool, pgjdbc and Hibernate word them, are
 * 503s; errors of the request or the code are not. Each exception is built the way its library builds it.
 */
class DatabaseUnavailableTest {

    @Test
    void thePoolsAcquisitionTimeoutsAreUnavailability() {
        // Agroal: every connection busy, or a new one not made in time. No SQLSTATE, only these words.
        assertTrue(DatabaseUnavailable.causedBy(new SQLException("Sorry, acquisition timeout!")));
        assertTrue(DatabaseUnavailable.causedBy(new SQLException("Acquisition timeout while waiting for new connection",
                new java.util.concurrent.TimeoutException())));
        // The same under Hibernate, whose wrapper keeps the SQLException as its cause.
        assertTrue(DatabaseUnavailable.causedBy(new GenericJDBCException("could not prepare statement",
                new SQLException("Sorry, acquisition timeout!"))));
    }

    @Test
    void pgjdbcsSocketAndLoginTimeoutsAreUnavailability() {
        // "An I/O error occurred while sending to the backend." (08006) over the socket's timeout.
        assertTrue(DatabaseUnavailable.causedBy(new RuntimeException(new SQLException(
                "An I/O error occurred while sending to the backend.", "08006", new SocketTimeoutException("Read timed out")))));
        assertTrue(DatabaseUnavailable.causedBy(new SQLException("Connection attempt timed out.", "08001")));
        // The pool interrupting a connection attempt it gave up on.
        assertTrue(DatabaseUnavailable.causedBy(new IllegalStateException("Could not read the outbox", new SQLException(
                "Something unusual has occurred to cause the driver to fail. Please report this exception.", "99999",
                new RuntimeException("Interrupted while attempting to connect.")))));
    }

    @Test
    void aStatementCancelledByItsTimeoutIsUnavailability() {
        assertTrue(DatabaseUnavailable.causedBy(new SQLException("ERROR: canceling statement due to statement timeout",
                "57014")));
        assertTrue(DatabaseUnavailable.causedBy(new org.hibernate.QueryTimeoutException("timed out",
                new SQLException("canceling statement due to statement timeout", "57014"), "select 1")));
        assertTrue(DatabaseUnavailable.causedBy(new jakarta.persistence.QueryTimeoutException("timed out")));
        assertTrue(DatabaseUnavailable.causedBy(new java.sql.SQLTimeoutException("timed out")));
    }

    @Test
    void errorsOfTheRequestOrTheCodeAreNot() {
        assertFalse(DatabaseUnavailable.causedBy(new SQLException("duplicate key value", "23505")));
        assertFalse(DatabaseUnavailable.causedBy(new SQLException("syntax error at or near \"selec\"", "42601")));
        assertFalse(DatabaseUnavailable.causedBy(new SQLException("something else")));
        assertFalse(DatabaseUnavailable.causedBy(new IllegalStateException("timeout of another kind")));
    }

    @Test
    void forTheConsumersOnlyNoConnectionAtAllIsAnOutageNotATimedOutStatementOrHandlerCall() {
        assertTrue(DatabaseUnavailable.noConnection(new SQLException("Sorry, acquisition timeout!")));
        assertTrue(DatabaseUnavailable.noConnection(new SQLException(
                "FATAL: remaining connection slots are reserved for non-replication superuser connections", "53300")));
        assertTrue(DatabaseUnavailable.noConnection(new SQLException("Connection refused", "08001")));
        assertTrue(DatabaseUnavailable.noConnection(new SQLException(
                "FATAL: database \"errand\" is not currently accepting connections", "55000")));
        assertFalse(DatabaseUnavailable.noConnection(new SQLException(
                "ERROR: canceling statement due to statement timeout", "57014")));
        assertFalse(DatabaseUnavailable.noConnection(new RuntimeException(new java.net.SocketTimeoutException("Read timed out"))));
        assertFalse(DatabaseUnavailable.noConnection(new SQLException("out of memory", "53200")));
    }
}
