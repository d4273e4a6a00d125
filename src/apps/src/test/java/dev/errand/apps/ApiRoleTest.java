package dev.errand.apps;

import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.errand.apps.orders.OrderChannels;
import dev.errand.testing.Broker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The api role (profile {@code api}, as k8s/base/api.yaml runs it) takes requests and publishes the
 * outbox, but consumes nothing: the work waits on the broker for the workers.
 * <p>
 * Artemis only: its test profile replaces the RabbitMQ run's {@code test,rabbitmq} profile.
 */
@QuarkusTest
@TestProfile(ApiRoleTest.ApiRole.class)
class ApiRoleTest {

    public static class ApiRole implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,api";
        }
    }

    @Test
    void anApiInstancePublishesTheOrderButLeavesItOnTheQueueForTheWorkers() {
        // No consumer of work here; only the dead-letter recorder, which is not a work channel.
        assertEquals(List.of(), asViewer().get("/errand/consumers").jsonPath().getList("channel"));
        long before = Broker.depth(OrderChannels.ORDERS_QUEUE);

        long id = given().contentType(ContentType.JSON)
                .body(Map.of("customerEmail", "api-role@example.com", "lines", List.of(Map.of("sku", "STK-01", "quantity", 1))))
                .post("/orders").then().statusCode(202).extract().jsonPath().getLong("orderId");

        // It reaches the queue and stays there: nothing here takes it (a consumer would in milliseconds).
        await().atMost(Duration.ofSeconds(20)).during(Duration.ofSeconds(3))
                .until(() -> Broker.depth(OrderChannels.ORDERS_QUEUE) == before + 1);
        given().get("/orders/{id}", id).then().body("status", equalTo("PROCESSING"));
    }
}
