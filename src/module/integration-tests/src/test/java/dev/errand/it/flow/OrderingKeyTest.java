package dev.errand.it.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.AnySender;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;

/**
 * Messages with the same ordering key run one at a time in order; different keys run in parallel.
 * <p>
 * Artemis only: it relies on message groups, which RabbitMQ's AMQP 1.0 plugin does not have (there a
 * keyed message held by a dying foreign consumer comes back last; see docs/operations/scaling.md).
 */
@QuarkusTest
class OrderingKeyTest {

    private static final int KEYS = 50;
    private static final int PER_KEY = 6;

    @Inject
    WorkLog log;

    @BeforeEach
    void clearLog() {
        log.clear();
    }

    @Test
    void eachKeyRunsInOrderThroughRetriesWhileKeysRunInParallel() {
        List<AmqpMessage> messages = new ArrayList<>();
        for (int step = 0; step < PER_KEY; step++) {
            for (int key = 0; key < KEYS; key++) {
                TestWorkMessages work = TestWorkMessages.work("k" + key + "-" + step).orderedBy("k" + key).taking(2);
                // Every fifth key fails its second step twice: it retries without the third overtaking it.
                if (key % 5 == 0 && step == 1) {
                    work.failingFirst(2);
                }
                messages.add(work.build());
            }
        }
        try (AnySender sender = new AnySender()) {
            sender.sendAll(TestWorkProcessor.PARALLEL_QUEUE, messages);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> log.succeeded().size() == KEYS * PER_KEY);

        assertEveryKeyRanInOrderOneAtATime();
        assertTrue(log.maxRunning() > 1, "different keys ran in parallel");
    }

    @Test
    void aKeyKeepsItsOrderWhenAnotherConsumerDiesHoldingItsMessages() {
        List<AmqpMessage> held = new CopyOnWriteArrayList<>();
        try (AnySender doomed = AnySender.asService(); AnySender sender = new AnySender()) {
            // A second consumer on the queue. The message group (group-id = ordering key) gives each
            // key to one consumer at a time; when this one dies, its keys move, unsettled messages first.
            doomed.receiveWithoutSettling(TestWorkProcessor.PARALLEL_QUEUE, held);
            List<AmqpMessage> messages = new ArrayList<>();
            for (int step = 0; step < PER_KEY; step++) {
                for (int key = 0; key < KEYS; key++) {
                    messages.add(TestWorkMessages.work("r" + key + "-" + step).orderedBy("r" + key).taking(1).build());
                }
            }
            sender.sendAll(TestWorkProcessor.PARALLEL_QUEUE, messages);
            await().atMost(Duration.ofSeconds(20)).until(() -> !held.isEmpty());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> log.succeeded().size() == KEYS * PER_KEY);
        assertTrue(held.size() > 0, "the doomed consumer held messages when it died");
        assertEveryKeyRanInOrderOneAtATime();
    }

    private void assertEveryKeyRanInOrderOneAtATime() {
        Map<String, List<WorkLog.Attempt>> byKey = log.attempts().stream()
                .collect(Collectors.groupingBy(WorkLog.Attempt::key));
        assertEquals(KEYS, byKey.size());
        byKey.forEach((key, attempts) -> {
            List<WorkLog.Attempt> byStart = attempts.stream()
                    .sorted(java.util.Comparator.comparingLong(WorkLog.Attempt::startedNanos)).toList();
            List<String> succeededInOrder = byStart.stream().filter(WorkLog.Attempt::succeeded)
                    .map(WorkLog.Attempt::id).toList();
            List<String> expected = new ArrayList<>();
            for (int step = 0; step < PER_KEY; step++) {
                expected.add(key + "-" + step);
            }
            assertEquals(expected, succeededInOrder, "order of key " + key);
            for (int i = 1; i < byStart.size(); i++) {
                assertTrue(byStart.get(i).startedNanos() >= byStart.get(i - 1).endedNanos(),
                        "key " + key + " never ran two messages at once");
            }
        });
    }
}
