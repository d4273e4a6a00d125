package dev.errand.apps.simulator;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The payment provider simulator: it confirms the payments the orders ask for through the service's
 * webhook, on time, twice or late, as configured; a payment is asked for once per key.
 */
@QuarkusTest
class PaymentSimulatorTest {

    @BeforeEach
    @AfterEach
    void freshProvider() {
        asAdmin().post("/simulator/payments/reset").then().statusCode(204);
    }

    @Test
    void onTimeTheOrderIsConfirmedByTheProvidersWebhook() {
        webhooks(Map.of("mode", "ON_TIME"));
        long id = placeLarge();
        JsonPath done = awaitStatus(id, "COMPLETED");
        await().atMost(Duration.ofSeconds(10)).until(() -> stats().getLong("webhooks.accepted") == 1);
        JsonPath stats = stats();
        assertEquals(1, stats.getLong("payments"));
        assertEquals(1, stats.getLong("webhooks.sent"));
        assertEquals(0, stats.getLong("webhooks.refused"));
        assertEquals(done.getString("payment.paymentId"), paymentIdOf(id));
    }

    @Test
    void twiceTheSecondCallIsARepeatAndTheOrderIsConfirmedOnce() {
        webhooks(Map.of("mode", "TWICE"));
        long id = placeLarge();
        awaitStatus(id, "COMPLETED");
        await().atMost(Duration.ofSeconds(10)).until(() -> stats().getLong("webhooks.sent") == 2);
        JsonPath stats = stats();
        assertEquals(1, stats.getLong("webhooks.accepted"));
        assertEquals(1, stats.getLong("webhooks.repeats"));
        assertEquals(1, Rows.execute("select count(*) from order_payment where order_id = ?", id));
    }

    @Test
    void lateTheOrderHasTimedOutAndTheWebhookIsRefused() {
        // The tests' orders are due after 8 s; the late webhook comes after 10 s.
        webhooks(Map.of("mode", "LATE"));
        long id = placeLarge();
        awaitStatus(id, "PAYMENT_TIMED_OUT");
        await().atMost(Duration.ofSeconds(30)).until(() -> stats().getLong("webhooks.sent") == 1);
        JsonPath stats = stats();
        assertEquals(1, stats.getLong("webhooks.refused"));
        assertEquals(0, stats.getLong("webhooks.accepted"));
        given().get("/orders/{id}", id).then().body("status", equalTo("PAYMENT_TIMED_OUT"));
    }

    @Test
    void aPaymentIsAskedForOncePerKeyAndOnlyAnAdminConfiguresTheWebhooks() {
        String first = intent("key-1").then().statusCode(201).extract().jsonPath().getString("paymentId");
        intent("key-1").then().statusCode(200).body("paymentId", equalTo(first));
        intent("key-2").then().statusCode(201);
        assertEquals(2, stats().getLong("payments"));
        assertEquals(0, stats().getLong("webhooks.planned"), "the tests' provider sends no webhook by default");

        asViewer().contentType(ContentType.JSON).body(Map.of("mode", "TWICE")).put("/simulator/payments/webhooks")
                .then().statusCode(403);
        asAdmin().contentType(ContentType.JSON).body(Map.of("mode", "SOMETIMES")).put("/simulator/payments/webhooks")
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).body(Map.of("delayMs", -1)).put("/simulator/payments/webhooks")
                .then().statusCode(400).contentType("application/problem+json");
        asViewer().get("/simulator/payments/webhooks").then().statusCode(200).body("mode", equalTo("NEVER"));
        given().contentType(ContentType.JSON).body(Map.of("orderId", 1)).post("/simulator/payments/intents")
                .then().statusCode(400).contentType("application/problem+json");
    }

    private static io.restassured.response.Response intent(String key) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("orderId", 999_999, "amountCents", 100)).post("/simulator/payments/intents");
    }

    private static void webhooks(Map<String, Object> settings) {
        asAdmin().contentType(ContentType.JSON).body(settings).put("/simulator/payments/webhooks").then().statusCode(200);
    }

    private static JsonPath stats() {
        return asViewer().get("/simulator/payments/stats").then().statusCode(200).extract().jsonPath();
    }

    private static long placeLarge() {
        return given().contentType(ContentType.JSON)
                .body(Map.of("customerEmail", "payer@example.com", "lines", List.of(Map.of("sku", "MUG-01",
                        "quantity", 20))))
                .post("/orders").then().statusCode(202).body("status", equalTo("AWAITING_PAYMENT"))
                .extract().jsonPath().getLong("orderId");
    }

    private static JsonPath awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(60)).until(() -> status.equals(
                given().get("/orders/{id}", id).jsonPath().getString("status")));
        return given().get("/orders/{id}", id).jsonPath();
    }

    private static String paymentIdOf(long orderId) {
        try (java.sql.Connection connection = Rows.connect(null);
                java.sql.PreparedStatement query = connection.prepareStatement(
                        "select id from sim_payment_intent where order_id = ?")) {
            query.setLong(1, orderId);
            try (java.sql.ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
