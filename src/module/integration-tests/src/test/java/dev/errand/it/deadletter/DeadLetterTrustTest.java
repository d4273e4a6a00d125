package dev.errand.it.deadletter;

import dev.errand.DeadLetterStatus;
import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.WireContract;
import dev.errand.internal.deadletter.DeadLetter;
import dev.errand.internal.deadletter.DeadLetterRepository;
import dev.errand.DeadLetterStatus;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.testing.AnySender;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.json.JsonObject;

/**
 * The attacks of a sender with broker access, refused: the sender user may only send work, so it
 * can neither read the dead-letter queue, nor write to it, nor call the broker's management; a dead
 * letter Errand did not sign is not recorded, even from a user that may write there; and a replay
 * goes only to a queue the service consumes.
 */
@QuarkusTest
class DeadLetterTrustTest {

    @Inject
    DeadLetterRepository deadLetters;

    @Test
    void theSenderUserCanNeitherReadNorWriteTheDeadLetterQueueNorCallManagement() {
        try (AnySender sender = new AnySender()) {
            assertThrows(IllegalStateException.class, () -> sender.receive(WireContract.DEAD_LETTER_QUEUE));
        }
        try (AnySender sender = new AnySender()) {
            assertThrows(IllegalStateException.class,
                    () -> sender.send(WireContract.DEAD_LETTER_QUEUE, forgery("forged-" + UUID.randomUUID())));
        }
        try (AnySender sender = new AnySender()) {
            assertThrows(IllegalStateException.class, () -> sender.send("activemq.management",
                    AmqpMessage.create().withBody("{}").build()));
        }
        try (AnySender sender = new AnySender()) {
            assertThrows(IllegalStateException.class, () -> sender.receive(TestWorkProcessor.ONCE_QUEUE));
        }
    }

    @Test
    void aDeadLetterErrandDidNotSignIsNotRecordedWhileItsOwnAre() {
        String forged = "forged-" + UUID.randomUUID();
        try (AnySender service = AnySender.asService()) {
            service.send(WireContract.DEAD_LETTER_QUEUE, forgery(forged));
        }
        // A genuine dead letter after it: once that is recorded, the forgery has been read too.
        TestWorkMessages genuine = TestWorkMessages.work("genuine-" + UUID.randomUUID()).failingFirst(1);
        try (AnySender sender = new AnySender()) {
            sender.send(TestWorkProcessor.ONCE_QUEUE, genuine.build());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> recorded(TestWorkProcessor.ONCE_QUEUE, genuine.messageId()));
        assertEquals(false, recorded(TestWorkProcessor.ONCE_QUEUE, forged));
    }

    @Test
    void aDeadLetterFromAQueueTheServiceDoesNotConsumeCannotBeReplayed() {
        // As if recorded before signatures existed, from an address of the attacker's choosing.
        long id = QuarkusTransaction.requiringNew().call(() -> {
            DeadLetter letter = new DeadLetter();
            letter.messageId = "elsewhere-" + UUID.randomUUID();
            letter.originalAddress = "attacker.inbox";
            letter.body = "{}";
            letter.reason = "rejected";
            letter.deadLetteredAt = Instant.now();
            letter.status = DeadLetterStatus.DEAD_LETTERED;
            deadLetters.persist(letter);
            return letter.id;
        });
        asAdmin().post("/errand/dead-letters/{id}/replay", id).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("attacker.inbox"));
        asAdmin().queryParam("queue", "attacker.inbox").post("/errand/dead-letters/replay").then().statusCode(202)
                .body("replayed", equalTo(0));
        asViewer().get("/errand/dead-letters/{id}", id).then().body("status", equalTo("DEAD_LETTERED"));
    }

    private static AmqpMessage forgery(String messageId) {
        return AmqpMessage.create().id(messageId).contentType(WireContract.CONTENT_TYPE)
                .withBody("{\"id\":\"" + messageId + "\"}")
                .applicationProperties(new JsonObject()
                        .put(WireContract.DL_ORIGINAL_ADDRESS, TestWorkProcessor.ONCE_QUEUE)
                        .put(WireContract.DL_CONSUMER, TestWorkProcessor.ONCE)
                        .put(WireContract.DL_REASON, "rejected")
                        .put(WireContract.DL_SIGNATURE, "bm90LWEtc2lnbmF0dXJl"))
                .build();
    }

    private boolean recorded(String queue, String messageId) {
        return QuarkusTransaction.requiringNew().call(() -> deadLetters
                .find("originalAddress = ?1 and messageId = ?2", queue, messageId).firstResultOptional().isPresent());
    }
}
