package dev.errand.apps.orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.errand.testing.BothBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** The outbox relay is woken by the commit, not by its sweep: with the sweep an hour away, orders still flow. */
@BothBrokers
@QuarkusTest
@TestProfile(OutboxWakeUpTest.SweepAnHourAway.class)
class OutboxWakeUpTest {

    public static class SweepAnHourAway implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("errand.outbox.sweep-interval", "1h");
        }
    }

    @Test
    void anOrderIsPublishedByTheCommitThatStoredIt() {
        for (int i = 0; i < 3; i++) {
            long id = given().contentType(ContentType.JSON)
                    .body(Map.of("customerEmail", "wake@example.com", "lines", List.of(Map.of("sku", "STK-01",
                            "quantity", 1))))
                    .post("/orders").then().statusCode(202).extract().jsonPath().getLong("orderId");
            // Well inside the hour: only the wake-up after the commit can have published it.
            await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(
                    given().get("/orders/{id}", id).jsonPath().getString("status")));
        }
    }
}
