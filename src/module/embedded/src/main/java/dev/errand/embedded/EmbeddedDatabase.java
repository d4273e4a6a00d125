package dev.errand.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

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

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    public static EmbeddedDatabase start(Path folder, String password) throws IOException {
        PrivateFolders.create(folder);
        stopOrphanedPostmaster(folder);
        Path binaries = folder.getParent().resolve("postgres-binaries");
        PrivateFolders.create(binaries);
        boolean fresh = !Files.exists(folder.resolve("postgresql.conf"));
        Path passwordFile = fresh ? PrivateFolders.secretFile(folder.getParent(), "postgres-password", password) : null;
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
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
        }
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, password);
        if (!fresh) {
            database.requirePassword(folder);
        }
        // zonky unpacks its binaries with every permission for everyone, and PostgreSQL's own files
        // follow the umask: neither may be readable or writable by other local users.
        PrivateFolders.restrict(binaries);
        PrivateFolders.restrict(folder);
        return database;
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
        postgres.close();
    }

    /**
     * A {@code kill -9} of the JVM skips the shutdown hook that stops PostgreSQL, leaving the old
     * postmaster running on our data folder; the next start would then fail. Ask it to stop first
     * (SIGINT is PostgreSQL's "fast" shutdown, which flushes and exits cleanly).
     */
    private static void stopOrphanedPostmaster(Path folder) throws IOException {
        Path pidFile = folder.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty()
                : parsePid(lines.get(0)).flatMap(ProcessHandle::of);
        if (postmaster.isEmpty() || !postmaster.get().isAlive()) {
            return;
        }
        long pid = postmaster.get().pid();
        LOG.warnf("Stopping PostgreSQL (pid %d) left running by a previous run on %s", pid, folder);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            postmaster.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("Could not stop the orphaned PostgreSQL process " + pid, e);
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
