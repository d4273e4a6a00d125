package dev.errand.testing;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** Counts rows in the real database, each count in a transaction of its own so it sees what committed. */
public final class Rows {

    private Rows() {
    }

    /** {@code sql} is a {@code select count(*)} with positional parameters {@code ?1, ?2…}. */
    public static long count(EntityManager em, String sql, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Query query = em.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return ((Number) query.getSingleResult()).longValue();
        });
    }

    /** Runs one statement with positional parameters on the test's own connection, committed at once. */
    public static long execute(String sql, Object... parameters) {
        try (java.sql.Connection connection = connect(null);
                java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            if (statement.execute()) {
                try (java.sql.ResultSet rows = statement.getResultSet()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
            return statement.getUpdateCount();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not run " + sql, e);
        }
    }

    /**
     * A connection of the test's own to the service's database server, outside its pool: to
     * {@code database}, or to the service's own when null.
     */
    public static java.sql.Connection connect(String database) throws java.sql.SQLException {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        if (database != null) {
            url = url.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        }
        return java.sql.DriverManager.getConnection(url, config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** A server setting as this connection sees it ({@code show NAME}), e.g. {@code "1min"}. */
    public static String setting(java.sql.Connection connection, String name) throws java.sql.SQLException {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet row = statement.executeQuery("show " + name)) {
            row.next();
            return row.getString(1);
        }
    }

    /** How many consumers have marked this message processed. */
    public static long processedMarkers(EntityManager em, String messageId) {
        return count(em, "select count(*) from errand_processed_message where message_id = ?1", messageId);
    }
}
