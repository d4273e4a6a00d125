package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * A minute-long outage of the promotions API in the middle of a campaign: the consumer pauses while
 * the breaker is open instead of burning its messages' attempts into the dead-letter queue, and the
 * campaign completes once the API is back.
 */
@BothBrokers
@QuarkusTest
class CampaignOutageTest {

    private static final Logger LOG = Logger.getLogger(CampaignOutageTest.class);
    private static final int USERS = 20_000;
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    @AfterEach
    void healthyApi() {
        Simulator.reset();
        breakers.resetAll();
    }

    @Test
    void aSixtySecondOutageMidCampaignEndsWithNothingDeadLetteredAndTheCampaignCompleted() {
        String csv = "user_id\n" + IntStream.range(0, USERS).mapToObj(i -> "outage-" + i)
                .collect(Collectors.joining("\n"));
        long campaign = Campaigns.upload("outage", csv);
        await().atMost(Duration.ofSeconds(60)).until(() -> granted(campaign) >= USERS / 4);

        Simulator.configure(Map.of("outage", true));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> breakers.currentState(PromotionsGateway.BREAKER) == CircuitBreakerState.OPEN);
        // Grants that were already past the breaker when it opened may still finish: wait until the
        // count stands still (a loaded CI run once took longer than the minute's 5 s of slack).
        java.util.concurrent.atomic.AtomicLong previous = new java.util.concurrent.atomic.AtomicLong(-1);
        await().pollInterval(Duration.ofMillis(500)).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                .until(() -> previous.getAndSet(granted(campaign)) == previous.get());
        long grantedAtOutage = granted(campaign);
        long requestsAtOutage = Simulator.stat("requests");
        // For the whole minute: paused, nothing dead-lettered, nothing granted.
        await().during(OUTAGE).atMost(OUTAGE.plusSeconds(5)).untilAsserted(() -> {
            var progress = Campaigns.progress(campaign);
            assertEquals(0, progress.getInt("deadLettered"), "dead-lettered during the outage");
            assertEquals(grantedAtOutage, progress.getInt("granted"), "granted during the outage");
            assertTrue(consumerPaused(), "consumer paused");
        });
        long requestsDuringOutage = Simulator.stat("requests") - requestsAtOutage;

        Simulator.configure(Map.of("outage", false));
        await().atMost(Duration.ofSeconds(120)).until(() -> "COMPLETED".equals(Campaigns.progress(campaign)
                .getString("status")));
        var done = Campaigns.progress(campaign);
        assertEquals(USERS, done.getInt("granted"));
        assertEquals(0, done.getInt("deadLettered"));
        assertEquals(0, done.getInt("failed"));
        assertEquals(USERS, Simulator.stat("coupons"));
        assertEquals(0, Simulator.stat("duplicateCoupons"));
        // While paused the consumer only probes, about once a second: a minute of outage costs the
        // API a few dozen calls, not the thousands a consumer burning retries would make.
        assertTrue(requestsDuringOutage < 200, requestsDuringOutage + " calls during the outage");
        LOG.infof("Outage of %s: %d grants before it, %d calls to the API during it, campaign completed after it",
                OUTAGE, grantedAtOutage, requestsDuringOutage);
    }

    private static long granted(long campaign) {
        return Campaigns.progress(campaign).getLong("granted");
    }

    private static boolean consumerPaused() {
        return asViewer().get("/errand/consumers").jsonPath()
                .getList("find { it.channel == '" + CouponChannels.GRANTS + "' }.pausedFor").contains("CIRCUIT_BREAKER_OPEN");
    }
}
