package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

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
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/** How the worker meets a failing promotions API. */
@BothBrokers
@QuarkusTest
class GrantFailuresTest {

    @Inject
    EntityManager em;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void healthyApi() {
        Simulator.reset();
        breakers.resetAll();
    }

    @Test
    void transientErrorsAreRetriedToSuccess() {
        Simulator.configure(Map.of("errorRate", 1.0));
        long campaign = Campaigns.anEmptyCampaign();
        try (AnySender sender = new AnySender()) {
            GrantMessages.aGrant(campaign).sendWith(sender);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Simulator.stat("injectedErrors") >= 2);
        Simulator.configure(Map.of("errorRate", 0.0));

        await().atMost(Duration.ofSeconds(20)).until(() -> granted(campaign) == 1);
        assertEquals(1, Simulator.stat("coupons"));
        assertEquals(0, Campaigns.progress(campaign).getInt("deadLettered"));
    }

    @Test
    void a429IsHonouredAndNothingIsDeadLettered() {
        // One call per second: of ten messages sent at once, most meet a 429 with Retry-After: 1.
        Simulator.configure(Map.of("rateLimit", 1));
        long campaign = Campaigns.anEmptyCampaign();
        try (AnySender sender = new AnySender()) {
            for (int i = 0; i < 5; i++) {
                GrantMessages.aGrant(campaign).sendWith(sender);
            }
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> granted(campaign) == 5);
        assertTrue(Simulator.stat("rateLimited") > 0, "the API must have refused some calls");
        assertEquals(0, Campaigns.progress(campaign).getInt("deadLettered"));
        assertEquals(0, Simulator.stat("duplicateCoupons"));
    }

    @Test
    void theBreakerOpensDuringAnOutageAndClosesAfterIt() {
        Simulator.configure(Map.of("outage", true));
        long campaign = Campaigns.anEmptyCampaign();
        try (AnySender sender = new AnySender()) {
            // 20 calls is the breaker's request volume threshold; all of them fail.
            for (int i = 0; i < 25; i++) {
                GrantMessages.aGrant(campaign).sendWith(sender);
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> breakers.currentState(PromotionsGateway.BREAKER) == CircuitBreakerState.OPEN);
            long callsWhenOpened = Simulator.stat("requests");

            Simulator.configure(Map.of("outage", false));
            GrantMessages afterOutage = GrantMessages.aGrant(campaign);
            afterOutage.sendWith(sender);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> granted(campaign, afterOutage.userId())
                            && breakers.currentState(PromotionsGateway.BREAKER) == CircuitBreakerState.CLOSED);
            assertTrue(callsWhenOpened >= 20, "the breaker opened after real failures, not before");
        }
        // The consumer paused while the breaker was open instead of burning attempts: every message of
        // the outage is granted once it is over, none dead-lettered.
        await().atMost(Duration.ofSeconds(30)).until(() -> Campaigns.progress(campaign).getInt("granted") == 26);
        assertEquals(0, Campaigns.progress(campaign).getInt("deadLettered"));
    }

    @Test
    void aRefusalFromTheApiIsDeadLetteredAtOnceWithItsReason() {
        // The promotions API refuses coupons over $1,000 with a 422: retrying cannot help. (A campaign of
        // such coupons, as one made before errand.campaign.max-coupon-cents was lowered.)
        long campaign = Campaigns.anEmptyCampaign(500_000);
        GrantMessages tooGenerous = GrantMessages.aGrant(campaign).withAmountCents(500_000);
        try (AnySender sender = new AnySender()) {
            tooGenerous.sendWith(sender);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Campaigns.progress(campaign).getInt("deadLettered") == 1);
        asViewer().queryParam("queue", CouponChannels.GRANTS_QUEUE).get("/errand/dead-letters")
                .then().statusCode(200)
                .body("items.find { it.messageId == '%s' }.reason".formatted(tooGenerous.messageId()),
                        equalTo("permanent-failure"))
                .body("items.find { it.messageId == '%s' }.attempts".formatted(tooGenerous.messageId()), equalTo(1))
                .body("items.find { it.messageId == '%s' }.errorClass".formatted(tooGenerous.messageId()),
                        equalTo("dev.errand.PermanentFailure"));
        assertEquals(1, Simulator.stat("requests"));
        String failures = asViewer().get("/campaigns/{id}/failures", campaign).then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertEquals("user_id,reason\n" + tooGenerous.userId()
                + ",permanent-failure: promotions API refused the grant (422): "
                + "Coupon amount above the promotion's maximum of 100000 cents\n", failures);
    }

    boolean granted(long campaign, String user) {
        return Rows.count(em, "select count(*) from coupon_grant where campaign_id = ?1 and user_id = ?2",
                campaign, user) == 1;
    }

    private static long granted(long campaign) {
        return Campaigns.progress(campaign).getLong("granted");
    }
}
