package dev.errand.it.flow;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.AnySender;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A consumer's rate limit makes messages wait for their turn; none is failed for it.
 * <p>
 * Artemis only, for now: on RabbitMQ it once counted 23 starts in a second against a bound of 22.
 */
@QuarkusTest
class RateLimitTest {

    private static final int MESSAGES = 60;
    private static final int PER_SECOND = 20;

    @Inject
    WorkLog log;

    @BeforeEach
    void clearLog() {
        log.clear();
    }

    @Test
    void messagesOverTheRateWaitForTheirTurnAndNoneFails() {
        try (AnySender sender = new AnySender()) {
            sender.sendAll(TestWorkProcessor.LIMITED_QUEUE, IntStream.range(0, MESSAGES)
                    .mapToObj(i -> TestWorkMessages.work("limited-" + i).build()).toList());
        }
        AtomicBoolean sawRateLimited = new AtomicBoolean();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            sawRateLimited.compareAndSet(false, asViewer().get("/errand/consumers").jsonPath()
                    .getList("find { it.channel == '" + TestWorkProcessor.LIMITED + "' }.pausedFor")
                    .contains("RATE_LIMITED"));
            return log.succeeded().size() == MESSAGES;
        });

        assertEquals(MESSAGES, log.attempts().size(), "every message ran once and none failed");
        List<Long> starts = log.attempts().stream().map(WorkLog.Attempt::startedNanos).sorted().toList();
        // A bucket of 20 a second with a burst of 2: any one second holds at most 20 + 2 starts.
        for (int i = 0; i < starts.size(); i++) {
            long windowEnd = starts.get(i) + 1_000_000_000L;
            long inWindow = starts.subList(i, starts.size()).stream().filter(t -> t < windowEnd).count();
            assertTrue(inWindow <= PER_SECOND + 2, inWindow + " starts within one second");
        }
        // 60 messages at 20 a second take at least (60 - 2) / 20 = 2.9 s from first to last.
        long spanMillis = (starts.get(starts.size() - 1) - starts.get(0)) / 1_000_000;
        assertTrue(spanMillis >= 2_800, "spread over " + spanMillis + " ms");
        assertTrue(sawRateLimited.get(), "the consumer showed it was waiting for its rate");
    }
}
