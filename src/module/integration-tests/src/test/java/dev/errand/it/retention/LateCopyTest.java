package dev.errand.it.retention;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.Origin;
import dev.errand.internal.retention.RetentionSweeper;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Rows;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The marker rule on the wire: a copy that comes inside its marker's window is a duplicate, sweep or
 * not; a message made longer ago than the window is dead-lettered unrun ({@code past-marker-retention}),
 * since its marker may be gone, and its replay (a new copy) runs it once.
 */
@BothBrokers
@QuarkusTest
class LateCopyTest {

    @Inject
    WorkLog log;

    @Inject
    RetentionSweeper sweeper;

    @Inject
    MeterRegistry registry;

    String id;

    @BeforeEach
    void aFreshLog() {
        log.clear();
        id = "late-" + UUID.randomUUID();
    }

    @Test
    void aCopyRedeliveredInsideItsWindowRunsOnceThoughRetentionSweptMeanwhile() {
        TestWorkMessages work = TestWorkMessages.work(id);
        send(TestWorkProcessor.PARALLEL_QUEUE, work);
        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded() == 1);
        double duplicates = duplicatesSkipped();

        sweeper.sweep();
        // The marker, young, is still there after the sweep (a pass the background held changes nothing).
        assertEquals(1, Rows.execute("select count(*) from errand_processed_message where message_id = ?",
                Origin.OUTSIDE.idempotencyId(work.messageId())));
        // The same message again, made two days ago: inside the three days its marker is kept.
        send(TestWorkProcessor.PARALLEL_QUEUE, TestWorkMessages.work(id).madeAt(Instant.now().minus(Duration.ofDays(2))));

        await().atMost(Duration.ofSeconds(20)).until(() -> duplicatesSkipped() > duplicates);
        assertEquals(1, succeeded());
    }

    @Test
    void aMessageMadeLongerAgoThanItsMarkerWindowIsDeadLetteredUnrunAndItsReplayRunsOnce() {
        TestWorkMessages work = TestWorkMessages.work(id).madeAt(Instant.now().minus(Duration.ofDays(4)));
        send(TestWorkProcessor.ONCE_QUEUE, work);

        String find = "items.find { it.messageId == '%s' }".formatted(work.messageId());
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().get(find) != null);
        JsonPath letters = deadLetters();
        assertEquals("past-marker-retention", letters.getString(find + ".reason"));
        assertEquals(0, log.attempts().stream().filter(attempt -> attempt.id().equals(id)).count(),
                "a message whose marker may be gone does not run");

        asAdmin().post("/errand/dead-letters/{id}/replay", letters.getLong(find + ".id")).then().statusCode(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> succeeded() == 1);
    }

    private static void send(String queue, TestWorkMessages work) {
        try (AnySender sender = new AnySender()) {
            sender.send(queue, work.build());
        }
    }

    private long succeeded() {
        return log.succeeded().stream().filter(attempt -> attempt.id().equals(id)).count();
    }

    private double duplicatesSkipped() {
        var counter = registry.find("errand.handler.messages").tag("consumer", TestWorkProcessor.PARALLEL)
                .tag("outcome", "duplicate_skipped").counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonPath deadLetters() {
        return asViewer().queryParam("queue", TestWorkProcessor.ONCE_QUEUE).queryParam("size", 500)
                .get("/errand/dead-letters").then().statusCode(200).extract().jsonPath();
    }
}
