package dev.errand.internal.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.internal.flow.BackgroundPermits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

/**
 * Sizes this replica's connection pool from what it runs, rather than from a fixed number that N
 * replicas multiply past PostgreSQL's {@code max_connections}: one connection per consumer worker (a
 * batch is one worker, in one transaction), {@link #OWN_LOOPS} for Errand's loops that run outside the
 * consumers (the dead-letter recorder, timers), and a share for the service's requests. A smaller
 * ceiling (set by the service) caps the consumers together, through the background's permits, so the
 * pool is never asked for more than it has. Says at start-up what this replica may take, and what that
 * means for N replicas against the server's limit (docs/operations/scaling.md).
 */
@Singleton
public class ConnectionBudget {

    private static final Logger LOG = Logger.getLogger(ConnectionBudget.class);
    static final String POOL_MAX_SIZE = "quarkus.datasource.jdbc.max-size";
    /** The dead-letter recorder and the timers of durable calls, which hold no background permit. */
    static final int OWN_LOOPS = 2;

    /** What this replica may take, and how it was reached. */
    public record Budget(int connections, int consumers, int background, int ownLoops, int requests,
            String setBy) {
    }

    private final BackgroundPermits background;
    private final DatabaseConfig config;
    private final Config rawConfig;
    private final AgroalDataSource dataSource;
    private volatile Budget budget;

    ConnectionBudget(BackgroundPermits background, DatabaseConfig config, Config rawConfig,
            AgroalDataSource dataSource) {
        this.background = background;
        this.config = config;
        this.rawConfig = rawConfig;
        this.dataSource = dataSource;
    }

    /** After the consumers are made (ConsumerRegistry, at the default priority), which count themselves in. */
    void apply(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent startup) {
        Budget decided = decide(background.wanted(), config.httpConnections(), serviceMaxSize(),
                config.maxConnections());
        budget = decided;
        if (decided.background() < background.wanted()) {
            background.capAt(decided.background());
        }
        dataSource.getConfiguration().connectionPoolConfiguration().setMaxSize(decided.connections());
        LOG.infof("This replica may open up to %d PostgreSQL connections (%s): consumers %d%s, Errand's loops %d, "
                + "requests %d. N replicas need N x %d below max_connections less superuser_reserved_connections%s",
                decided.connections(), decided.setBy(), decided.consumers(),
                decided.background() < decided.consumers() ? " sharing " + decided.background() : "",
                decided.ownLoops(), decided.requests(), decided.connections(), serverLimits());
    }

    /**
     * The budget: the consumers' wish plus the loops and the requests, or the ceiling the service set,
     * under which the consumers get what the loops and the requests leave (at least one).
     */
    static Budget decide(int consumers, int requests, Optional<Integer> serviceMaxSize, Optional<Integer> maxConnections) {
        int wanted = consumers + OWN_LOOPS + requests;
        if (serviceMaxSize.isPresent()) {
            // An operator's lower errand.database.max-connections still holds under the service's pool.
            int ceiling = Math.min(serviceMaxSize.get(), maxConnections.orElse(Integer.MAX_VALUE));
            return new Budget(ceiling, consumers, Math.max(1, Math.min(consumers, ceiling - OWN_LOOPS - requests)),
                    OWN_LOOPS, requests, "the service (" + POOL_MAX_SIZE + ")");
        }
        if (maxConnections.isPresent() && maxConnections.get() < wanted) {
            int ceiling = Math.max(1, maxConnections.get());
            return new Budget(ceiling, consumers, Math.max(1, ceiling - OWN_LOOPS - requests), OWN_LOOPS, requests,
                    "errand.database.max-connections");
        }
        return new Budget(wanted, consumers, consumers, OWN_LOOPS, requests, "what it runs");
    }

    /** The service's own pool size, when it set one; Quarkus' default (20) is no one's choice. */
    private Optional<Integer> serviceMaxSize() {
        ConfigValue value = rawConfig.unwrap(SmallRyeConfig.class).getConfigValue(POOL_MAX_SIZE);
        // Defaults (Quarkus', and build items') sit in sources of negative ordinal.
        if (value.getValue() == null || value.getSourceOrdinal() < 0) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(value.getValue().trim()));
    }

    /** The server's limits and how many are in use, for the start-up log; nothing when it cannot say. */
    private String serverLimits() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select current_setting('max_connections')::int,"
                        + " current_setting('superuser_reserved_connections')::int,"
                        + " (select count(*) from pg_stat_activity where backend_type = 'client backend')")) {
            row.next();
            int max = row.getInt(1);
            int reserved = row.getInt(2);
            int used = row.getInt(3);
            return String.format(" (here max_connections %d, %d reserved, %d in use now: %d such replicas fit)", max,
                    reserved, used, Math.max(0, (max - reserved) / Math.max(1, budget.connections())));
        } catch (Exception e) {
            return " (the server's limits could not be read: " + e.getMessage() + ")";
        }
    }

    /** What was decided at start-up; null before. */
    public Budget budget() {
        return budget;
    }
}
