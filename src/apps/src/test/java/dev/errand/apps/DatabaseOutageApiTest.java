package dev.errand.apps;

import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.DatabaseOutage;
import io.quarkus.test.junit.QuarkusTest;

/**
 * While the database is unreachable, reads that need it answer 503 problem JSON with Retry-After (the
 * client should come back), not a 500, and readiness says DOWN.
 */
@QuarkusTest
class DatabaseOutageApiTest {

    @Test
    void readsDuringADatabaseOutageAre503ProblemsWithRetryAfter() {
        try (DatabaseOutage outage = DatabaseOutage.begin()) {
            given().get("/orders/{id}", 1).then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", notNullValue()).body("type", equalTo("/problems/database-unavailable"));
            asViewer().get("/errand/dead-letters").then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", notNullValue());
            given().get("/q/health/ready").then().statusCode(503);
        }
        // A pooled connection used within the last 2 s is handed out unchecked
        // (quarkus.datasource.jdbc.foreground-validation-interval): if the outage cut it, that one
        // request answers 503 too, and the next gets a sound connection.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/orders/{id}", 987654321).then()
                .statusCode(404));
    }
}
