package dev.errand.apps.coupons;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.GrantMessages;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The simulator runs with honourIdempotencyKey=false, like the seed's API: any second call would
 * issue a second coupon, so every duplicate must be stopped on Errand's side.
 */
@BothBrokers
@QuarkusTest
class GrantIdempotencyTest {

    @Inject
    EntityManager em;

    @BeforeEach
    void aSimulatorThatDoesNotDeduplicate() {
        Simulator.reset();
        Simulator.configure(Map.of("honourIdempotencyKey", false));
    }

    @Test
    void theSameMessageSentTwiceGrantsOnce() {
        long campaign = Campaigns.anEmptyCampaign();
        GrantMessages grant = GrantMessages.aGrant(campaign);
        try (AnySender sender = new AnySender()) {
            grant.sendWith(sender);
            await().atMost(Duration.ofSeconds(20)).until(() -> granted(campaign) == 1);
            grant.sendWith(sender);
            // A later, different message proves the duplicate has been consumed by now (one queue, FIFO,
            // and it is only granted after the duplicate was taken off the queue).
            GrantMessages later = GrantMessages.aGrant(campaign);
            later.sendWith(sender);
            await().atMost(Duration.ofSeconds(20)).until(() -> granted(campaign) == 2);
        }
        assertEquals(2, Simulator.stat("requests"));
        assertEquals(2, Simulator.stat("coupons"));
        assertEquals(0, Simulator.stat("duplicateCoupons"));
    }

    @Test
    void twoCopiesDeliveredAtTheSameMomentGrantOnce() {
        // Each call takes 500 ms, so both copies are being handled at once by two worker threads.
        Simulator.configure(Map.of("latencyMs", 500));
        long campaign = Campaigns.anEmptyCampaign();
        GrantMessages grant = GrantMessages.aGrant(campaign);
        try (AnySender first = new AnySender(); AnySender second = new AnySender()) {
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> grant.sendWith(first)),
                    CompletableFuture.runAsync(() -> grant.sendWith(second))).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> Rows.processedMarkers(em, grant.messageId()) == 1);
            GrantMessages later = GrantMessages.aGrant(campaign);
            later.sendWith(first);
            await().atMost(Duration.ofSeconds(20)).until(() -> granted(campaign) == 2);
        }
        // The second copy waited on the first one's marker, found it committed and skipped the call.
        assertEquals(2, Simulator.stat("requests"));
        assertEquals(0, Simulator.stat("duplicateCoupons"));
    }

    private static long granted(long campaign) {
        return Campaigns.progress(campaign).getLong("granted");
    }
}
