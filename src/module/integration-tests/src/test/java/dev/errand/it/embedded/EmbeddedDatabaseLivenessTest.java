package dev.errand.it.embedded;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * On the embedded database (the shared test servers), liveness includes the embedded database's
 * check, UP while it runs. Nothing is killed here: DatabaseRestartTest kills databases of its own.
 */
@QuarkusTest
class EmbeddedDatabaseLivenessTest {

    @Test
    void livenessReportsTheRunningEmbeddedDatabase() {
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("Errand embedded database"))
                .body("checks.find { it.name == 'Errand embedded database' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Errand embedded database' }.data.state", equalTo("running"));
    }
}
