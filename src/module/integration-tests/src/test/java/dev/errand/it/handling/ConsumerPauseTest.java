package dev.errand.it.handling;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Broker;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;

/** An operator pauses a consumer: its messages wait on the broker, none is lost, and all run on resume. */
@BothBrokers
@QuarkusTest
class ConsumerPauseTest {

    private static final String PAUSE = "/errand/consumers/" + TestWorkProcessor.PARALLEL + "/pause";
    private static final String RESUME = "/errand/consumers/" + TestWorkProcessor.PARALLEL + "/resume";

    @Inject
    WorkLog log;

    @BeforeEach
    void clearLog() {
        log.clear();
    }

    @AfterEach
    void resumed() {
        asAdmin().post(RESUME);
    }

    @Test
    void aPausedConsumerStartsNothingUntilResumedAndLosesNothing() {
        asAdmin().post(PAUSE).then().statusCode(200).body("pausedFor", hasItem("OPERATOR"));
        try (AnySender sender = new AnySender()) {
            sender.sendAll(TestWorkProcessor.PARALLEL_QUEUE, IntStream.range(0, 20)
                    .mapToObj(i -> TestWorkMessages.work("paused-" + i).build()).toList());
        }

        // Held on the broker's side: delivered to the paused consumer but unsettled, or still waiting.
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth(TestWorkProcessor.PARALLEL_QUEUE) == 20);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> log.attempts().isEmpty());
        asViewer().get("/errand/consumers").then()
                .body("find { it.channel == '" + TestWorkProcessor.PARALLEL + "' }.pausedFor", hasItem("OPERATOR"));

        asAdmin().post(RESUME).then().statusCode(200).body("pausedFor", not(hasItem("OPERATOR")));
        await().atMost(Duration.ofSeconds(20)).until(() -> log.succeeded().size() == 20);
        assertEquals(20, log.attempts().size(), "each ran once");
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth(TestWorkProcessor.PARALLEL_QUEUE) == 0);
    }

    @Test
    void onlyAnAdminMayPauseAndAnUnknownConsumerIsAProblem() {
        asViewer().post(PAUSE).then().statusCode(403).contentType("application/problem+json");
        asAdmin().post("/errand/consumers/no-such-channel/pause").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("/problems/consumer-not-found"));
        asAdmin().post("/errand/consumers/errand-dead-letters/pause").then().statusCode(404);
    }
}
