package dev.errand.it.retention;

import static org.awaitility.Awaitility.await;
import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.internal.retention.HistoryReadings;
import dev.errand.internal.retention.RetentionSweeper;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Retention removes what is past its window and nothing else: a waiting dead letter, a running
 * workflow with its steps and children, a call whose parent runs, and a marker younger than its window
 * all stay. Rows are written as Errand writes them, then aged in the database. Broker-free: it runs on
 * Artemis only (the broker's part, a late copy, is {@link LateCopyTest}'s, on both brokers).
 */
@QuarkusTest
class RetentionTest {

    @Inject
    RetentionSweeper sweeper;

    @Inject
    HistoryReadings readings;

    String run;

    @BeforeEach
    void aRunOfItsOwn() {
        run = "ret-" + UUID.randomUUID();
    }

    @Test
    void markersGoOnceOlderThanTheirWindowAndYoungerOnesStay() {
        marker("old", "4 days");
        marker("young", "2 days");
        marker("new", "0 days");

        swept(() -> count("select count(*) from errand_processed_message where message_id = ?", id("old")) == 0);

        assertEquals(1, count("select count(*) from errand_processed_message where message_id = ?", id("young")));
        assertEquals(1, count("select count(*) from errand_processed_message where message_id = ?", id("new")));
    }

    @Test
    void aTasksOldStepsGoUnlessItsMessageWaitsAsADeadLetter() {
        taskStep("done", "4 days");
        taskStep("waiting", "4 days");
        taskStep("recent", "1 day");
        deadLetter("waiting", "DEAD_LETTERED", null);

        // An outside sender's message keeps its steps under "outside:<id>"; its dead letter has the bare id.
        Rows.execute("insert into errand_step (consumer, owner_id, name, result, done_at)"
                + " values ('retention-test', ?, 'charge', '1', now() - interval '4 days')", "outside:" + id("outside"));
        Rows.execute("insert into errand_dead_letter (message_id, original_address, consumer, dead_lettered_at, status,"
                + " origin) values (?, 'retention-test', 'retention-test', now(), 'DEAD_LETTERED', 'outside')",
                id("outside"));

        swept(() -> count("select count(*) from errand_step where owner_id = ?", id("done")) == 0);

        assertEquals(1, count("select count(*) from errand_step where owner_id = ?", id("waiting")),
                "the steps of a message waiting as a dead letter stay: its replay resumes after them");
        assertEquals(1, count("select count(*) from errand_step where owner_id = ?", "outside:" + id("outside")),
                "an outside sender's message's steps stay while its dead letter waits");
        assertEquals(1, count("select count(*) from errand_step where owner_id = ?", id("recent")));
    }

