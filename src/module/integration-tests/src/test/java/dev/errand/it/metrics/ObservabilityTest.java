package dev.errand.it.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.internal.broker.QueueDepths;
import dev.errand.internal.broker.BrokerProbe;
import dev.errand.internal.metrics.QueueMetrics;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Broker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** What operators watch: metrics in Prometheus format and the health endpoints. */
@BothBrokers
@QuarkusTest
class ObservabilityTest {

    @Inject
    WorkLog log;

    @Inject
    Outbox outbox;

    @Inject
    QueueMetrics queues;

    @Inject
    QueueDepths depths;

    @Inject
    BrokerProbe broker;

    @BeforeEach
    void clearLog() {
        log.clear();
        // A test that stopped the broker leaves the management client backing off for a few seconds.
        depths.retryNow();
    }

    @AfterEach
    void deliveriesBack() {
        Broker.resume(TestWorkProcessor.SERIAL_QUEUE);
    }

    @Test
    void handledMessagesAreCountedByOutcomeAndTimed() {
        double succeededBefore = metricOrZero("errand_handler_messages_total",
                "consumer=\"test-parallel\",outcome=\"succeeded\"");
        double retriedBefore = metricOrZero("errand_handler_messages_total",
                "consumer=\"test-parallel\",outcome=\"retried\"");
        try (AnySender sender = new AnySender()) {
            sender.sendAll(TestWorkProcessor.PARALLEL_QUEUE, List.of(
                    TestWorkMessages.work("metrics-ok-1").build(),
                    TestWorkMessages.work("metrics-ok-2").build(),
                    TestWorkMessages.work("metrics-flaky").failingFirst(1).build()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> log.succeeded().size() == 3);

        // Three succeeded (the flaky one on its second delivery); one delivery was retried.
        await().atMost(Duration.ofSeconds(5)).until(() -> metricOrZero("errand_handler_messages_total",
                "consumer=\"test-parallel\",outcome=\"succeeded\"") == succeededBefore + 3);
        assertEquals(retriedBefore + 1, metric("errand_handler_messages_total",
                "consumer=\"test-parallel\",outcome=\"retried\""));
        assertTrue(metric("errand_handler_duration_seconds_count", "consumer=\"test-parallel\"") >= 4);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("errand_handler_duration_seconds_bucket{consumer=\"test-parallel\""));
        if (broker.capabilities().delayedDelivery()) {
            // The retry went back to the broker as a scheduled copy, which Errand sent. Without
            // scheduled delivery (RabbitMQ) it waited in the consumer and nothing was sent.
            given().get("/q/metrics").then()
                    .body(containsString("errand_messages_sent_total{address=\"errand.test-parallel\"}"));
        }
        assertEquals(8.0, metric("errand_consumer_concurrency_limit", "consumer=\"test-parallel\""));
    }

    @Test
    void queueDepthAndLagComeFromTheBroker() {
        Broker.pause(TestWorkProcessor.SERIAL_QUEUE);
        try (AnySender sender = new AnySender()) {
            sender.sendAll(TestWorkProcessor.SERIAL_QUEUE, IntStream.range(0, 5)
                    .mapToObj(i -> TestWorkMessages.work("metrics-waiting-" + i).build()).toList());
        }
        // Artemis answers at once; RabbitMQ's management API as of its last statistics, a second or two old.
        awaitMetric("errand_queue_depth_messages", "queue=\"errand.test-serial\"", 5.0);
        assertEquals(0.0, metric("errand_queue_scheduled_messages", "queue=\"errand.test-serial\""));
        assertTrue(metric("errand_queue_oldest_age_seconds", "queue=\"errand.test-serial\"") >= 0);
        given().get("/q/metrics").then()
                .body(containsString("errand_queue_depth_messages{queue=\"errand.dead-letters\"}"))
                .body(containsString("errand_outbox_backlog_messages"));

        Broker.resume(TestWorkProcessor.SERIAL_QUEUE);
        await().atMost(Duration.ofSeconds(20)).until(() -> log.succeeded().size() == 5);
        awaitMetric("errand_queue_depth_messages", "queue=\"errand.test-serial\"", 0.0);
    }

    @Test
    void theLagOfErrandsOwnMessagesIsTheirRealAge() {
        // Sent by Errand (its outbox relay), which stamps their creation-time.
        Broker.pause(TestWorkProcessor.SERIAL_QUEUE);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (String id : List.of("lag-1", "lag-2")) {
                    outbox.enqueue(OutboundMessage.json(TestWorkProcessor.SERIAL_QUEUE, "test-work:" + id, null, null,
                            "{\"id\": \"" + id + "\"}"));
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> Broker.depth(TestWorkProcessor.SERIAL_QUEUE) >= 2);
            // The waiting messages age: the lag must grow past 0 (a message without a creation-time is
            // ignored, so it would stay 0) and stay far below "since 1970".
            String queue = "queue=\"" + TestWorkProcessor.SERIAL_QUEUE + "\"";
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                queues.refresh();
                return metric("errand_queue_oldest_age_seconds", queue) >= 1;
            });
            double lag = metric("errand_queue_oldest_age_seconds", queue);
            assertTrue(lag >= 1 && lag < 60, "lag of messages sent a moment ago: " + lag + " s");
        } finally {
            Broker.resume(TestWorkProcessor.SERIAL_QUEUE);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> log.succeeded().stream()
                .filter(attempt -> attempt.id().startsWith("lag-")).count() == 2);
    }

    @Test
    void healthReportsTheBrokerTheDatabaseAndTheChannels() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Database connections health check"))
                .body(containsString("SmallRye Reactive Messaging"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void livenessGoesDownWhileAConsumerIsWedgedAndUpOnceItMovesAgain() {
        // errand.health.stall-timeout is 3 s in tests. One worker, held by the gate; one message behind it.
        log.close();
        try (AnySender sender = new AnySender()) {
            sender.send(TestWorkProcessor.SERIAL_QUEUE, TestWorkMessages.work("wedged").waitingForTheGate().build());
            sender.send(TestWorkProcessor.SERIAL_QUEUE, TestWorkMessages.work("behind-it").build());
        }
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/q/health/live").statusCode() == 503);
            given().get("/q/health/live").then().body(containsString("Errand consumers"))
                    .body(containsString("stalled for"));
        } finally {
            log.open();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/q/health/live").statusCode() == 200);
    }

    @Test
    void readinessGoesDownWithoutTheBrokerAndUpWhenItIsBack() {
        Broker.stopAmqp();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 503);
        } finally {
            Broker.startAmqp();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    /** The value of one Prometheus sample; fails when the sample is not exported at all. */
    private void awaitMetric(String name, String labels, double expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            queues.refresh();
            return metric(name, labels) == expected;
        });
    }

    private static double metric(String name, String labels) {
        OptionalDouble value = sample(name, labels);
        assertTrue(value.isPresent(), name + "{" + labels + "} is exported");
        return value.getAsDouble();
    }

    /** For counters read before anything was counted: absent means 0. */
    private static double metricOrZero(String name, String labels) {
        return sample(name, labels).orElse(0);
    }

    private static OptionalDouble sample(String name, String labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + "[^}]*} (\\S+)")
                .matcher(text);
        return sample.find() ? OptionalDouble.of(Double.parseDouble(sample.group(1))) : OptionalDouble.empty();
    }
}
