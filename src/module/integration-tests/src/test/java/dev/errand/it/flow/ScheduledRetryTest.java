package dev.errand.it.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;

/**
 * A failing message waits for its next attempt on the broker, not in a worker: the consumer used
 * here runs one message at a time, so a retry that held its worker would hold back every message.
 */
@BothBrokers
@QuarkusTest
class ScheduledRetryTest {

    private static final Logger LOG = Logger.getLogger(ScheduledRetryTest.class);
    private static final int GOOD = 1000;

    @Inject
    WorkLog log;

    @BeforeEach
    void clearLog() {
        log.clear();
    }

    @Test
    void aMessageWaitingForItsRetryDoesNotHoldBackTheThousandBehindIt() {
        sendAndTimeGood("warm-up", List.of());
        long alone = sendAndTimeGood("alone", List.of());

        log.clear();
        AmqpMessage flaky = TestWorkMessages.work("flaky").failingFirst(4).build();
        long withFlaky = sendAndTimeGood("mixed", List.of(flaky));
        await().atMost(Duration.ofSeconds(40)).until(() -> succeeded("flaky"));

        List<WorkLog.Attempt> flakyAttempts = log.attempts().stream().filter(a -> a.id().equals("flaky")).toList();
        assertEquals(List.of(1, 2, 3, 4, 5), flakyAttempts.stream().map(WorkLog.Attempt::attempt).toList(),
                "the attempt count travels with the message");
        // Scheduled redeliveries wait at least half their base: 1 s, 2 s, 4 s, 8 s doubling.
        long[] minGapMillis = { 500, 1000, 2000, 4000 };
        for (int i = 1; i < flakyAttempts.size(); i++) {
            long gap = (flakyAttempts.get(i).startedNanos() - flakyAttempts.get(i - 1).endedNanos()) / 1_000_000;
            assertTrue(gap >= minGapMillis[i - 1], "gap before attempt " + (i + 1) + " was " + gap + " ms");
        }
        long lastGood = log.succeeded().stream().filter(a -> !a.id().equals("flaky"))
                .mapToLong(WorkLog.Attempt::endedNanos).max().orElseThrow();
        assertTrue(lastGood < flakyAttempts.get(4).startedNanos(),
                "all the good messages finished while the flaky one waited for its retries");
        LOG.infof("%d good messages on one worker: %d ms alone, %d ms behind a message failing 4 times", GOOD, alone,
                withFlaky);
    }

    /** Sends {@code before}, then the good messages; returns the ms until the last good one is done. */
    private long sendAndTimeGood(String prefix, List<AmqpMessage> before) {
        List<AmqpMessage> messages = new ArrayList<>(before);
        IntStream.range(0, GOOD).forEach(i -> messages.add(TestWorkMessages.work(prefix + "-" + i).build()));
        long start = System.nanoTime();
        try (AnySender sender = new AnySender()) {
            sender.sendAll(TestWorkProcessor.SERIAL_QUEUE, messages);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> log.succeeded().stream()
                .filter(a -> a.id().startsWith(prefix + "-")).count() == GOOD);
        long end = log.succeeded().stream().filter(a -> a.id().startsWith(prefix + "-"))
                .mapToLong(WorkLog.Attempt::endedNanos).max().orElseThrow();
        return (end - start) / 1_000_000;
    }

    private boolean succeeded(String id) {
        return log.succeeded().stream().anyMatch(a -> a.id().equals(id));
    }
}