    @Test
    void aFinishedCallGoesWithItsStepsAndRestartsButARunningWorkflowItsChildrenAndTheirParentsStay() {
        // A finished workflow with a finished child: both go, with their steps.
        call("done", null, "SUCCEEDED", "8 days");
        call("done/1", id("done"), "SUCCEEDED", "8 days");
        workflowStep("done");
        Rows.execute("insert into errand_call_restart (call_id, attempt, from_seq, restarted_at)"
                + " values (?, 2, 1, now() - interval '9 days')", id("done"));
        // A workflow that still runs, started long ago, with a finished child and a step.
        call("running", null, "WAITING", null);
        call("running/1", id("running"), "SUCCEEDED", "8 days");
        workflowStep("running");
        // A finished workflow with a child that still runs.
        call("parent", null, "FAILED", "8 days");
        call("parent/1", id("parent"), "RUNNING", null);
        // A failed call whose dead letter waits: its replay runs it from its record.
        call("failed", null, "FAILED", "8 days");
        deadLetter("failed", "DEAD_LETTERED", null);
        // Finished, but not long ago.
        call("recent", null, "SUCCEEDED", "6 days");

        // Top down: the child goes at the sweep after its parent's.
        swept(() -> count("select count(*) from errand_call where id in (?, ?)", id("done"), id("done/1")) == 0);

        assertEquals(0, count("select count(*) from errand_step where owner_id = ?", id("done")));
        assertEquals(0, count("select count(*) from errand_call_restart where call_id = ?", id("done")),
                "its restarts go with it");
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("running")));
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("running/1")),
                "a call whose parent still runs stays");
        assertEquals(1, count("select count(*) from errand_step where owner_id = ?", id("running")),
                "a running workflow's steps stay");
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("parent")),
                "a call with a child that still runs stays");
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("parent/1")));
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("failed")),
                "a failed call whose dead letter waits stays");
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("recent")));
    }

    @Test
    void aReplayedWorkflowRunningAgainAndTheChildrenOfAFailedParentWhoseDeadLetterWaitsStay() {
        // A failed workflow replayed: it runs again, though it finished long ago.
        call("again", null, "RUNNING", "8 days");
        workflowStep("again");
        // A failed workflow whose dead letter waits, with a finished child its replay will wait for.
        call("held", null, "FAILED", "8 days");
        call("held/1", id("held"), "SUCCEEDED", "8 days");
        deadLetter("held", "DEAD_LETTERED", null);
        // The same, its dead letter replayed a minute ago: the copy may not have run yet.
        call("replayed", null, "FAILED", "8 days");
        deadLetter("replayed", "REPLAYED", "1 minute");
        // A finished parent and its child go, top down.
        call("tree", null, "SUCCEEDED", "8 days");
        call("tree/1", id("tree"), "SUCCEEDED", "8 days");

        swept(() -> count("select count(*) from errand_call where id in (?, ?)", id("tree"), id("tree/1")) == 0);

        assertEquals(1, count("select count(*) from errand_call where id = ?", id("again")), "a call that runs again stays");
        assertEquals(1, count("select count(*) from errand_step where owner_id = ?", id("again")));
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("held")));
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("held/1")),
                "a child stays while its parent is recorded");
        assertEquals(1, count("select count(*) from errand_call where id = ?", id("replayed")),
                "a failed call replayed within the window stays");
    }

    @Test
    void aTasksStepsStayWhileItsDeadLetterWasReplayedWithinTheWindow() {
        taskStep("lately", "4 days");
        deadLetter("lately", "REPLAYED", "1 minute");
        taskStep("long-ago", "4 days");
        deadLetter("long-ago", "REPLAYED", "4 days");

        swept(() -> count("select count(*) from errand_step where owner_id = ?", id("long-ago")) == 0);

        assertEquals(1, count("select count(*) from errand_step where owner_id = ?", id("lately")));
    }

    @Test
    void aDeadLetterDiscardedOneByOneCountsItsWindowFromThen() {
        deadLetter("single", "DEAD_LETTERED", null);
        long id = count("select id from errand_dead_letter where message_id = ?", id("single"));

        asAdmin().delete("/errand/dead-letters/{id}", id).then().statusCode(204);

        assertEquals(1, count("select count(*) from errand_dead_letter where message_id = ?"
                + " and status = 'DISCARDED' and resolved_at > now() - interval '1 minute'", id("single")));
    }

    @Test
    void resolvedDeadLettersGoAfterTheirWindowAndAWaitingOneNever() {
        deadLetter("replayed", "REPLAYED", "31 days");
        deadLetter("discarded", "DISCARDED", "31 days");
        deadLetter("waiting", "DEAD_LETTERED", null);
        deadLetter("lately", "DISCARDED", "29 days");
        Rows.execute("update errand_dead_letter set dead_lettered_at = now() - interval '400 days' where message_id = ?",
                id("waiting"));

        swept(() -> count("select count(*) from errand_dead_letter where message_id = ?", id("replayed")) == 0);

        assertEquals(0, count("select count(*) from errand_dead_letter where message_id = ?", id("discarded")));
        assertEquals(1, count("select count(*) from errand_dead_letter where message_id = ?", id("waiting")),
                "a dead letter that waits for an operator is never removed, however old");
        assertEquals(1, count("select count(*) from errand_dead_letter where message_id = ?", id("lately")));
    }

    @Test
    void expiredIdempotencyKeysGoAndLiveOnesStay() {
        idempotencyKey("expired", "-1 hour");
        idempotencyKey("live", "1 hour");

        swept(() -> count("select count(*) from errand_idempotency_key where key = ?", id("expired")) == 0);

        assertEquals(1, count("select count(*) from errand_idempotency_key where key = ?", id("live")));
    }

    @Test
    void theReadingsWeighEachTableAndFindEachKindsOldestRow() {
        marker("weighed", "2 days");
        // Held past its window by a rule, so not counted as late: a waiting dead letter's step.
        taskStep("held", "5 days");
        deadLetter("held", "DEAD_LETTERED", null);
        swept(() -> true);

        HistoryReadings.Reading reading = readings.read();

        HistoryReadings.Table markers = reading.tables().stream()
                .filter(table -> table.name().equals("errand_processed_message")).findFirst().orElseThrow();
        assertTrue(markers.bytes() > 0, markers.toString());
        HistoryReadings.Kind oldest = reading.kinds().stream()
                .filter(kind -> kind.name().equals("processed-messages")).findFirst().orElseThrow();
        assertTrue(oldest.oldestAge(reading.at()).compareTo(Duration.ofDays(2).minusMinutes(1)) >= 0, oldest.toString());
        // Three days, and the hour of grace a late copy at the edge of the window needs.
        assertEquals(Duration.ofDays(3).plusHours(1), oldest.window());
        assertTrue(reading.pastRetention(reading.at()).isEmpty(), reading.toString());
    }

    @Test
    void theHistoryShowsInTheMetricsAndOnTheDashboard() {
        marker("shown", "1 day");
        swept(() -> true);

        String metrics = asViewer().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String series : List.of("errand_history_rows{table=\"errand_processed_message\"}",
                "errand_history_size_bytes{table=\"errand_processed_message\"}",
                "errand_history_rows{table=\"errand_signal\"}", "errand_history_rows{table=\"errand_call_restart\"}",
                "errand_history_rows{table=\"errand_schedule\"}",
                "errand_history_oldest_age_seconds{kind=\"processed-messages\"}",
                "errand_retention_window_seconds{kind=\"processed-messages\"} 262800.0",
                "errand_retention_removed_total{kind=\"processed-messages\"}")) {
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith(series)), series + " in\n" + metrics);
        }
        // The dashboard shows the background's last reading, made at each pass.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> asViewer().get("/errand/dashboard").then()
                .statusCode(200).body("history.summary", containsString("processed_message"))
                .body("history.reading.kinds.name", hasItem("processed-messages")));
    }

    /** Sweeps until the condition holds: the background's own pass may hold the sweep at that moment. */
    private void swept(java.util.concurrent.Callable<Boolean> done) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            sweeper.sweep();
            return done.call();
        });
    }

    private String id(String name) {
        return run + "-" + name;
    }

    private void marker(String name, String age) {
        Rows.execute("insert into errand_processed_message (consumer, message_id, processed_at)"
                + " values ('retention-test', ?, now() - ?::interval)", id(name), age);
    }

    private void taskStep(String name, String age) {
        Rows.execute("insert into errand_step (consumer, owner_id, name, result, done_at)"
                + " values ('retention-test', ?, 'charge', '1', now() - ?::interval)", id(name), age);
    }

    private void workflowStep(String call) {
        Rows.execute("insert into errand_step (consumer, owner_id, seq, name, result, done_at)"
                + " values ('', ?, 1, 'step', '1', now() - interval '9 days')", id(call));
    }

    private void call(String name, String parent, String status, String finishedAgo) {
        Rows.execute("insert into errand_call (id, function, workflow, parent_id, status, created_at, finished_at)"
                + " values (?, 'retention-test', ?, ?, ?, now() - interval '10 days',"
                + " now() - cast(? as interval))", id(name), parent == null, parent, status,
                finishedAgo == null ? null : finishedAgo);
    }

    private void deadLetter(String name, String status, String resolvedAgo) {
        Rows.execute("insert into errand_dead_letter (message_id, original_address, consumer, dead_lettered_at, status,"
                + " resolved_at) values (?, 'retention-test', 'retention-test', now() - interval '40 days', ?,"
                + " now() - cast(? as interval))", id(name), status, resolvedAgo);
    }

    private void idempotencyKey(String name, String expiresIn) {
        Rows.execute("insert into errand_idempotency_key (scope, key, fingerprint, status, expires_at)"
                + " values ('retention-test', ?, 'f', 200, now() + ?::interval)", id(name), expiresIn);
    }

    private static long count(String sql, Object... parameters) {
        return Rows.execute(sql, parameters);
    }
}
