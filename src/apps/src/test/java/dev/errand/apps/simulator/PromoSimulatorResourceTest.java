package dev.errand.apps.simulator;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Simulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class PromoSimulatorResourceTest {

    private static final Map<String, Object> GRANT = Map.of("campaignId", "7", "userId", "sim-user", "amountCents", 1500);

    @BeforeEach
    void reset() {
        Simulator.reset();
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameCouponAndIssuesNoSecond() {
        long first = grant("key-1").statusCode(201).extract().jsonPath().getLong("couponId");
        grant("key-1").statusCode(200).body("couponId", equalTo((int) first)).body("replayed", equalTo(true));
        assertEquals(1, Simulator.stat("coupons"));
        assertEquals(0, Simulator.stat("duplicateCoupons"));
    }

    @Test
    void withoutHonouringKeysARepeatIssuesADuplicateCouponThatTheStatsCount() {
        Simulator.configure(Map.of("honourIdempotencyKey", false));
        grant("key-2").statusCode(201);
        grant("key-2").statusCode(201);
        assertEquals(2, Simulator.stat("coupons"));
        assertEquals(1, Simulator.stat("duplicateCoupons"));
    }

    @Test
    void anOutageAnswers503ToEveryCall() {
        Simulator.configure(Map.of("outage", true));
        grant("key-3").statusCode(503).contentType("application/problem+json");
        assertEquals(0, Simulator.stat("coupons"));
    }

    @Test
    void overTheRateLimitItAnswers429WithRetryAfter() {
        Simulator.configure(Map.of("rateLimit", 1));
        grant("key-4").statusCode(201);
        grant("key-5").statusCode(429).header("Retry-After", "1");
        assertEquals(1, Simulator.stat("rateLimited"));
    }

    @Test
    void anInvalidConfigurationIsAProblemAndChangesNothing() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("errorRate", 2.0)).put("/simulator/promo/config")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("errorRate must be between 0 and 1, was 2.0"));
        asViewer().get("/simulator/promo/config").then().body("errorRate", equalTo(0.0f));
    }

    @Test
    void aGrantWithoutAUserIsABadRequest() {
        given().contentType(ContentType.JSON).body(Map.of("campaignId", "7", "amountCents", 1500))
                .post("/simulator/promo/grants").then().statusCode(400).contentType("application/problem+json");
    }

    private static io.restassured.response.ValidatableResponse grant(String key) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(GRANT)
                .post("/simulator/promo/grants").then();
    }
}
