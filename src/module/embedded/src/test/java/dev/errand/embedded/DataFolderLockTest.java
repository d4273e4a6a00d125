package dev.errand.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The data folder belongs to one process at a time, and the launcher signals no process but
 * PostgreSQL on its own folder. Each test has its own folder and database: none touches the shared
 * test servers.
 */
class DataFolderLockTest {

    @Test
    void aStalePidFileNamingAnUnrelatedProcessLeavesThatProcessAliveAndTheDatabaseStarts() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-stale-pid-");
        EmbeddedSettings settings = EmbeddedSettings.forTests(dataDir, List.of());
        EmbeddedServers.start(settings, false, true).close();
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            // As a reboot leaves it: the PID that PostgreSQL had now belongs to another program.
            Files.writeString(dataDir.resolve("postgres/postmaster.pid"),
                    unrelated.pid() + "\n" + dataDir.resolve("postgres") + "\n1700000000\n5432\n");
            try (EmbeddedServers servers = EmbeddedServers.start(settings, false, true)) {
                assertEquals(1, selectOne(servers, settings));
                assertTrue(unrelated.isAlive(), "the unrelated process was signalled");
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void aSecondStartOnTheSameFolderFailsAtOnceAndTheFirstStaysReady() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-second-start-");
        EmbeddedSettings settings = EmbeddedSettings.forTests(dataDir, List.of());
        try (EmbeddedServers first = EmbeddedServers.start(settings, false, true)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedServers.start(settings, false, true).close());
            assertTrue(refused.getMessage().contains(dataDir.toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
            assertEquals(1, selectOne(first, settings));
        }
    }

    @Test
    void aFolderLockedByAnotherProcessIsRefusedWithThatProcessesPid() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-other-process-");
        EmbeddedSettings settings = EmbeddedSettings.forTests(dataDir, List.of());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FolderLockHolder.class.getName(), dataDir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.equals(FolderLockHolder.LOCKED)) {
                // the child's log lines
            }
            assertEquals(FolderLockHolder.LOCKED, line, "the other process did not lock the folder");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedServers.start(settings, false, true).close());
            assertTrue(refused.getMessage().contains("pid " + holder.pid()), refused.getMessage());
            assertTrue(refused.getMessage().contains(dataDir.toString()), refused.getMessage());
        } finally {
            holder.destroy();
            holder.waitFor(20, TimeUnit.SECONDS);
        }
        // The lock goes with its process: the folder is free again.
        try (EmbeddedServers servers = EmbeddedServers.start(settings, false, false)) {
            assertEquals(Map.of(), servers.connectionProperties());
        }
    }

    static int selectOne(EmbeddedServers servers, EmbeddedSettings settings) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                servers.connectionProperties().get("quarkus.datasource.jdbc.url"), "postgres", settings.databasePassword());
                ResultSet rows = connection.createStatement().executeQuery("select 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Another process: locks the folder as a start would, says so, and holds it until it is ended. */
    public static final class FolderLockHolder {

        static final String LOCKED = "locked";

        public static void main(String[] args) throws Exception {
            DataFolderLock.acquire(Path.of(args[0]));
            System.out.println(LOCKED);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
