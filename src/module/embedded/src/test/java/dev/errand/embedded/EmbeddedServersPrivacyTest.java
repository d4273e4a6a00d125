package dev.errand.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded servers are not open to other local users: the database asks every connection for
 * the generated password (SCRAM), and nothing under the data folder (journal, database files,
 * PostgreSQL's binaries) grants any permission to group or others.
 */
class EmbeddedServersPrivacyTest {

    static Path dataDir;
    static EmbeddedServers servers;
    static EmbeddedSettings settings;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("errand-privacy-");
        settings = EmbeddedSettings.forTests(dataDir, List.of("errand.privacy"));
        servers = EmbeddedServers.start(settings, true, true);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
    }

    @Test
    void theDatabaseRefusesAConnectionWithoutThePassword() {
        String url = servers.connectionProperties().get("quarkus.datasource.jdbc.url");
        SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", null).close());
        assertTrue(none.getMessage().toLowerCase().contains("password"), none.getMessage());
        SQLException wrong = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url, "postgres", "not-the-password").close());
        assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
    }

    @Test
    void theDatabaseAcceptsTheGeneratedPassword() throws Exception {
        String url = servers.connectionProperties().get("quarkus.datasource.jdbc.url");
        try (Connection connection = DriverManager.getConnection(url, "postgres", settings.databasePassword());
                ResultSet rows = connection.createStatement().executeQuery("show password_encryption")) {
            rows.next();
            assertEquals("scram-sha-256", rows.getString(1));
        }
    }

    @Test
    void nothingUnderTheDataFolderIsOpenToOtherUsers() throws Exception {
        Set<PosixFilePermission> others = Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
        List<String> open;
        try (Stream<Path> paths = Files.walk(dataDir)) {
            open = paths.filter(path -> !Files.isSymbolicLink(path))
                    .filter(path -> {
                        try {
                            return Files.getPosixFilePermissions(path).stream().anyMatch(others::contains);
                        } catch (java.io.IOException e) {
                            return false; // gone meanwhile (PostgreSQL's temporary files)
                        }
                    })
                    .map(path -> dataDir.relativize(path).toString()).toList();
        }
        assertEquals(List.of(), open);
        assertTrue(Files.isDirectory(dataDir.resolve("postgres-binaries")));
        assertTrue(Files.isDirectory(dataDir.resolve("broker")));
    }
}
