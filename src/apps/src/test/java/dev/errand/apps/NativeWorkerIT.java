package dev.errand.apps;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * Runs against the built artifact, the native executable in {@code .github/workflows/native.yml},
 * with an external Artemis and PostgreSQL given by the environment (AMQP_HOST, QUARKUS_DATASOURCE_*).
 * An order goes through the outbox, the broker and the worker: JSON payloads read by type at run
 * time, the JDBC and AMQP clients, all inside the native image.
 */
@QuarkusIntegrationTest
class NativeWorkerIT {

    @Test
    void theServiceIsReadyAgainstItsExternalBrokerAndDatabase() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void anOrderIsAcceptedAndCompletedByTheNativeWorker() {
        long id = given().contentType(ContentType.JSON)
                .body(Map.of("customerEmail", "native@example.com", "lines", List.of(Map.of("sku", "MUG-01", "quantity", 1))))
                .post("/orders").then().statusCode(202).extract().jsonPath().getLong("orderId");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/orders/{id}", id).jsonPath()
                .getString("status").equals("COMPLETED"));
        given().get("/orders/{id}", id).then().body("steps.size()", equalTo(4));
    }
}
