package dev.errand.internal.schema;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.jboss.logging.Logger;

/**
 * Migrates Errand's own tables with Flyway, in their own history table, so that the service's
 * migrations (versions 1, 2, … of its own) never collide with the module's. Runs at start-up before
 * Hibernate validates the entities (ErrandProcessor orders it).
 */
public final class ErrandSchema {

    private static final Logger LOG = Logger.getLogger(ErrandSchema.class);

    /** The history table, beside the service's own {@code flyway_schema_history}. */
    public static final String HISTORY_TABLE = "errand_schema_history";
    private static final String FOLDER = "db/errand/";
    /**
     * Every migration in {@code db/errand}, listed because a packaged Quarkus application's class
     * loader cannot list a folder; a test checks the list against the folder.
     */
    public static final List<String> MIGRATIONS = List.of("V1__errand_core.sql", "V2__errand_secret.sql",
            "V3__errand_idempotency_key.sql", "V4__errand_functions.sql",
            "V5__errand_origin.sql", "V6__errand_one_step_record.sql", "V7__errand_retention.sql",
            "V8__errand_workflow_wakeups.sql", "V9__errand_keyed_start.sql", "V10__errand_cancellation.sql",
            "V11__errand_workflow_restarts.sql", "V12__errand_schedules.sql",
            "V13__errand_compensation_steps.sql", "V14__errand_step_timing.sql",
            "V15__errand_call_waiting_index.sql");

    private ErrandSchema() {
    }

    public static void migrate(DataSource dataSource) {
        migrate(dataSource, "latest");
    }

    /**
     * Migrates up to {@code targetVersion} only ("5", or "latest"): how an upgrade test makes a database
     * as an older release of Errand left it.
     */
    public static void migrate(DataSource dataSource, String targetVersion) {
        migrate(dataSource, targetVersion, 0, Duration.ofSeconds(120));
    }

    /**
     * The same, trying to connect again {@code connectRetries} times, the wait doubling from a second up
     * to {@code retryInterval}, while the database gives no connection (the start-up's, from
     * {@code quarkus.flyway.connect-retries} and {@code -interval}).
     */
    public static void migrate(DataSource dataSource, String targetVersion, int connectRetries, Duration retryInterval) {
        var result = Flyway.configure(ErrandSchema.class.getClassLoader())
                .dataSource(dataSource)
                .connectRetries(connectRetries)
                .connectRetriesInterval((int) Math.max(1, retryInterval.toSeconds()))
                .target(targetVersion)
                .table(HISTORY_TABLE)
                // A database that already holds the service's own tables is no reason to refuse ours.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .resourceProvider(new Migrations())
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            LOG.infof("Errand's tables migrated to version %s", result.targetSchemaVersion);
        }
    }

    /** Errand's migrations, read from the class path by name. */
    private static final class Migrations implements ResourceProvider {

        @Override
        public LoadableResource getResource(String name) {
            return MIGRATIONS.contains(name) ? new Migration(name) : null;
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            List<LoadableResource> found = new ArrayList<>();
            for (String name : MIGRATIONS) {
                if (name.startsWith(prefix) && List.of(suffixes).stream().anyMatch(name::endsWith)) {
                    found.add(new Migration(name));
                }
            }
            return found;
        }
    }

    private static final class Migration extends LoadableResource {

        private final String name;

        Migration(String name) {
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream bytes = ErrandSchema.class.getClassLoader().getResourceAsStream(FOLDER + name);
            if (bytes == null) {
                // An empty script would be recorded as applied, and its tables never made.
                throw new IllegalStateException("Errand's migration " + FOLDER + name + " is missing from the class path");
            }
            return new InputStreamReader(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return FOLDER + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return FOLDER + name;
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
