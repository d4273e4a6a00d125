package dev.errand.it.sending;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.Sender;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import dev.errand.testing.Broker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A message the broker refuses for good (here: the service may not send to its address) fails alone:
 * what is sent after it still reaches the broker and its consumers, without a restart. Artemis only:
 * the refusal is made by taking the send permission away on one address, which RabbitMQ's AMQP 1.0
 * plugin does not offer the same way; and there a message to a queue nobody declared
 * ({@code /amq/queue/<name>}) is accepted and dropped, not refused (seen with 3.10.8).
 */
@QuarkusTest
class RefusedSendTest {

    /** Nobody consumes it; it exists once the first message is stored there (auto-created). */
    private static final String REFUSED = "errand.test-refused-send";

    @Inject
    Sender sender;

    @Inject
    Outbox outbox;

    @Inject
    WorkLog log;

    @BeforeEach
    void refuse() {
        log.clear();
        Broker.refuseSends(REFUSED);
    }

    @AfterEach
    void accept() {
        Broker.acceptSends(REFUSED);
    }

    @Test
    void aRefusedMessageFailsAloneAndTheNextMessageIsStillSentAndConsumed() {
        CompletableFuture<Void> refused = sender.send(message(REFUSED, "refused-now")).toCompletableFuture();
        await().atMost(Duration.ofSeconds(60)).until(refused::isDone);
        assertTrue(refused.isCompletedExceptionally(), "the broker refused it, so the send must fail");

        CompletableFuture<Void> next = sender.send(work("after-the-refusal")).toCompletableFuture();
        await().atMost(Duration.ofSeconds(60)).until(next::isDone);
        assertTrue(!next.isCompletedExceptionally(), () -> "the send after a refusal failed: " + next.handle((ok, e) -> e).join());
        await().atMost(Duration.ofSeconds(60)).until(() -> consumed("after-the-refusal"));
    }

    @Test
    void aRefusedOutboxMessageWaitsWhileLaterOnesAreConsumedAndGoesOnceTheBrokerTakesIt() {
        QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(message(REFUSED, "refused-outbox")));
        // Committed after the refused row: the relay's later passes carry it beside the refused one.
        QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(work("after-the-refused-row")));
        await().atMost(Duration.ofSeconds(60)).until(() -> consumed("after-the-refused-row"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                outbox.backlog(REFUSED).messages() == 1 && outbox.backlog(TestWorkProcessor.PARALLEL_QUEUE).messages() == 0);

        Broker.acceptSends(REFUSED);
        // The relay backs off while only the refused row is left, at most 30 s between tries.
        await().atMost(Duration.ofSeconds(60)).until(() -> outbox.backlog(REFUSED).messages() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth(REFUSED) == 1);
    }

    private boolean consumed(String id) {
        return log.succeeded().stream().anyMatch(attempt -> attempt.id().equals(id));
    }

    private static OutboundMessage work(String id) {
        return message(TestWorkProcessor.PARALLEL_QUEUE, id);
    }

    private static OutboundMessage message(String address, String id) {
        return OutboundMessage.json(address, "test-work:" + id, null, null,
                "{\"id\": \"" + id + "\", \"failures\": 0, \"millis\": 0, \"gate\": false}");
    }
}
