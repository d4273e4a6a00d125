package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asProducer;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@BothBrokers
@QuarkusTest
class CampaignResourceTest {

    @BeforeEach
    void resetSimulator() {
        Simulator.reset();
    }

    @Test
    void aCampaignGrantsEveryValidUserExactlyOnce() {
        // 300 users, 20 of them twice, 2 invalid rows and blank lines: 300 distinct valid users.
        String users = IntStream.range(0, 300).mapToObj(i -> "camp-a-" + i).collect(Collectors.joining("\n"));
        String repeats = IntStream.range(0, 20).mapToObj(i -> "camp-a-" + i).collect(Collectors.joining("\n"));
        String csv = "user_id\n" + users + "\n\n" + repeats + "\nnot valid!\n" + "x".repeat(65) + "\n";

        String location = asProducer().contentType("text/csv").body(csv)
                .queryParam("name", "spring promo").queryParam("couponCents", 1500)
                .post("/campaigns")
                .then().statusCode(202)
                .header("Location", matchesPattern(".*/campaigns/\\d+"))
                .body("name", equalTo("spring promo"))
                .body("total", equalTo(300))
                .body("invalid", equalTo(2))
                .extract().header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> Campaigns.progress(id).getString("status").equals("COMPLETED"));
        JsonPath done = Campaigns.progress(id);
        assertEquals(300, done.getInt("granted"));
        assertEquals(300, done.getInt("enqueued"));
        assertEquals(0, done.getInt("deadLettered"));
        assertEquals(0, done.getInt("failed"));
        assertEquals(300, Simulator.stat("coupons"));
        assertEquals(0, Simulator.stat("duplicateCoupons"));
        asViewer().get("/campaigns/{id}/failures", id).then().statusCode(200).body(equalTo("user_id,reason\n"));
    }

    @Test
    void anUnknownCampaignIsAProblem() {
        asViewer().get("/campaigns/999999").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Campaign not found"));
    }
}
