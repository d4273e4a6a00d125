package dev.errand.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL from zonky's embedded binaries, its data kept in a folder of ours so that it survives
 * restarts of the service.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String USER = "postgres";
    static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path folder) throws IOException {
        Files.createDirectories(folder);
        stopOrphanedPostmaster(folder);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(folder)
                .setCleanDataDirectory(false)
                // Stopped by EmbeddedLauncher after Quarkus, so no transaction loses its database mid-way.
                .setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(folder.getParent().resolve("postgres-binaries").toFile())
                .setPGStartupWait(Duration.ofSeconds(60))
                // zonky's defaults suit throw-away test databases (fsync off, asynchronous commit);
                // Errand's data must survive a crash like the broker's journal does.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        return new EmbeddedDatabase(postgres);
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public String username() {
        return USER;
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
