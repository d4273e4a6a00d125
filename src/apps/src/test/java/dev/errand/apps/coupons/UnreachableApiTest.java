package dev.errand.apps.coupons;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.GrantMessages;
import dev.errand.internal.deadletter.DeadLetter;
import dev.errand.internal.deadletter.DeadLetterRepository;
import dev.errand.DeadLetterStatus;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Calls that fail at once (connection refused, as while the API restarts) must roll back cleanly:
 * the message is retried, then dead-lettered, and never marked processed without its work, which
 * would make a later delivery look like a duplicate and lose the grant.
 */
@BothBrokers
@QuarkusTest
@TestProfile(UnreachableApiTest.NothingListening.class)
class UnreachableApiTest {

    /** The promotions API on a port where nothing listens. */
    public static class NothingListening implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.promotions.url", "http://127.0.0.1:1");
        }
    }

    @Inject
    EntityManager em;

    @Inject
    DeadLetterRepository deadLetters;

    @Test
    void aRefusedConnectionIsRetriedThenDeadLetteredAndNeverMarkedProcessed() {
        long campaign = Campaigns.anEmptyCampaign();
        GrantMessages grant = GrantMessages.aGrant(campaign);
        try (AnySender sender = new AnySender()) {
            grant.sendWith(sender);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLettersOf(campaign).isEmpty());

        DeadLetter letter = deadLettersOf(campaign).get(0);
        assertEquals("retries-exhausted", letter.reason);
        assertEquals(0L, Rows.processedMarkers(em, grant.messageId()));
    }

    private List<DeadLetter> deadLettersOf(long campaign) {
        return QuarkusTransaction.requiringNew().call(() -> deadLetters.listByCorrelation(
                CouponChannels.correlationId(campaign), List.of(DeadLetterStatus.DEAD_LETTERED)));
    }
}
