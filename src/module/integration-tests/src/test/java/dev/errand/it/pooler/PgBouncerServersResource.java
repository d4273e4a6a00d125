package dev.errand.it.pooler;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.errand.it.EmbeddedServersResource;
import dev.errand.testing.PgBouncer;

/**
 * The test servers, with Debian's PgBouncer between the service and PostgreSQL in transaction mode, set
 * up as {@code k8s/overlays/prod/pooler.yaml} sets up CloudNativePG's: the service reaches the database
 * only through it, from its first connection (Flyway's migration) on.
 */
public class PgBouncerServersResource extends EmbeddedServersResource {

    /** Few server connections for the service's 50 client connections, so that its transactions share them. */
    static final int SERVER_POOL_SIZE = 4;
    /** The service's own settings behind the pooler (docs/operations/scaling.md, "Behind a connection pooler"). */
    static final String JDBC_PARAMETERS = "prepareThreshold=0";
    static final String DIRECT_URL = "test.direct-jdbc-url";
    static final String POOLER_PORT = "test.pgbouncer-port";

    private PgBouncer bouncer;

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new LinkedHashMap<>(super.start());
        String directUrl = properties.get("quarkus.datasource.jdbc.url");
        String username = properties.get("quarkus.datasource.username");
        String password = properties.get("quarkus.datasource.password");
        try {
            // The pooler drops the options startup parameter (Errand's statement_timeout); the role's own
            // setting, which every server connection gets at its login, puts it back.
            try (Connection direct = DriverManager.getConnection(directUrl, username, password);
                    Statement statement = direct.createStatement()) {
                statement.execute("alter role " + username + " set statement_timeout = '60s'");
            }
            bouncer = PgBouncer.inFrontOf(directUrl, username, password, Map.of(
                    "pool_mode", "transaction",
                    "default_pool_size", Integer.toString(SERVER_POOL_SIZE),
                    "max_client_conn", "200",
                    "ignore_startup_parameters", "extra_float_digits,options"));
        } catch (Exception e) {
            throw new IllegalStateException("Could not put PgBouncer in front of the test database", e);
        }
        properties.put(DIRECT_URL, directUrl);
        properties.put(POOLER_PORT, Integer.toString(bouncer.port()));
        properties.put("quarkus.datasource.jdbc.url", bouncer.jdbcUrl(JDBC_PARAMETERS));
        return properties;
    }

    @Override
    public void stop() {
        if (bouncer != null) {
            bouncer.close();
        }
    }
}
