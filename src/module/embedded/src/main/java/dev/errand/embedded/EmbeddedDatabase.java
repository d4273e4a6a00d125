package dev.errand.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.errand.internal.embedded.EmbeddedDatabaseState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL from zonky's embedded binaries, its data kept in a folder of ours so that it survives
 * restarts of the service.
 * <p>
 * Loopback is not a boundary: every local user can reach 127.0.0.1, and a superuser can run
 * programs as the service ({@code COPY ... TO PROGRAM}). So the superuser has a generated password,
 * checked with SCRAM on every connection, and the data and binaries are private to the service's user.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String USER = "postgres";
    static final String DATABASE = "postgres";
    /** How often the watchdog looks at the postmaster, and the bounds of its restart backoff. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final Path folder;
    private final Path binaries;
    private final String password;
    private final int port;
    private final ScheduledExecutorService watchdog;
    private volatile EmbeddedPostgres postgres;
    private volatile ProcessHandle postmaster;
    private volatile boolean closed;
    // Touched by the watchdog thread only.
    private Instant downSince;
    private Instant nextRestart;
    private Duration retryDelay = FIRST_RETRY;

    private EmbeddedDatabase(Path folder, Path binaries, EmbeddedPostgres postgres, String password) throws IOException {
        this.folder = folder;
        this.binaries = binaries;
        this.postgres = postgres;
        this.password = password;
        this.port = postgres.getPort();
        this.postmaster = postmaster(folder);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "errand-embedded-postgres-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static EmbeddedDatabase start(Path folder, String password) throws IOException {
        PrivateFolders.create(folder);
        StalePostmaster.clear(folder);
        Path binaries = folder.getParent().resolve("postgres-binaries");
        PrivateFolders.create(binaries);
        boolean fresh = !Files.exists(folder.resolve("postgresql.conf"));
        Path passwordFile = fresh ? PrivateFolders.secretFile(folder.getParent(), "postgres-password", password) : null;
        EmbeddedPostgres.Builder builder = builder(folder, binaries, password);
        if (fresh) {
            // zonky runs initdb with "-A trust"; these come after it and win: a password from the start.
            builder.setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString());
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } finally {
            if (passwordFile != null) {
                Files.deleteIfExists(passwordFile);
            }
            // zonky unpacks its binaries with every permission for everyone (0722 for some folders):
            // taken away even when the start failed, so a failed start leaves nothing open either.
            PrivateFolders.restrict(binaries);
            PrivateFolders.restrict(folder);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(folder, binaries, postgres, password);
        if (!fresh) {
            database.requirePassword(folder);
        }
        database.watch();
        return database;
    }

    private static EmbeddedPostgres.Builder builder(Path folder, Path binaries, String password) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(folder)
                .setCleanDataDirectory(false)
                // Stopped by EmbeddedLauncher after Quarkus, so no transaction loses its database mid-way.
                .setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                // zonky checks readiness with a connection of its own, so it needs the password too.
                .setConnectConfig("password", password)
                .setPGStartupWait(Duration.ofSeconds(60))
                // zonky's defaults suit throw-away test databases (fsync off, asynchronous commit);
                // Errand's data must survive a crash like the broker's journal does.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("password_encryption", "scram-sha-256");
    }

    private static ProcessHandle postmaster(Path folder) throws IOException {
        return StalePostmaster.pidIn(folder.resolve("postmaster.pid")).flatMap(ProcessHandle::of)
                .orElseThrow(() -> new IOException("PostgreSQL started but left no postmaster.pid in " + folder));
    }

    /**
     * A PostgreSQL that dies (killed, out of memory) is started again on the same port, data folder and
     * password, with a backoff from 1 s doubling to 30 s, for as long as it takes; meanwhile the liveness
     * check reads the state published here and goes DOWN after {@code errand.embedded.database-down-timeout},
     * so that a platform restarts the whole process if PostgreSQL will not come back by itself.
     */
    private void watch() {
        EmbeddedDatabaseState.publishUp(port);
        watchdog.scheduleWithFixedDelay(this::check, WATCH_INTERVAL.toMillis(), WATCH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (closed || postmaster.isAlive()) {
            return;
        }
        Instant now = Instant.now();
        if (downSince == null) {
            downSince = now;
            nextRestart = now;
            LOG.warnf("The embedded PostgreSQL (pid %d, port %d) has died; starting it again", postmaster.pid(), port);
            EmbeddedDatabaseState.publishDown(port, downSince, null);
        }
        if (now.isBefore(nextRestart)) {
            return;
        }
        try {
            restart();
            LOG.infof("The embedded PostgreSQL is running again on port %d (pid %d), %d ms after it died", port,
                    postmaster.pid(), Duration.between(downSince, Instant.now()).toMillis());
            downSince = null;
            retryDelay = FIRST_RETRY;
            EmbeddedDatabaseState.publishUp(port);
        } catch (Exception | LinkageError e) {
            LOG.warnf("Could not start the embedded PostgreSQL again (next try in %d s): %s", retryDelay.toSeconds(), e);
            EmbeddedDatabaseState.publishDown(port, downSince, e.toString());
            nextRestart = Instant.now().plus(retryDelay);
            retryDelay = retryDelay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retryDelay.multipliedBy(2);
        }
    }

    /**
     * The dead instance is closed first: that releases zonky's own lock on the folder. Its close runs
     * {@code pg_ctl stop}, which would signal whatever process now has the dead postmaster's PID, so
     * {@code postmaster.pid} is moved aside meanwhile, then put back: PostgreSQL reads it at start to
     * make sure no backend of the dead postmaster still uses the shared memory.
     */
    private synchronized void restart() throws IOException {
        if (closed) {
            return;
        }
        Path pidFile = folder.resolve("postmaster.pid");
        Path aside = folder.resolve("postmaster.pid.dead");
        boolean moved = Files.exists(pidFile);
        if (moved) {
            Files.move(pidFile, aside, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            postgres.close();
        } finally {
            if (moved) {
                Files.move(aside, pidFile, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StalePostmaster.clear(folder);
        // A failed zonky start keeps its lock on this file open (it is never closed), which would refuse
        // every later attempt in this JVM; the folder is ours anyway (DataFolderLock), so a new file.
        Files.deleteIfExists(folder.resolve("epg-lock"));
        postgres = builder(folder, binaries, password).setPort(port).start();
        postmaster = postmaster(folder);
    }

    /**
     * A data folder made before passwords (trust on loopback) gets the password and SCRAM now. The
     * password is set first, over the still trusted connection, then the rules are reloaded.
     */
    private void requirePassword(Path folder) throws IOException {
        Path hba = folder.resolve("pg_hba.conf");
        String rules = Files.readString(hba);
        if (!rules.lines().anyMatch(line -> !line.startsWith("#") && line.matches(".*\\strust\\s*$"))) {
            return;
        }
        LOG.warnf("The database in %s accepted local connections without a password; it requires one now", folder);
        try (Connection connection = postgres.getPostgresDatabase(Map.of("password", password)).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("alter role " + USER + " with password '" + password.replace("'", "''") + "'");
            Files.writeString(hba, rules.replaceAll("(?m)\\strust\\s*$", " scram-sha-256"));
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("Could not set the database password", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public String username() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watchdog.shutdownNow();
        EmbeddedDatabaseState.forget(port);
        synchronized (this) {
            postgres.close();
        }
    }
}
