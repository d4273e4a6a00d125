package dev.errand.it.functions;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.Schedules;
import dev.errand.internal.schedules.ScheduleRunner;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Schedules (dev.errand.Schedules, errand_schedule): one call per tick across replicas, pause, trigger, missed ticks. */
@QuarkusTest
class SchedulesTest {

    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);
    /** Long enough that no real tick comes during a test: the test sets the last tick itself. */
    private static final Duration A_DAY = Duration.ofDays(1);

    @Inject
    Schedules schedules;

    @Inject
    ScheduleRunner runner;

    @Inject
    ScheduledFunctions functions;

    @Inject
    DurableCalls calls;

    @Inject
    EntityManager em;

    private final List<String> registered = new ArrayList<>();

    @AfterEach
    void pauseWhatTheTestRegistered() {
        // The service lives on for the other test classes: their counts must not see these ticks.
        registered.forEach(schedules::pause);
    }

    @Test
    void aScheduleStartsOneCallPerTickAndEachRunsOnce() {
        String name = register(TWO_SECONDS, Schedules.Missed.SKIP);
        await().atMost(Duration.ofSeconds(15)).until(() -> ticks(name).size() >= 2);

        List<Instant> ticks = ticks(name);
        assertOneCallPerTick(name, ticks);
        for (Instant tick : ticks) {
            assertEquals(0, tick.toEpochMilli() % TWO_SECONDS.toMillis(), "ticks fall on multiples of the interval");
        }
        Instant first = ticks.get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(name, first.toString()) == 1);
        asViewer().get("/errand/schedules").then().statusCode(200).body("name", hasItem(name));
        asViewer().get("/errand/schedules/{name}", name).then().statusCode(200).body("function", equalTo("test-scheduled"))
                .body("every", equalTo("PT2S")).body("missed", equalTo("SKIP")).body("paused", equalTo(false))
                .body("lastTick", notNullValue()).body("nextTick", notNullValue());
    }

    @Test
    void aCronScheduleStartsOneCallPerFireTimeInItsZone() {
        String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
        schedules.cron(name, "*/2 * * * * ?", ZoneId.of("Europe/Paris"), Schedules.Missed.SKIP,
                tick -> functions.scheduled(name, tick.toString()));
        registered.add(name);
        await().atMost(Duration.ofSeconds(15)).until(() -> ticks(name).size() >= 2);

        List<Instant> ticks = ticks(name);
        assertOneCallPerTick(name, ticks);
        for (Instant tick : ticks) {
            assertEquals(0, tick.getNano(), "a fire time is a whole second");
            assertEquals(0, tick.getEpochSecond() % 2, "every even second, as the expression says");
        }
        asViewer().get("/errand/schedules/{name}", name).then().statusCode(200).body("cron", equalTo("*/2 * * * * ?"))
                .body("zone", equalTo("Europe/Paris")).body("every", nullValue()).body("function", equalTo("test-scheduled"));
    }

    @Test
    void anAnnotatedScheduleIsRegisteredAtStartUpAndStartsItsMethodsCall() {
        // 0 0 0 1 1 ? in Paris: midnight on New Year's Day there, 23:00 UTC the day before.
        Instant next = ZonedDateTime.now(ZoneId.of("Europe/Paris")).withDayOfYear(1).plusYears(1).toLocalDate()
                .atStartOfDay(ZoneId.of("Europe/Paris")).toInstant();
        asViewer().get("/errand/schedules/{name}", AnnotatedSchedules.YEARLY).then().statusCode(200)
                .body("cron", equalTo("0 0 0 1 1 ?")).body("zone", equalTo("Europe/Paris"))
                .body("missed", equalTo("SKIP")).body("nextTick", equalTo(next.toString()));

        String id = asAdmin().post("/errand/schedules/{name}/trigger", AnnotatedSchedules.YEARLY).then().statusCode(202)
                .extract().path("callId");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(id) == CallStatus.State.SUCCEEDED);
        String key = calls.status(id).orElseThrow().businessKey();
        String tick = key.substring((AnnotatedSchedules.YEARLY + "@trigger@").length());
        assertEquals(1, functions.runs(AnnotatedSchedules.YEARLY, tick), "the method was given the trigger's time");
    }

    @Test
    void anAnnotatedScheduleThatConfigurationTurnsOffIsNotRegistered() {
        // it.schedules.instances.every is not set here: its default is off (ScheduleInstancesIT sets it).
        assertEquals(Optional.empty(), schedules.get(AnnotatedSchedules.EVERY));
        assertEquals(Optional.empty(), schedules.get(AnnotatedSchedules.CRON));
        asViewer().get("/errand/schedules/{name}", AnnotatedSchedules.EVERY).then().statusCode(404);
    }

    @Test
    void aNameIsOneScheduleCodeReplacesItsOwnRegistrationButNotAnAnnotations() {
        IllegalStateException taken = assertThrows(IllegalStateException.class, () -> schedules.every(
                AnnotatedSchedules.YEARLY, A_DAY, Schedules.Missed.SKIP, tick -> functions.scheduled("x", "y")));
        assertTrue(taken.getMessage().contains("\"" + AnnotatedSchedules.YEARLY + "\" is taken by @DurableSchedule on "
                + AnnotatedSchedules.class.getName() + "#yearly"), taken.getMessage());
        assertThrows(IllegalStateException.class, () -> schedules.cron(AnnotatedSchedules.YEARLY, "0 0 3 * * ?",
                ZoneId.of("UTC"), Schedules.Missed.SKIP, tick -> functions.scheduled("x", "y")));
        Schedules.Schedule yearly = schedules.get(AnnotatedSchedules.YEARLY).orElseThrow();
        assertEquals("0 0 0 1 1 ?", yearly.cron(), "the annotation's schedule stays");
        assertEquals(ZoneId.of("Europe/Paris"), yearly.zone());

        String name = register(A_DAY, Schedules.Missed.SKIP);
        schedules.every(name, A_DAY.multipliedBy(2), Schedules.Missed.RUN_ONCE,
                tick -> functions.scheduled(name, tick.toString()));
        assertEquals(A_DAY.multipliedBy(2), schedules.get(name).orElseThrow().every(), "registered again from code");
        assertEquals(Schedules.Missed.RUN_ONCE, schedules.get(name).orElseThrow().missed());
    }

    @Test
    void twoReplicasLookingAtTheSameTickStartOneCall() throws Exception {
        String name = register(A_DAY, Schedules.Missed.SKIP);
        Instant due = awaitFirstLook(name, A_DAY);
        setLastTick(name, due.minus(A_DAY));

        ExecutorService replicas = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Optional<ScheduleRunner.Tick>>> looks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                looks.add(replicas.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    return runner.tick(name, Instant.now());
                }));
            }
            go.countDown();
            for (Future<Optional<ScheduleRunner.Tick>> look : looks) {
                look.get(30, TimeUnit.SECONDS);
            }
        } finally {
            replicas.shutdownNow();
        }
        // The service's own loop is a third replica here: whichever took the tick, there is one call.
        String key = name + "@" + due;
        assertEquals(1L, Rows.count(em, "select count(*) from errand_call where business_key like ?1", name + "@%"));
        String id = calls.byBusinessKey("test-scheduled", key).orElseThrow().id();
        await().atMost(Duration.ofSeconds(30)).until(() -> state(id) == CallStatus.State.SUCCEEDED);
        assertEquals(1, functions.runs(name, due.toString()));

        // Even with the row's last tick lost, the tick's key finds the call it started: no second call.
        setLastTick(name, due.minus(A_DAY));
        Optional<ScheduleRunner.Tick> again = runner.tick(name, Instant.now());
        again.ifPresent(tick -> assertEquals(id, tick.call().id()));
        assertEquals(1L, Rows.count(em, "select count(*) from errand_call where business_key like ?1", name + "@%"));
        assertEquals(1, functions.runs(name, due.toString()));
    }

    @Test
    void aPausedScheduleDoesNotTickAndTicksAgainOnceResumedSkippingWhatItMissed() {
        String name = register(TWO_SECONDS, Schedules.Missed.SKIP);
        await().atMost(Duration.ofSeconds(15)).until(() -> ticks(name).size() >= 1);

        asAdmin().post("/errand/schedules/{name}/pause", name).then().statusCode(200).body("paused", equalTo(true))
                .body("nextTick", nullValue());
        int before = ticks(name).size();
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> ticks(name).size() == before);

        Instant resumed = Instant.now();
        asAdmin().post("/errand/schedules/{name}/resume", name).then().statusCode(200).body("paused", equalTo(false));
        await().atMost(Duration.ofSeconds(15)).until(() -> ticks(name).size() > before);
        // The three ticks missed while paused were skipped: the next tick after the resume is the first run.
        List<Instant> after = ticks(name).subList(before, ticks(name).size());
        assertTrue(after.get(0).isAfter(resumed), "ticks missed while paused are skipped, first after: " + after);
    }

    @Test
    void missedTicksAfterAnOutageRunOnceOrAreSkippedByTheSchedulesPolicy() {
        String once = register(A_DAY, Schedules.Missed.RUN_ONCE);
        String skip = register(A_DAY, Schedules.Missed.SKIP);
        Instant due = awaitFirstLook(once, A_DAY);
        awaitFirstLook(skip, A_DAY);

        // An outage of five days: the last tick started was five intervals ago.
        setLastTick(once, due.minus(A_DAY.multipliedBy(5)));
        setLastTick(skip, due.minus(A_DAY.multipliedBy(5)));

        await().atMost(Duration.ofSeconds(15)).until(() -> due.equals(lastTick(once)) && due.equals(lastTick(skip)));
        assertEquals(List.of(due), ticks(once), "one call for all the missed ticks, keyed by the latest");
        assertEquals(List.of(), ticks(skip), "the missed ticks are skipped: nothing runs until the next");
        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(once, due.toString()) == 1);
    }

    @Test
    void aTriggerRunsAPausedScheduleNowWithoutTakingATick() {
        String name = register(A_DAY, Schedules.Missed.SKIP);
        Instant due = awaitFirstLook(name, A_DAY);
        schedules.pause(name);

        String id = asAdmin().post("/errand/schedules/{name}/trigger", name).then().statusCode(202)
                .body("schedule", equalTo(name)).extract().path("callId");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(id) == CallStatus.State.SUCCEEDED);
        assertTrue(calls.status(id).orElseThrow().businessKey().startsWith(name + "@trigger@"));
        assertEquals(due, lastTick(name), "a trigger is no tick");
        assertEquals(List.of(), ticks(name));
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        String name = register(A_DAY, Schedules.Missed.SKIP);
        for (String action : List.of("pause", "resume", "trigger")) {
            asAdmin().post("/errand/schedules/{name}/" + action, "no-such-schedule").then().statusCode(404)
                    .contentType("application/problem+json");
            asViewer().post("/errand/schedules/{name}/" + action, name).then().statusCode(403);
        }
        asViewer().get("/errand/schedules/{name}", "no-such-schedule").then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(0L, Rows.execute("select count(*) from errand_schedule where name = 'no-such-schedule'"));
        assertEquals(false, schedules.get(name).orElseThrow().paused());
        assertEquals(0L, Rows.count(em, "select count(*) from errand_call where business_key like ?1", name + "@%"));

        assertThrows(IllegalArgumentException.class,
                () -> schedules.every("no spaces", A_DAY, Schedules.Missed.SKIP, tick -> functions.scheduled("x", "y")));
        assertThrows(IllegalArgumentException.class, () -> schedules.every("too-often", Duration.ofMillis(10),
                Schedules.Missed.SKIP, tick -> functions.scheduled("x", "y")));
        IllegalArgumentException badCron = assertThrows(IllegalArgumentException.class, () -> schedules.cron("bad-cron",
                "0 0 2 * *", ZoneId.of("UTC"), Schedules.Missed.SKIP, tick -> functions.scheduled("x", "y")));
        assertTrue(badCron.getMessage().contains("\"0 0 2 * *\" is no Quartz cron expression"), badCron.getMessage());
        assertEquals(Optional.empty(), schedules.get("bad-cron"));
    }

    private String register(Duration every, Schedules.Missed missed) {
        String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
        schedules.every(name, every, missed, tick -> functions.scheduled(name, tick.toString()));
        registered.add(name);
        return name;
    }

    /**
     * Each tick started is one call: its key once. Not that no tick is missing: a loop held up for more than
     * an interval (two busy cores, other tests) misses the late tick as an outage would, by the schedule's
     * Missed policy (SKIP drops it; RUN_ONCE folds it into the next).
     */
    private void assertOneCallPerTick(String name, List<Instant> ticks) {
        assertEquals(ticks.size(), ticks.stream().distinct().count(), "no tick twice: " + ticks);
        for (Instant tick : ticks) {
            assertEquals(1L, Rows.count(em, "select count(*) from errand_call where business_key = ?1",
                    name + "@" + tick), "the calls of tick " + tick);
        }
    }

    /** The ticks started, oldest first (triggers are not ticks). */
    private List<Instant> ticks(String name) {
        List<Instant> ticks = new ArrayList<>();
        for (Object key : QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select business_key from errand_call where business_key like ?1 and business_key not like ?2 order by business_key")
                .setParameter(1, name + "@%").setParameter(2, name + "@trigger@%").getResultList())) {
            ticks.add(Instant.parse(((String) key).substring(name.length() + 1)));
        }
        ticks.sort(null);
        return ticks;
    }

    /** A new schedule's first look records the current tick as its last, starting nothing. */
    private Instant awaitFirstLook(String name, Duration every) {
        await().atMost(Duration.ofSeconds(15)).until(() -> lastTick(name) != null);
        Instant last = lastTick(name);
        assertEquals(0, last.toEpochMilli() % every.toMillis());
        return last;
    }

    private Instant lastTick(String name) {
        Object last = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select last_tick from errand_schedule where name = ?1").setParameter(1, name).getResultList()
                .stream().findFirst().orElse(null));
        if (last == null) {
            return null;
        }
        return last instanceof Instant instant ? instant
                : last instanceof OffsetDateTime offset ? offset.toInstant() : ((Timestamp) last).toInstant();
    }

    private void setLastTick(String name, Instant tick) {
        Rows.execute("update errand_schedule set last_tick = ? where name = ?", Timestamp.from(tick), name);
    }

    private CallStatus.State state(String id) {
        return calls.status(id).map(CallStatus::state).orElse(null);
    }
}
