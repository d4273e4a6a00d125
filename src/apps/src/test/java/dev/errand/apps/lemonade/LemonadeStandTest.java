package dev.errand.apps.lemonade;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.errand.internal.backpressure.Backpressure;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The lemonade stand: an order is one event that the kitchen, loyalty and analytics each handle on
 * their own; the kitchen being down holds back nothing but itself.
 */
@BothBrokers
@QuarkusTest
class LemonadeStandTest {

    /**
     * Below half the test profile's backlog limit of 150: on RabbitMQ a lagging reading plus this
     * instance's own recent flow may count a burst twice (by design, erring towards refusing while a
     * queue grows), and 2 x 60 stays below 150.
     */
    private static final int ORDERS_WHILE_DOWN = 60;

    @Inject
    Backpressure backpressure;

    @AfterEach
    void kitchenOpen() {
        asAdmin().post("/errand/consumers/{channel}/resume", LemonadeEvents.KITCHEN).then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> stats().getLong("kitchen.done") == stats().getLong("accepted"));
        backpressure.forget();
    }

    @Test
    void anOrderIsTakenAtOnceThenMadeRewardedAndCountedOnce() {
        JsonPath before = stats();
        String customer = "ada-" + UUID.randomUUID();
        long id = order(customer, 2).then().statusCode(202).body("orderId", notNullValue())
                .header("Location", containsString("/lemonade/orders/")).extract().jsonPath().getLong("orderId");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/lemonade/orders/{id}", id).then()
                .statusCode(200).body("status", equalTo("READY")).body("customer", equalTo(customer)).body("cups", equalTo(2)));
        await().atMost(Duration.ofSeconds(20)).until(() -> stats().getLong("analytics.done") == before.getLong("analytics.done") + 1
                && stats().getLong("loyalty.done") == before.getLong("loyalty.done") + 1);
        JsonPath after = stats();
        assertEquals(before.getLong("accepted") + 1, after.getLong("accepted"));
        assertEquals(before.getLong("loyalty.points") + 2, after.getLong("loyalty.points"));
        assertEquals(before.getLong("analytics.cups") + 2, after.getLong("analytics.cups"));
    }

    @Test
    void badOrdersGetAProblemAndNothingIsStored() {
        long accepted = stats().getLong("accepted");
        for (String body : new String[] { "{\"customer\": \"ada\", \"cups\": 0}", "{\"cups\": 2}",
                "{\"customer\": \"ada\", \"cups\": \"two\"}", "{\"customer\": \"ada\", \"cups\": 101}", "[]", "no json" }) {
            given().contentType("application/json").body(body).post("/lemonade/orders").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        given().get("/lemonade/orders/{id}", Long.MAX_VALUE).then().statusCode(404).contentType("application/problem+json");
        assertEquals(accepted, stats().getLong("accepted"));
    }

    @Test
    void whileTheKitchenIsDownOrdersAreTakenTheOthersKeepUpAndItsBacklogDrainsAfter() {
        // The queue empty as backpressure reads it first: on RabbitMQ the queue's statistics lag, and
        // after the 429 test (which fills the kitchen's queue to its limit) they may still show it full.
        await().atMost(Duration.ofSeconds(30)).until(() -> backpressure.depth(LemonadeEvents.KITCHEN_QUEUE).orElse(0) == 0);
        JsonPath before = stats();
        asAdmin().post("/errand/consumers/{channel}/pause", LemonadeEvents.KITCHEN).then().statusCode(200);
        for (int i = 0; i < ORDERS_WHILE_DOWN; i++) {
            order("down-" + i, 1).then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stats().getLong("loyalty.done") == before.getLong("loyalty.done") + ORDERS_WHILE_DOWN
                && stats().getLong("analytics.done") == before.getLong("analytics.done") + ORDERS_WHILE_DOWN);
        // Its events wait for it on its own queue; none is made while it is down.
        await().atMost(Duration.ofSeconds(30)).until(() -> stats().getLong("kitchen.waiting") >= ORDERS_WHILE_DOWN);
        assertEquals(before.getLong("kitchen.done"), stats().getLong("kitchen.done"));

        asAdmin().post("/errand/consumers/{channel}/resume", LemonadeEvents.KITCHEN).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> stats().getLong("kitchen.done") == before.getLong("kitchen.done") + ORDERS_WHILE_DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> stats().getLong("kitchen.waiting") == 0);
        assertEquals(0, asViewer().queryParam("size", 500).get("/errand/dead-letters").jsonPath()
                .getList("items.findAll { it.consumer == 'kitchen' }").size(), "nothing dead-lettered for the pause");
    }

    @Test
    void overTheKitchensBacklogLimitOrdersAreRefusedWith429AndRetryAfter() {
        // The test profile allows 150 waiting orders. Below half of them none is refused on either
        // broker; above that, on RabbitMQ, a lagging reading plus this instance's recent flow may count
        // the burst twice (by design, erring towards refusing while a queue grows).
        asAdmin().post("/errand/consumers/{channel}/pause", LemonadeEvents.KITCHEN).then().statusCode(200);
        for (int i = 0; i < ORDERS_WHILE_DOWN; i++) {
            order("burst-" + i, 1).then().statusCode(202);
        }
        int more = 0;
        while (backpressure.hasRoom(LemonadeEvents.KITCHEN_QUEUE) && more < 200) {
            order("burst-more-" + more++, 1).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(202), equalTo(429)));
        }
        // As backpressure reads the depth: at once on Artemis; on RabbitMQ its statistics lag, and a
        // reading that failed under a loaded run admits for a few seconds by design.
        await().atMost(Duration.ofSeconds(30)).until(() -> !backpressure.hasRoom(LemonadeEvents.KITCHEN_QUEUE));
        order("late", 1).then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("type", equalTo("/problems/overloaded"));
    }

    private static io.restassured.response.Response order(String customer, int cups) {
        return given().contentType("application/json")
                .body("{\"customer\": \"" + customer + "\", \"cups\": " + cups + "}").post("/lemonade/orders");
    }

    private static JsonPath stats() {
        return given().get("/lemonade/stats").then().statusCode(200).extract().jsonPath();
    }
}
