package dev.errand.it.idempotency;

import static dev.errand.testing.Users.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.WireContract;
import dev.errand.testing.AnySender;
import dev.errand.testing.Broker;
import dev.errand.testing.Rows;
import dev.errand.it.work.BatchProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Group commit: messages waiting for one consumer run in one transaction, and each still ends in
 * exactly one outcome, whatever fails: a handler in the middle of a batch (its work, JDBC and
 * Hibernate, is rolled back alone), or the batch's commit itself.
 */
@QuarkusTest
class GroupCommitTest {

    private static final String PAUSE = "/errand/consumers/" + BatchProbe.CHANNEL + "/pause";
    private static final String RESUME = "/errand/consumers/" + BatchProbe.CHANNEL + "/resume";

    @Inject
    EntityManager em;

    @Inject
    BatchProbe probe;

    @BeforeEach
    void clean() {
        probe.clear();
        Rows.execute("delete from batch_probe");
        Rows.execute("delete from errand_processed_message where consumer = ?", BatchProbe.ENTITY_CONSUMER);
    }

    @AfterEach
    void resumed() {
        asAdmin().post(RESUME);
    }

    @Test
    void messagesThatWaitCommitTogetherAndAFailingOneIsRolledBackAloneAndRetried() {
        String run = "gc-" + System.nanoTime();
        List<AmqpMessage> messages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean failsOnce = i % 10 == 3;
            boolean poison = i == 25;
            messages.add(message(run + "-" + i, failsOnce || poison ? 1 : 0, poison, false));
        }
        sendWhilePaused(messages);

        await().atMost(Duration.ofSeconds(30)).until(() -> rows("select count(distinct message) from batch_probe where message like ?1", run + "-%") == 39
                && deadLetters(run) == 1);

        // Batches happened: fewer transactions than messages (the feature under test).
        long transactions = rows("select count(distinct tx) from batch_probe where message like ?1", run + "-%");
        assertTrue(transactions < 20, "39 good messages committed in " + transactions + " transactions");
        for (int i = 0; i < 40; i++) {
            String id = run + "-" + i;
            long attemptsCommitted = rows("select count(*) from batch_probe where message = ?1", id);
            long entities = rows("select count(*) from errand_processed_message where consumer = ?1 and message_id like ?2",
                    BatchProbe.ENTITY_CONSUMER, id + ":%");
            long markers = Rows.processedMarkers(em, outside(id));
            if (i == 25) {
                // Failed for good: its first attempt's row, entity and marker all rolled back.
                assertEquals(0, attemptsCommitted + entities + markers, id + " left nothing behind");
            } else {
                // One committed attempt: the failed first attempt of every tenth left no row and no entity.
                assertEquals(1, attemptsCommitted, id + " committed once");
                assertEquals(1, entities, id + "'s entity committed once");
                assertEquals(1, markers, id + " marked once");
                String committed = i % 10 == 3 ? ":2" : ":1";
                assertEquals(1, rows("select count(*) from batch_probe where attempt_id = ?1", id + committed),
                        id + " committed attempt " + committed);
                assertEquals(i % 10 == 3 ? 2 : 1, probe.runs(id), id + " ran as often as it failed, plus once");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth(BatchProbe.QUEUE) == 0);
    }

    @Test
    void aBatchWhoseCommitFailsLeavesEachMessageToRunAloneAndEndOnce() {
        String run = "gcc-" + System.nanoTime();
        List<AmqpMessage> messages = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            messages.add(message(run + "-" + i, 0, false, i == 2));
        }
        sendWhilePaused(messages);

        // The conflicting message can never commit: it ends dead-lettered after its attempts.
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(run) == 1
                && rows("select count(distinct message) from batch_probe where message like ?1", run + "-%") == 15);
        assertEquals(0, rows("select count(*) from batch_probe where message = ?1", run + "-2"));
        assertEquals(0, Rows.processedMarkers(em, outside(run + "-2")));
        for (int i = 0; i < 16; i++) {
            if (i == 2) {
                continue;
            }
            String id = run + "-" + i;
            assertEquals(1, rows("select count(*) from batch_probe where message = ?1", id), id + " committed once");
            assertEquals(1, Rows.processedMarkers(em, outside(id)), id + " marked once");
            // Ran in the batch that could not commit, then once alone, at most.
            assertTrue(probe.runs(id) <= 2, id + " ran " + probe.runs(id) + " times");
        }
        assertTrue(java.util.stream.IntStream.range(0, 16).filter(i -> i != 2)
                .anyMatch(i -> probe.runs(run + "-" + i) == 2), "some message shared the doomed batch");
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth(BatchProbe.QUEUE) == 0);
    }

    /** Sent while the consumer is paused, so they wait together and form batches on resume. */
    /** The probe's messages come from an outside sender: their markers are kept under its prefix. */
    private static String outside(String messageId) {
        return dev.errand.Origin.OUTSIDE.idempotencyId(messageId);
    }

    private static void sendWhilePaused(List<AmqpMessage> messages) {
        asAdmin().post(PAUSE).then().statusCode(200);
        try (AnySender sender = new AnySender()) {
            sender.sendAll(BatchProbe.QUEUE, messages);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth(BatchProbe.QUEUE) == messages.size());
        asAdmin().post(RESUME).then().statusCode(200);
    }

    private static AmqpMessage message(String id, int failures, boolean permanent, boolean conflict) {
        JsonObject body = new JsonObject().put("id", id).put("failures", failures).put("permanent", permanent)
                .put("conflictAtCommit", conflict);
        return AmqpMessage.create().id(id).durable(true).contentType(WireContract.CONTENT_TYPE)
                .withBufferAsBody(Buffer.buffer(body.encode())).build();
    }

    private long deadLetters(String run) {
        return rows("select count(*) from errand_dead_letter where message_id like ?1", run + "-%");
    }

    private long rows(String sql, Object... parameters) {
        return Rows.count(em, sql, parameters);
    }
}
