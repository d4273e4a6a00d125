package com.example.invoices;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A service that throws Errand's public ProblemException from its own endpoint (here through
 * Admission) gets problem JSON with its status, without asking Errand to map its other errors.
 */
@QuarkusTest
class HostProblemsTest {

    @Test
    void aFullQueueAnswersTheServicesOwnEndpointWithA429ProblemAndRetryAfter() {
        // errand.backpressure."invoices".max-depth is 0 in the tests: the queue is always full.
        given().get("/probe/room").then().statusCode(429)
                .contentType(startsWith("application/problem+json"))
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("/problems/overloaded"))
                .body("status", equalTo(429));
    }
}
