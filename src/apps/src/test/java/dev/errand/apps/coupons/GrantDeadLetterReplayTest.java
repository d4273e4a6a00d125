package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.GrantMessages;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Dead letters of the coupon worker: replayed, a grant is made and its campaign completes; discarded,
 * it counts as failed in its campaign. (Replay and discard in the module alone:
 * {@code dev.errand.it.deadletter.DeadLetterReplayTest}, src/module/integration-tests.)
 */
@BothBrokers
@QuarkusTest
class GrantDeadLetterReplayTest {

    @Inject
    CircuitBreakerMaintenance breakers;

    /**
     * A fresh breaker window: ten failures of one message stay under its request volume threshold
     * (20), so the breaker does not open and pause the consumer, and the message runs out of attempts.
     */
    @BeforeEach
    void resetSimulatorAndBreakers() {
        Simulator.reset();
        breakers.resetAll();
    }

    /** These tests fail every call on purpose; the next test should not meet an open breaker. */
    @AfterEach
    void closeBreakers() {
        breakers.resetAll();
    }

    @Test
    void aReplayedDeadLetterRunsAgainAndSucceeds() {
        long campaign = Campaigns.anEmptyCampaign();
        GrantMessages grant = GrantMessages.aGrant(campaign);
        long id = deadLetterAfterEveryRetryFails(campaign, grant);
        JsonPath letter = asViewer().get("/errand/dead-letters/{id}", id).then().statusCode(200).extract().jsonPath();
        assertEquals("retries-exhausted", letter.getString("reason"));
        // max-attempts (10) in all: each delivery's attempt and in-process retries, then redeliveries
        // scheduled on the broker, every one of them in the history.
        assertEquals(10, letter.getInt("attempts"));
        assertEquals(10, letter.getList("history").size());
        assertEquals(10, letter.getInt("history[9].attempt"));
        assertEquals(CouponChannels.GRANTS_QUEUE, letter.getString("queue"));

        Simulator.configure(Map.of("errorRate", 0.0));
        asAdmin().post("/errand/dead-letters/{id}/replay", id).then().statusCode(202).body("status", equalTo("REPLAYED"));

        await().atMost(Duration.ofSeconds(20)).until(() -> Campaigns.progress(campaign).getInt("granted") == 1);
        JsonPath done = Campaigns.progress(campaign);
        assertEquals("COMPLETED", done.getString("status"));
        assertEquals(0, done.getInt("deadLettered"));
        asViewer().get("/errand/dead-letters/{id}", id).then().body("status", equalTo("REPLAYED")).body("replayCount", equalTo(1));
        // Replaying twice is refused: the message is already back on its queue.
        asAdmin().post("/errand/dead-letters/{id}/replay", id).then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void replayingAllOfAQueueRedrivesEveryDeadLetterOfIt() {
        long campaign = Campaigns.anEmptyCampaign();
        deadLetterAfterEveryRetryFails(campaign, GrantMessages.aGrant(campaign));
        deadLetterAfterEveryRetryFails(campaign, GrantMessages.aGrant(campaign));
        Simulator.configure(Map.of("errorRate", 0.0));

        asAdmin().queryParam("queue", CouponChannels.GRANTS_QUEUE).post("/errand/dead-letters/replay")
                .then().statusCode(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> Campaigns.progress(campaign).getInt("granted") == 2);
        assertEquals(0, Simulator.stat("duplicateCoupons"));
    }

    @Test
    void aDiscardedDeadLetterLeavesTheListAndCountsAsFailed() {
        long campaign = Campaigns.anEmptyCampaign();
        GrantMessages grant = GrantMessages.aGrant(campaign);
        long id = deadLetterAfterEveryRetryFails(campaign, grant);

        asAdmin().delete("/errand/dead-letters/{id}", id).then().statusCode(204);

        asViewer().queryParam("size", 500).get("/errand/dead-letters").then().statusCode(200)
                .body("items.findAll { it.id == %d }.size()".formatted(id), equalTo(0));
        JsonPath progress = Campaigns.progress(campaign);
        assertEquals(1, progress.getInt("failed"));
        assertEquals(0, progress.getInt("deadLettered"));
        assertEquals("COMPLETED_WITH_FAILURES", progress.getString("status"));
        asAdmin().delete("/errand/dead-letters/{id}", 987654321L).then().statusCode(404)
                .contentType("application/problem+json");
    }

    /**
     * Every call fails until the attempts run out; returns the dead letter's id. Starts from a fresh
     * breaker window, or the failures of an earlier message would open it and the consumer would
     * pause rather than use up this one's attempts.
     */
    private long deadLetterAfterEveryRetryFails(long campaign, GrantMessages grant) {
        breakers.resetAll();
        Simulator.configure(Map.of("errorRate", 1.0));
        try (AnySender sender = new AnySender()) {
            grant.sendWith(sender);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> asViewer().queryParam("size", 500).get("/errand/dead-letters")
                .jsonPath().getList("items.findAll { it.messageId == '%s' }".formatted(grant.messageId())).size() == 1);
        return asViewer().queryParam("size", 500).get("/errand/dead-letters").jsonPath()
                .getLong("items.find { it.messageId == '%s' }.id".formatted(grant.messageId()));
    }
}
