package dev.errand.apps.coupons;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.GrantMessages;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;

/**
 * A consumer that dies holding messages it has not acknowledged loses nothing: the broker gives them
 * to the next consumer, which grants each exactly once.
 */
@BothBrokers
@QuarkusTest
class CrashRedeliveryTest {

    @BeforeEach
    void resetSimulator() {
        Simulator.reset();
    }

    @Test
    void messagesHeldByAConsumerThatCrashedAreRedeliveredAndGrantedOnce() {
        long campaign = Campaigns.anEmptyCampaign();
        List<AmqpMessage> heldByTheDoomedConsumer = new CopyOnWriteArrayList<>();
        try (AnySender doomed = AnySender.asService(); AnySender sender = new AnySender()) {
            // A second consumer on the same queue: the broker shares messages between the two.
            doomed.receiveWithoutSettling(CouponChannels.GRANTS_QUEUE, heldByTheDoomedConsumer);
            for (int i = 0; i < 40; i++) {
                GrantMessages.aGrant(campaign).sendWith(sender);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> !heldByTheDoomedConsumer.isEmpty());
        } // closing the connection without settling is what a crash looks like to the broker

        await().atMost(Duration.ofSeconds(30)).until(() -> Campaigns.progress(campaign).getInt("granted") == 40);
        assertEquals(40, Simulator.stat("coupons"));
        assertEquals(0, Simulator.stat("duplicateCoupons"));
    }
}
