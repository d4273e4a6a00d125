package dev.errand.it.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.errand.internal.backpressure.Backpressure;
import dev.errand.internal.broker.BrokerCapabilities;
import dev.errand.internal.broker.BrokerProbe;
import dev.errand.internal.broker.QueueDepths;
import dev.errand.internal.broker.QueueState;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.RabbitMq;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;

/**
 * On RabbitMQ (-Pbroker-rabbitmq), queue depths come from its management HTTP API, so that metrics
 * and backpressure work as they do on Artemis. Uses a queue nobody consumes, allowed 20 messages.
 */
@BothBrokers
@QuarkusTest
@EnabledIfSystemProperty(named = RabbitMq.SELECTED, matches = "rabbitmq")
class RabbitMqManagementTest {

    private static final String IDLE = "errand.test-idle";

    @Inject
    BrokerProbe probe;

    @Inject
    QueueDepths depths;

    @Inject
    Backpressure backpressure;

    @AfterEach
    void emptyQueue() {
        RabbitMq.purge(IDLE);
        backpressure.forget();
    }

    @Test
    void rabbitMqIsFoundWithManagementButNoRelayScheduledDeliveryOrGroups() {
        BrokerCapabilities rabbit = probe.capabilities();

        assertTrue(rabbit.known() && rabbit.product().contains("RabbitMQ"), rabbit.describe());
        assertFalse(rabbit.artemis());
        assertTrue(rabbit.management(), "management through the HTTP API: " + rabbit.describe());
        assertFalse(rabbit.anonymousRelay() || rabbit.delayedDelivery() || rabbit.messageGroups(), rabbit.describe());
    }

    @Test
    void theDepthAndLagOfAQueueAreReadFromTheManagementApi() {
        long createdHalfAMinuteAgo = System.currentTimeMillis() - 30_000;
        send(12, createdHalfAMinuteAgo);

        // RabbitMQ publishes its message counters and the head's timestamp on its own statistics
        // ticks, after the depth: CI runs read the depth before "added", and once before the head's age.
        await().atMost(Duration.ofSeconds(30)).until(() -> depths.state(IDLE)
                .filter(state -> state.depth() == 12 && state.added().orElse(0L) >= 12
                        && state.oldestAgeMillis().isPresent())
                .isPresent());
        QueueState state = depths.state(IDLE).orElseThrow();
        long lag = state.oldestAgeMillis().orElseThrow();
        assertTrue(lag >= 30_000 && lag < 120_000, "lag from the head's creation-time: " + lag + " ms");
        // Its address form is taken off: the configured address and the plain name are one queue.
        assertEquals(12L, depths.depth("/amq/queue/" + IDLE).orElseThrow());
    }

    @Test
    void aFullQueueIsRefusedByBackpressureUntilItEmpties() {
        send(25, System.currentTimeMillis());

        await().atMost(Duration.ofSeconds(15)).until(() -> !backpressure.hasRoom(IDLE));
        Backpressure.Overloaded refused = assertThrows(Backpressure.Overloaded.class, () -> backpressure.admit(IDLE));
        assertTrue(refused.getMessage().contains("holds 25 messages"), refused.getMessage());

        RabbitMq.purge(IDLE);
        await().atMost(Duration.ofSeconds(15)).until(() -> backpressure.hasRoom(IDLE));
    }

    // As the service: the idle queue has no consumer, so it is not one outside senders may reach.
    private static void send(int messages, long creationTime) {
        try (AnySender sender = AnySender.asService()) {
            sender.sendAll(IDLE, IntStream.range(0, messages).mapToObj(i -> AmqpMessage.create()
                    .withBody("{\"n\":" + i + "}").contentType("application/json").creationTime(creationTime)
                    .durable(true).build()).toList());
        }
    }
}
