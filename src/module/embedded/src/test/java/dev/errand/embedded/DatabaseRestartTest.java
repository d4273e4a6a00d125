package dev.errand.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.internal.embedded.EmbeddedDatabaseHealthCheck;

/**
 * A killed embedded PostgreSQL comes back by itself, on the same port with the same data and
 * password; while it cannot, liveness goes DOWN. Each test kills a database of its own, never the
 * shared test servers.
 */
class DatabaseRestartTest {

    private Path dataDir;
    private EmbeddedSettings settings;
    private EmbeddedServers servers;
    private String url;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("errand-restart-");
        settings = EmbeddedSettings.forTests(dataDir, List.of());
        servers = EmbeddedServers.start(settings, false, true);
        url = servers.connectionProperties().get("quarkus.datasource.jdbc.url");
        execute("create table survived (id int primary key)", "insert into survived values (1)");
    }

    @AfterEach
    void stop() throws Exception {
        servers.close();
    }

    @Test
    void aKilledDatabaseIsStartedAgainWithItsDataAndAcceptsWrites() throws Exception {
        long killed = postmasterPid();
        kill9(killed);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .untilAsserted(() -> execute("insert into survived values (2)"));
        assertEquals(2, count());
        assertNotEquals(killed, postmasterPid());
        // The watchdog says so once zonky's own readiness check has passed too.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> liveness(Duration.ofSeconds(1)).getStatus() == HealthCheckResponse.Status.UP);
    }

    @Test
    void livenessGoesDownWhileTheDatabaseCannotBeStartedAgainAndUpOnceItIs() throws Exception {
        // zonky unpacks its binaries once per JVM, maybe into another test's folder: the one running.
        Path postgres = Files.readSymbolicLink(Path.of("/proc/" + postmasterPid() + "/exe"));
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(postgres));
        try {
            // Not executable, even by root: every restart fails until it is put back.
            Files.setPosixFilePermissions(postgres, PosixFilePermissions.fromString("rw-------"));
            kill9(postmasterPid());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> liveness(Duration.ofSeconds(1)).getStatus() == HealthCheckResponse.Status.DOWN);
        } finally {
            Files.setPosixFilePermissions(postgres, PosixFilePermissions.fromString(mode));
        }
        // The failing attempt waits out zonky's 60 s start timeout; the next one, a second later, works.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> execute("insert into survived values (3)"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> liveness(Duration.ofSeconds(1)).getStatus() == HealthCheckResponse.Status.UP);
    }

    private HealthCheckResponse liveness(Duration downTimeout) {
        int port = Integer.parseInt(url.replaceAll("^jdbc:postgresql://[^:]+:(\\d+)/.*$", "$1"));
        return new EmbeddedDatabaseHealthCheck(port, downTimeout).call();
    }

    private long postmasterPid() throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
    }

    private static void kill9(long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor());
    }

    private void execute(String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", settings.databasePassword());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private long count() throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", settings.databasePassword());
                ResultSet rows = connection.createStatement().executeQuery("select count(*) from survived")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
