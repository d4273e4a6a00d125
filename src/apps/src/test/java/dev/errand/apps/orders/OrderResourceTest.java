package dev.errand.apps.orders;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.internal.backpressure.Backpressure;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Broker;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Orders are accepted at once through the outbox and processed step by step, exactly once. */
@BothBrokers
@QuarkusTest
class OrderResourceTest {

    @Inject
    EntityManager em;

    @Inject
    OrderPartners partners;

    @Inject
    Backpressure backpressure;

    /** The depth a test left behind must not be read, from the half-second cache, by the next one. */
    @BeforeEach
    void freshDepths() {
        backpressure.forget();
    }

    @AfterEach
    void brokerBackUp() {
        Broker.startAmqp();
        Broker.resume(OrderChannels.ORDERS_QUEUE);
        partners.failNext(OrderPartners.WAREHOUSE, 0);
    }

    @Test
    void anOrderIsAcceptedAtOnceAndEveryStepRunsOnce() {
        long mugsBefore = Rows.count(em, "select available from inventory where sku = 'MUG-01'");
        long id = place(Map.of("customerEmail", "ada@example.com", "lines",
                List.of(Map.of("sku", "MUG-01", "quantity", 2), Map.of("sku", "STK-01", "quantity", 1))));

        awaitCompleted(id);
        given().get("/orders/{id}", id).then().statusCode(200)
                .body("totalCents", equalTo(2 * 1200 + 400))
                .body("steps.name", equalTo(List.of("charge-payment", "send-confirmation", "notify-warehouse",
                        "update-inventory")))
                .body("steps.done", equalTo(List.of(true, true, true, true)))
                .body("steps[0].doneAt", notNullValue());
        assertEquals(1, calls(OrderPartners.PAYMENTS, id));
        assertEquals(1, calls(OrderPartners.MAIL, id));
        assertEquals(1, calls(OrderPartners.WAREHOUSE, id));
        assertEquals(mugsBefore - 2, Rows.count(em, "select available from inventory where sku = 'MUG-01'"));
    }

    @Test
    void aStepThatFailsIsRetriedWithoutRedoingTheStepsBeforeIt() {
        partners.failNext(OrderPartners.WAREHOUSE, 2);
        long id = place(Map.of("customerEmail", "grace@example.com", "lines", List.of(Map.of("sku", "TEE-01",
                "quantity", 1))));

        awaitCompleted(id);
        // The warehouse failed twice; the payment before it was charged once, not three times.
        assertEquals(1, calls(OrderPartners.PAYMENTS, id));
        assertEquals(1, calls(OrderPartners.MAIL, id));
        assertEquals(1, calls(OrderPartners.WAREHOUSE, id));
    }

    @Test
    void withTheBrokerDownOrdersAreStillAcceptedAndFlowOnceItIsBack() {
        Broker.stopAmqp();
        long id = place(Map.of("customerEmail", "linus@example.com", "lines", List.of(Map.of("sku", "STK-01",
                "quantity", 3))));
        assertEquals(1L, Rows.count(em, "select count(*) from errand_outbox where message_id = ?1",
                OrderChannels.messageId(id)), "the order's message waits in the outbox");
        given().get("/orders/{id}", id).then().body("status", equalTo("PROCESSING"));

        Broker.startAmqp();
        awaitCompleted(id);
        assertEquals(0L, Rows.count(em, "select count(*) from errand_outbox where message_id = ?1",
                OrderChannels.messageId(id)));
        assertEquals(1, calls(OrderPartners.PAYMENTS, id));
    }

    @Test
    void whenTooManyOrdersWaitTheApiRefusesWithRetryAfter() {
        // Deliveries paused: orders pile up on the queue (the test profile allows 50 waiting).
        Broker.pause(OrderChannels.ORDERS_QUEUE);
        int accepted = 0;
        int status = 202;
        while (status == 202 && accepted < 200) {
            var response = given().contentType(ContentType.JSON)
                    .body(Map.of("customerEmail", "load@example.com", "lines", List.of(Map.of("sku", "STK-01",
                            "quantity", 1))))
                    .post("/orders");
            status = response.statusCode();
            if (status == 202) {
                accepted++;
            } else {
                response.then().statusCode(429).contentType("application/problem+json")
                        .header("Retry-After", notNullValue())
                        .body("type", equalTo("/problems/overloaded"));
            }
        }
        assertEquals(429, status, "the API refused once the queue was full");
        // Depth is read at most every 0.5 s, so a few more than 50 may get in before it refuses.
        org.junit.jupiter.api.Assertions.assertTrue(accepted >= 50 && accepted < 200, accepted + " accepted");

        Broker.resume(OrderChannels.ORDERS_QUEUE);
        await().atMost(Duration.ofSeconds(60)).until(() -> Broker.depth(OrderChannels.ORDERS_QUEUE) == 0);
        // The next test must find room: on RabbitMQ, Errand's own reading (the management API's, a
        // second or two old, plus this instance's recent flow) catches up a moment after the queue's.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            backpressure.forget();
            return backpressure.hasRoom(OrderChannels.ORDERS_QUEUE);
        });
    }

    @Test
    void anInvalidOrderIsRefusedWithAProblem() {
        given().contentType(ContentType.JSON).body(Map.of("customerEmail", "not-an-email", "lines", List.of()))
                .post("/orders").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("customerEmail", "a@example.com", "lines",
                List.of(Map.of("sku", "NOPE", "quantity", 1))))
                .post("/orders").then().statusCode(400).body("type", equalTo("/problems/unknown-sku"));
    }

    @Test
    void aJsonBodyOverTheLimitIsRefusedBeforeItIsRead() {
        // errand.http.max-json-bytes is 64 KiB: 3,000 lines of 30 bytes ({"sku":"STK-01","quantity":1},) go over it.
        List<Map<String, Object>> lines = java.util.stream.IntStream.range(0, 3_000)
                .mapToObj(i -> Map.<String, Object>of("sku", "STK-01", "quantity", 1)).toList();
        given().contentType(ContentType.JSON).body(Map.of("customerEmail", "big@example.com", "lines", lines))
                .post("/orders").then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("/problems/body-too-large"));
    }

    @Test
    void aMalformedBodyIsA400ThatLeaksNoInternals() {
        String body = given().contentType(ContentType.JSON).body("{\"customerEmail\": \"a@example.com\", \"lines\": [")
                .post("/orders").then().statusCode(400).contentType("application/problem+json")
                .extract().asString();
        assertFalse(body.contains("\tat ") || body.contains("com.fasterxml") || body.contains("dev.errand"), body);
    }

    private static long place(Map<String, Object> order) {
        return given().contentType(ContentType.JSON).body(order).post("/orders")
                .then().statusCode(202)
                .header("Location", notNullValue())
                .body("status", equalTo("PROCESSING"))
                .extract().jsonPath().getLong("orderId");
    }

    private static void awaitCompleted(long id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(
                given().get("/orders/{id}", id).jsonPath().getString("status")));
    }

    private long calls(String system, long orderId) {
        return Rows.count(em, "select count(*) from partner_call where system = ?1 and order_id = ?2", system, orderId);
    }
}
