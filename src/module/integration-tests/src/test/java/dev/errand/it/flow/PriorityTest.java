package dev.errand.it.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.RabbitMq;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;

/**
 * Urgent work overtakes a backlog: the broker delivers by AMQP priority and the consumer starts by it.
 * <p>
 * On RabbitMQ too: its 3.10 AMQP 1.0 plugin over-delivers to a receiver that tops its credit up one
 * message at a time, as the connector's AMQP client does (bench/rabbitmq/credit-check.py), so with
 * that client the consumer's link got the whole backlog (9,959 of 10,000 unacked) and 2,060 to
 * 10,000 normal messages finished before the urgent ones. Errand's receiver there grants credit in
 * batches (BatchedCreditReceiver).
 */
@QuarkusTest
@BothBrokers
class PriorityTest {

    private static final Logger LOG = Logger.getLogger(PriorityTest.class);
    private static final int BACKLOG = 10_000;
    private static final int URGENT = 10;
    private static final int HELD_AT_MOST = 600;

    @Inject
    WorkLog log;

    @BeforeEach
    void clearLog() {
        log.clear();
    }

    @AfterEach
    void openGate() {
        log.open();
    }

    @Test
    void urgentMessagesSentBehindTenThousandNormalOnesFinishFirst() {
        log.close();
        List<AmqpMessage> messages = new ArrayList<>();
        // Eight gated messages occupy the consumer's eight workers while the backlog builds up.
        IntStream.range(0, 8).forEach(i -> messages.add(TestWorkMessages.work("gated-" + i).waitingForTheGate().build()));
        IntStream.range(0, BACKLOG).forEach(i -> messages.add(TestWorkMessages.work("normal-" + i).build()));
        IntStream.range(0, URGENT).forEach(i -> messages.add(TestWorkMessages.work("urgent-" + i).withPriority(9).build()));
        try (AnySender sender = new AnySender()) {
            sender.sendAll(TestWorkProcessor.PARALLEL_QUEUE, messages);
        }
        if (RabbitMq.selected()) {
            // The consumer holds a bounded share of the backlog, however long it stays busy: a credit
            // batch (256), the dispatcher's waiting messages (256) and its 8 workers, with room for
            // the messages in SmallRye's hand-over. Before Errand's receiver: 9,959 of 10,018.
            await().atMost(Duration.ofSeconds(30)).until(() -> RabbitMq.unacknowledged(TestWorkProcessor.PARALLEL_QUEUE) > 0);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
                    .until(() -> RabbitMq.unacknowledged(TestWorkProcessor.PARALLEL_QUEUE) <= HELD_AT_MOST);
            LOG.infof("RabbitMQ: the consumer holds %d of the backlog unsettled",
                    RabbitMq.unacknowledged(TestWorkProcessor.PARALLEL_QUEUE));
        }
        log.open();

        await().atMost(Duration.ofSeconds(60)).until(() -> done("urgent-") == URGENT);
        long normalBeforeUrgent = done("normal-");
        // Only what the consumer already held when the urgent ones reached the broker can go before
        // them: the link's 1,000 credits, the connector's hand-over buffer (Mutiny emitOn, 256), the
        // dispatcher's 256 waiting messages and its 8 workers, about 1,520, plus what those 8 workers
        // finish while the urgent ones trickle in. A fifth of the backlog bounds it with room to spare.
        assertTrue(normalBeforeUrgent < BACKLOG / 5, normalBeforeUrgent + " normal messages finished first");
        LOG.infof("All %d urgent messages finished after %d of %d normal ones", URGENT, normalBeforeUrgent, BACKLOG);
        await().atMost(Duration.ofSeconds(120)).until(() -> done("normal-") == BACKLOG);
    }

    private long done(String prefix) {
        return log.succeeded().stream().filter(a -> a.id().startsWith(prefix)).count();
    }
}
