package dev.errand.apps;

import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.FrozenDatabase;
import dev.errand.testing.Rows;
import dev.errand.testing.Users;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.specification.RequestSpecification;

/**
 * A hung database (every PostgreSQL process stopped with SIGSTOP: connections stay open, nothing
 * answers) must not hang the service: readiness says DOWN within seconds, and reads and writes that
 * need the database answer 503 problem JSON with Retry-After, storing nothing. Without timeouts each
 * of these waited forever on a socket read.
 */
@QuarkusTest
class DatabaseHangTest {

    /**
     * The longest any one answer may take while the database hangs; beyond it the client gives up and
     * the test fails. A request borrows a connection idle for more than 2 s (the test waits that long
     * for readiness first), so the pool validates it (2 s), drops it, and then waits for a new one
     * (5 s acquisition timeout): 2 + 5 = 7 s per idle connection tried first, a few at most. Only a
     * statement already sent when the database hung waits for pgjdbc's 75 s socket timeout.
     */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aHungDatabaseMakesReadinessDownAndRequests503UntilItAnswersAgain() {
        String customer = "frozen-" + UUID.randomUUID();
        long existing = given().contentType("application/json").body(order("before-" + customer))
                .post("/lemonade/orders").then().statusCode(202).extract().jsonPath().getLong("orderId");

        try (FrozenDatabase frozen = FrozenDatabase.begin()) {
            // 7 s is the pool's own bound (2 s validation, 5 s acquisition); the rest is slack for a busy machine.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> bounded().get("/q/health/ready").then()
                    .statusCode(503));
            bounded().get("/q/health").then().statusCode(503);

            bounded().get("/lemonade/orders/{id}", existing).then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", notNullValue())
                    .body("type", equalTo("/problems/database-unavailable"));
            bounded().auth().preemptive().basic(Users.VIEWER, Users.password(Users.VIEWER)).get("/errand/dead-letters").then()
                    .statusCode(503).contentType("application/problem+json").header("Retry-After", notNullValue());
            bounded().contentType("application/json").body(order(customer)).post("/lemonade/orders").then()
                    .statusCode(503).contentType("application/problem+json").header("Retry-After", notNullValue())
                    .body("type", equalTo("/problems/database-unavailable"));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> bounded().get("/q/health/ready").then()
                .statusCode(200));
        given().get("/lemonade/orders/{id}", existing).then().statusCode(200);
        asViewer().get("/errand/dead-letters").then().statusCode(200);
        // The order refused during the hang was never stored, not even once the database answered again.
        assertEquals(0, Rows.execute("select count(*) from lemonade_order where customer = ?", customer));
        given().contentType("application/json").body(order(customer)).post("/lemonade/orders").then()
                .statusCode(202);
        assertEquals(1, Rows.execute("select count(*) from lemonade_order where customer = ?", customer));
    }

    @Test
    void aStatementMayRunAMinuteAndOnlyASilentServerIsCutOffAfter75Seconds() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // Errand's defaults, which the demo keeps: the server ends a statement after 60 s, and
            // pgjdbc gives up on a server silent for 75 s, so a live server always answers first.
            assertEquals("1min", Rows.setting(connection, "statement_timeout"));
            assertEquals(75_000, connection.getNetworkTimeout());
        }
    }

    /** A request that fails the test if it gets no answer within {@link #ANSWER_WITHIN}. */
    private static RequestSpecification bounded() {
        int millis = (int) ANSWER_WITHIN.toMillis();
        return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 5000).setParam("http.socket.timeout", millis)));
    }

    private static String order(String customer) {
        return "{\"customer\": \"" + customer + "\", \"cups\": 1}";
    }
}
