package dev.errand.it.embedded;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar} of a service that has {@code errand-embedded} and no setting for a broker or a
 * database, and no {@code @QuarkusMain}: the packaged test application ({@code target/quarkus-app}) starts
 * the embedded servers itself. A failsafe test, run after the package is built
 * ({@code ./mvnw verify -pl src/module/integration-tests -Dit.test=ZeroConfigurationIT}).
 */
class ZeroConfigurationIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private static Path dataDir;
    private static Process first;
    private static int port;

    @BeforeAll
    static void startTheJarWithNoSetting() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is built by the package phase: run verify");
        dataDir = Files.createTempDirectory("errand-zero-config-");
        port = freePort();
        first = start(port, dataDir.resolve("first.log"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .failFast("the service exited, see " + dataDir.resolve("first.log"), () -> !first.isAlive())
                .until(ZeroConfigurationIT::ready);
    }

    @AfterAll
    static void stopIt() throws Exception {
        if (first != null) {
            first.destroy();
            first.waitFor(60, TimeUnit.SECONDS);
            first.destroyForcibly();
        }
    }

    @Test
    void theServiceIsReadyOnItsOwnBrokerAndDatabaseInItsDataFolder() {
        given().port(port).get("/q/health/ready").then().statusCode(200);
        assertTrue(Files.isDirectory(dataDir.resolve("data/broker/journal")), "the broker's journal is in errand.data-dir");
        assertTrue(Files.isRegularFile(dataDir.resolve("data/postgres/PG_VERSION")), "the database is in errand.data-dir");
    }

    @Test
    void aSecondServiceOnTheSameDataFolderEndsWithTheReasonAlone() throws Exception {
        Path log = dataDir.resolve("second.log");
        Process second = start(freePort(), log);
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the second service should give up at once");
        assertEquals(1, second.exitValue());
        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("The service did not start. Errand could not start the embedded broker and database: "
                + "The data folder ") && last.contains("is in use by another Errand process"), last);
    }

    private static Process start(int httpPort, Path log) throws IOException {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + httpPort,
                "-Derrand.data-dir=" + dataDir.resolve("data"), "-Derrand.embedded.amqp-port=0",
                "-Dquarkus.otel.sdk.disabled=true", "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Whatever becomes of this test's JVM, the service does not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    private static boolean ready() {
        try {
            return given().port(port).get("/q/health/ready").statusCode() == 200;
        } catch (Exception refused) { // RestAssured throws the connection's refusal unchecked, as it is
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
