package dev.errand.it.deadletter;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Dead letters in the module alone, on a test handler that gives up at its first failure: each is
 * listed with its reason and history, replayed to its own queue where it runs again, once, and can be
 * discarded.
 */
@BothBrokers
@QuarkusTest
class DeadLetterReplayTest {

    @Inject
    WorkLog log;

    String test;

    @BeforeEach
    void aFreshLog() {
        log.clear();
        test = "replay-" + UUID.randomUUID();
    }

    @Test
    void aReplayedDeadLetterRunsAgainOnItsOwnQueueAndSucceedsOnce() {
        long id = deadLetterOf(TestWorkMessages.work(test).failingFirst(1));
        JsonPath letter = asViewer().get("/errand/dead-letters/{id}", id).then().statusCode(200).extract().jsonPath();
        assertEquals("retries-exhausted", letter.getString("reason"));
        assertEquals(TestWorkProcessor.ONCE_QUEUE, letter.getString("queue"));
        assertEquals(TestWorkProcessor.ONCE, letter.getString("consumer"));
        // max-attempts is 1 for this consumer: one attempt, and it is in the history.
        assertEquals(1, letter.getInt("attempts"));
        assertEquals(1, letter.getList("history").size());

        asAdmin().post("/errand/dead-letters/{id}/replay", id).then().statusCode(202).body("status", equalTo("REPLAYED"));

        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded(test) == 1);
        asViewer().get("/errand/dead-letters/{id}", id).then().body("status", equalTo("REPLAYED"))
                .body("replayCount", equalTo(1));
        // Replaying twice is refused: the message is already back on its queue.
        asAdmin().post("/errand/dead-letters/{id}/replay", id).then().statusCode(409)
                .contentType("application/problem+json");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> succeeded(test) == 1);
    }

    @Test
    void replayingAQueueRedrivesEachOfItsDeadLettersOnce() {
        deadLetterOf(TestWorkMessages.work(test + "-a").failingFirst(1));
        deadLetterOf(TestWorkMessages.work(test + "-b").failingFirst(1));

        asAdmin().queryParam("queue", TestWorkProcessor.ONCE_QUEUE).post("/errand/dead-letters/replay").then()
                .statusCode(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded(test + "-a") == 1 && succeeded(test + "-b") == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> succeeded(test + "-a") == 1 && succeeded(test + "-b") == 1);
    }

    @Test
    void aDiscardedDeadLetterLeavesTheListAndCannotBeReplayed() {
        long id = deadLetterOf(TestWorkMessages.work(test).failingFirst(1));

        asAdmin().delete("/errand/dead-letters/{id}", id).then().statusCode(204);

        asViewer().queryParam("size", 500).get("/errand/dead-letters").then().statusCode(200)
                .body("items.findAll { it.id == %d }.size()".formatted(id), equalTo(0));
        asAdmin().post("/errand/dead-letters/{id}/replay", id).then().statusCode(409)
                .contentType("application/problem+json");
        asAdmin().delete("/errand/dead-letters/{id}", 987654321L).then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(0, succeeded(test));
    }

    @Test
    void aBulkReplayCountsItsSelectionInADryRunAndThenReplaysOnlyTheLettersOfItsReasonAndTime() {
        long before = deadLetterOf(TestWorkMessages.work(test + "-before").failingFirst(1));
        long first = deadLetterOf(TestWorkMessages.work(test + "-first").failingFirst(1));
        long poison = deadLetterOf(TestWorkMessages.work(test + "-poison").withBody("{\"failures\": 0}"));
        long last = deadLetterOf(TestWorkMessages.work(test + "-last").failingFirst(1));
        long after = deadLetterOf(TestWorkMessages.work(test + "-after").failingFirst(1));
        // From the first's dead-lettering to just after the last's: first, poison and last, of which the
        // poison message is a contract violation, not retries exhausted.
        String from = deadLetteredAt(first).toString();
        String to = deadLetteredAt(last).plus(1, ChronoUnit.MICROS).toString();

        asAdmin().queryParam("queue", TestWorkProcessor.ONCE_QUEUE).queryParam("reason", "retries-exhausted")
                .queryParam("deadLetteredFrom", from).queryParam("deadLetteredTo", to).queryParam("dryRun", "true")
                .post("/errand/dead-letters/replay").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("matched", equalTo(2));
        for (long id : List.of(before, first, poison, last, after)) {
            assertEquals("DEAD_LETTERED", status(id), "a dry run replays nothing");
        }

        asAdmin().queryParam("queue", TestWorkProcessor.ONCE_QUEUE).queryParam("reason", "retries-exhausted")
                .queryParam("deadLetteredFrom", from).queryParam("deadLetteredTo", to)
                .post("/errand/dead-letters/replay").then().statusCode(202)
                .body("dryRun", equalTo(false)).body("replayed", equalTo(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded(test + "-first") == 1 && succeeded(test + "-last") == 1);
        assertEquals("REPLAYED", status(first));
        assertEquals("REPLAYED", status(last));
        for (long id : List.of(before, poison, after)) {
            assertEquals("DEAD_LETTERED", status(id), "outside the selection: " + id);
        }
        assertEquals(0, succeeded(test + "-before"));
        assertEquals(0, succeeded(test + "-after"));
    }

    @Test
    void aBulkReplayWithABadSelectionIsRefusedWithAProblemAndReplaysNothing() {
        long id = deadLetterOf(TestWorkMessages.work(test).failingFirst(1));
        String now = Instant.now().toString();
        String hourAgo = Instant.now().minus(1, ChronoUnit.HOURS).toString();

        asAdmin().queryParam("reason", "retries-exhaustd").post("/errand/dead-letters/replay").then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().queryParam("deadLetteredFrom", "yesterday").post("/errand/dead-letters/replay").then()
                .statusCode(400).contentType("application/problem+json");
        asAdmin().queryParam("deadLetteredFrom", now).queryParam("deadLetteredTo", hourAgo)
                .post("/errand/dead-letters/replay").then().statusCode(400).contentType("application/problem+json");
        asAdmin().queryParam("dryRun", "yes").post("/errand/dead-letters/replay").then().statusCode(400)
                .contentType("application/problem+json");
        asViewer().queryParam("dryRun", "true").post("/errand/dead-letters/replay").then().statusCode(403);

        assertEquals("DEAD_LETTERED", status(id));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> succeeded(test) == 0);
    }

    private static String status(long id) {
        return asViewer().get("/errand/dead-letters/{id}", id).then().statusCode(200).extract().path("status");
    }

    private static Instant deadLetteredAt(long id) {
        return Instant.parse(asViewer().get("/errand/dead-letters/{id}", id).then().statusCode(200).extract()
                .path("deadLetteredAt"));
    }

    /** Sends the work, which fails its only attempt; returns its dead letter's id. */
    private long deadLetterOf(TestWorkMessages work) {
        try (AnySender sender = new AnySender()) {
            sender.send(TestWorkProcessor.ONCE_QUEUE, work.build());
        }
        String find = "items.find { it.messageId == '%s' }.id".formatted(work.messageId());
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().get(find) != null);
        return deadLetters().getLong(find);
    }

    private static JsonPath deadLetters() {
        return asViewer().queryParam("queue", TestWorkProcessor.ONCE_QUEUE).queryParam("size", 500)
                .get("/errand/dead-letters").then().statusCode(200).extract().jsonPath();
    }

    private long succeeded(String id) {
        return log.succeeded().stream().filter(attempt -> attempt.id().equals(id)).count();
    }
}
