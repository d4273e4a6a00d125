package dev.errand.it.functions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.errand.testing.TestServers;
import dev.errand.testing.Users;
import io.restassured.specification.RequestSpecification;

/**
 * Two real instances of the test application, each its packaged jar ({@code target/quarkus-app}) in a
 * process of its own, sharing one broker and one database started here: the schedules of
 * {@link AnnotatedSchedules} turned on by configuration in both, every 2 s (SKIP) and on the cron
 * {@code *}{@code /2 * * * * ?} (RUN_ONCE). A failsafe test, so that it runs after the package is built
 * ({@code ./mvnw verify -pl src/module/integration-tests -Dit.test=ScheduleInstancesIT}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleInstancesIT {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final int TICKS = 8;
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private static Map<String, String> servers;
    private static Instance first;
    private static Instance second;
    /** When both were up: ticks before may have come late while the second started (two cores). */
    private static Instant bothUp;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is built by the package phase: run verify");
        servers = TestServers.start(List.of(), List.of());
        // One after the other: the first migrates the database.
        first = Instance.start("first", servers);
        second = Instance.start("second", servers);
        bothUp = Instant.now();
        for (Instance instance : List.of(first, second)) {
            instance.asViewer().get("/errand/schedules").then().statusCode(200)
                    .body("name", hasItems(AnnotatedSchedules.EVERY, AnnotatedSchedules.CRON));
        }
    }

    @AfterAll
    static void stopThem() {
        for (Instance instance : new Instance[] { first, second }) {
            if (instance != null) {
                instance.stop();
            }
        }
    }

    @Test
    @Order(1)
    void eachTickStartsOneCallAcrossBothInstancesAndAPausedScheduleTicksOnNeither() throws Exception {
        String name = AnnotatedSchedules.EVERY;
        await().atMost(Duration.ofSeconds(60)).until(() -> ticksAfter(name, bothUp).size() >= TICKS);
        assertOneCallPerTick(name, ticksAfter(name, bothUp));

        Instant paused = Instant.now();
        first.asAdmin().post("/errand/schedules/{name}/pause", name).then().statusCode(200).body("paused", equalTo(true));
        second.asViewer().get("/errand/schedules/{name}", name).then().body("paused", equalTo(true));
        int before = ticks(name).size();
        // Three intervals: no tick on either instance.
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> ticks(name).size() == before);

        Instant resumed = Instant.now();
        second.asAdmin().post("/errand/schedules/{name}/resume", name).then().statusCode(200)
                .body("paused", equalTo(false));
        await().atMost(Duration.ofSeconds(15)).until(() -> ticksAfter(name, resumed).size() >= 2);
        // SKIP: the ticks missed while paused start nothing; the first after the resume is the next one.
        List<Instant> between = ticks(name).stream().filter(tick -> tick.isAfter(paused) && !tick.isAfter(resumed))
                .toList();
        assertTrue(between.size() <= 1, "at most the tick the pause met in flight, was " + between);
        assertOneCallPerTick(name, ticksAfter(name, resumed));
        assertEquals(0L, count("select count(*) from errand_call where function = ? and status <> 'SUCCEEDED'"
                + " and created_at < now() - interval '30 seconds'", AnnotatedSchedules.EVERY_FUNCTION),
                "every call ran");
    }

    @Test
    @Order(2)
    void aCronScheduleTicksOncePerFireTimeAndRunsItsMissedTicksOnceWhenResumed() throws Exception {
        String name = AnnotatedSchedules.CRON;
        await().atMost(Duration.ofSeconds(60)).until(() -> ticksAfter(name, bothUp).size() >= TICKS);
        assertOneCallPerTick(name, ticksAfter(name, bothUp));

        second.asAdmin().post("/errand/schedules/{name}/pause", name).then().statusCode(200);
        Instant paused = Instant.now();
        int before = ticks(name).size();
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> ticks(name).size() == before);

        // Resume just after a fire time, so that the look the resume wakes comes before the next one even on
        // busy cores: its RUN_ONCE call is then keyed by the fire time before the resume.
        await().pollInterval(Duration.ofMillis(10)).atMost(INTERVAL.multipliedBy(3))
                .until(() -> Instant.now().toEpochMilli() % INTERVAL.toMillis() < 200);
        Instant resumed = Instant.now();
        first.asAdmin().post("/errand/schedules/{name}/resume", name).then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> ticksAfter(name, resumed).size() >= 2);
        // RUN_ONCE: one call for the three or so missed, keyed by the latest fire time at the resume.
        List<Instant> missed = ticks(name).stream().filter(tick -> tick.isAfter(paused.plus(INTERVAL))
                && !tick.isAfter(resumed)).toList();
        assertEquals(1, missed.size(), "one call for the missed ticks: " + missed);
        assertTrue(Duration.between(missed.get(0), resumed).compareTo(INTERVAL) < 0, "the latest: " + missed);
        assertEquals(0, missed.get(0).atZone(ZoneId.of("Europe/Paris")).getSecond() % 2, "a fire time of the cron");
        assertOneCallPerTick(name, ticksAfter(name, resumed));
    }

    @Test
    @Order(3)
    void whenOneInstanceStopsTheOtherTicksOn() {
        String name = AnnotatedSchedules.EVERY;
        first.stop();
        Instant gone = Instant.now();
        await().atMost(Duration.ofSeconds(20)).until(() -> ticksAfter(name, gone).size() >= 3);
        assertOneCallPerTick(name, ticksAfter(name, gone));
    }

    /**
     * Each tick that ran is one call across both instances (its key once), at a tick time: a multiple of 2 s,
     * which both schedules' ticks are. Not that no tick is missing: on two cores busy with both instances and
     * the build, a loop can come more than an interval late, and the late tick is then missed as in an
     * outage, by the schedule's policy (SKIP drops it, RUN_ONCE folds it into the next); the awaits ask for
     * a least number of ticks instead.
     */
    private static void assertOneCallPerTick(String name, List<Instant> ticks) {
        assertEquals(ticks.size(), ticks.stream().distinct().count(), "no tick of " + name + " twice: " + ticks);
        for (Instant tick : ticks) {
            assertEquals(0, tick.toEpochMilli() % INTERVAL.toMillis(), "a tick time of " + name + ": " + ticks);
            assertEquals(1L, count("select count(*) from errand_call where business_key = ?", name + "@" + tick),
                    "calls of tick " + tick);
        }
    }

    private static List<Instant> ticksAfter(String name, Instant after) {
        return ticks(name).stream().filter(tick -> tick.isAfter(after)).toList();
    }

    /** The ticks started, oldest first (no trigger here). */
    private static List<Instant> ticks(String name) {
        List<Instant> ticks = new ArrayList<>();
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "select business_key from errand_call where business_key like ?")) {
            query.setString(1, name + "@%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ticks.add(Instant.parse(rows.getString(1).substring(name.length() + 1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        ticks.sort(null);
        return ticks;
    }

    private static long count(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(servers.get("quarkus.datasource.jdbc.url"),
                servers.get("quarkus.datasource.username"), servers.get("quarkus.datasource.password"));
    }

    /** One instance: the packaged application in a process, on a port of its own, logging to target/. */
    private record Instance(String name, Process process, int port) {

        static Instance start(String name, Map<String, String> servers) throws Exception {
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("-Xmx384m");
            servers.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-Dquarkus.http.host=127.0.0.1");
            command.add("-Dquarkus.http.port=" + port);
            // The test application keeps its spans in memory in the tests; here there is nowhere to send them.
            command.add("-Dquarkus.otel.sdk.disabled=true");
            command.add("-Derrand.data-dir=" + Files.createTempDirectory("errand-instance-"));
            command.add("-Dit.schedules.instances.every=2s");
            command.add("-Dit.schedules.instances.cron=*/2 * * * * ?");
            command.add("-jar");
            command.add(JAR.toAbsolutePath().toString());
            Path log = Path.of("target", "schedule-instance-" + name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Whatever becomes of this test's JVM, no instance outlives it.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            Instance instance = new Instance(name, process, port);
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .failFast("the " + name + " instance exited, see " + log, () -> !process.isAlive())
                        .until(() -> instance.ready());
            } catch (Exception | Error e) { // RestAssured's refusal is a checked exception thrown unchecked
                instance.stop();
                throw e;
            }
            return instance;
        }

        boolean ready() {
            try {
                return given().port(port).get("/q/health/ready").statusCode() == 200;
            } catch (Exception e) { // RestAssured throws the connection's refusal unchecked, as it is

                return false;
            }
        }

        RequestSpecification asAdmin() {
            return Users.asAdmin().port(port);
        }

        RequestSpecification asViewer() {
            return Users.asViewer().port(port);
        }

        void stop() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
