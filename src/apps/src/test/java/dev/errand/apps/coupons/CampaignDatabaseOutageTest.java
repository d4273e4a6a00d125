package dev.errand.apps.coupons;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.DatabaseOutage;
import dev.errand.apps.testing.Simulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A database outage while a campaign is being enqueued does not end the enqueuer: readiness shows
 * the stuck work while it lasts, and once the database is back the campaign is enqueued and
 * completes.
 */
@QuarkusTest
class CampaignDatabaseOutageTest {

    @Inject
    CampaignEnqueuer enqueuer;

    @BeforeEach
    void resetSimulator() {
        Simulator.reset();
    }

    @Test
    void aCampaignEnqueuingThroughADatabaseOutageCompletesOnceTheDatabaseIsBack() {
        long id = Campaigns.enqueuing("enqueued through an outage",
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "outage-" + i).toList());

        try (DatabaseOutage outage = DatabaseOutage.begin()) {
            enqueuer.start(id);
            // errand.health.stall-timeout is 3 s in tests: the enqueuer's failures show in readiness.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503).body("checks.find { it.name == 'Errand background work' }.data",
                            hasKey("campaign-enqueuer-" + id)));
        }

        // The first reads after the outage may still meet it (503): asserted, not required at once.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(
                () -> assertEquals("COMPLETED", Campaigns.progress(id).getString("status")));
        JsonPath done = Campaigns.progress(id);
        assertEquals(20, done.getInt("enqueued"));
        assertEquals(20, done.getInt("granted"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }
}
