package dev.errand.it.outbox;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.testing.Broker;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The relay sends a batch at once and deletes, of it, what the broker stored. Artemis only: the
 * refusal is made by taking away the send permission on one address, which RabbitMQ's AMQP 1.0 plugin
 * (it declares a missing queue's link failed, not one message refused) does not offer the same way.
 * <p>
 * A profile of its own: once the connector has given up on the refused send it closes its AMQP client
 * (SmallRye's {@code SRMSG16225}) and the outbound channel stays cancelled, so this application is not
 * shared with other test classes.
 */
@QuarkusTest
@TestProfile(OutboxRelayTest.Alone.class)
class OutboxRelayTest {

    public static class Alone implements QuarkusTestProfile {
    }

    private static final String REFUSED = "errand.test-refused";
    /** Made by the first message sent to it (auto-created); nobody consumes it, so what was stored is counted. */
    private static final String QUEUE = "errand.test-relay-batch";

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aMessageTheBrokerRefusesStaysInTheOutboxWhileTheRestOfItsBatchIsStoredOnce() throws Exception {
        Broker.refuseSends(REFUSED);
        try {
            // One transaction, so one batch: five messages with a refused one in the middle.
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = 1; i <= 5; i++) {
                    if (i == 3) {
                        outbox.enqueue(work(REFUSED, "refused"));
                    }
                    outbox.enqueue(work(QUEUE, "batch-" + i));
                }
            });
            // The pass ends when every send has its outcome, or after its wait for them (20 s): the connector
            // retries a refused send itself (SmallRye AMQP's retry-on-fail-attempts) before it reports it.
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.backlog(QUEUE).messages() == 0);
            // While the relay keeps trying the refused one, the five were stored once each: 5 on the queue,
            // not 5 more for every pass that sends the refused one again.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                    outbox.backlog(REFUSED).messages() == 1 && Broker.depth(QUEUE) == 5);
        } finally {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement delete = connection.prepareStatement("delete from errand_outbox where address = ?")) {
                delete.setString(1, REFUSED);
                delete.executeUpdate();
            }
            Broker.acceptSends(REFUSED);
        }
    }

    private static OutboundMessage work(String address, String id) {
        return OutboundMessage.json(address, "test-work:" + id, null, null, "{\"id\": \"" + id + "\"}");
    }
}
