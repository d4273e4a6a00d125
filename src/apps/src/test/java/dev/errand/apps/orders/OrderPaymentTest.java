package dev.errand.apps.orders;

import static dev.errand.testing.Users.asAdmin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Broker;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * An order above {@code orders.confirm-above-cents} (20,000 cents in tests) waits, its stock reserved, for
 * the payment provider's webhook, at most {@code orders.payment-timeout} (8 s in tests). Here the test is
 * the provider: the simulator sends no webhook (its test setting), so each test sends its own.
 */
@BothBrokers
@QuarkusTest
class OrderPaymentTest {

    /** 20 mugs at 1,200 cents: 24,000 cents, above the tests' 20,000. */
    static final int MUGS = 20;
    static final long TOTAL = MUGS * 1200L;
    /** {@code %test.orders.payment-webhook-secret}. */
    static final String SECRET = "test-payment-webhook-secret";

    @Inject
    EntityManager em;

    @Inject
    DurableCalls calls;

    @BeforeEach
    void aProviderThatSendsNoWebhook() {
        asAdmin().post("/simulator/payments/reset").then().statusCode(204);
    }

    @AfterEach
    void workflowsFlow() {
        Broker.resume(OrderChannels.PAYMENT_WORKFLOW_QUEUE);
    }

    @Test
    void aLargeOrderWaitsForItsPaymentAndOnceConfirmedRunsItsStepsBeforeItIsDue() {
        long mugsBefore = mugs();
        long id = placeLarge();
        // Reserved when placed: no later order counts on these mugs.
        assertEquals(mugsBefore - MUGS, mugs());
        given().get("/orders/{id}", id).then().statusCode(200)
                .body("status", equalTo("AWAITING_PAYMENT"))
                .body("paymentDueAt", notNullValue())
                .body("payment", nullValue())
                .body("steps.done", equalTo(List.of(false, false, false, false)));
        // The workflow asked the provider for the payment (once, by its step's key).
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(em,
                "select count(*) from sim_payment_intent where order_id = ?1", id) == 1);

        webhook(id, "pay-" + id, TOTAL).statusCode(202).body("status", equalTo("AWAITING_PAYMENT"));

        JsonPath done = awaitStatus(id, "COMPLETED");
        assertEquals("pay-" + id, done.getString("payment.paymentId"));
        assertEquals(List.of(true, true, true, true), done.getList("steps.done"));
        // The signal woke the workflow: confirmed before the order was due, not by the timeout's run.
        assertTrue(instant(done, "confirmedAt").isBefore(instant(done, "paymentDueAt")), done.prettify());
        // The provider's payment is the charge: not charged again; the reserved mugs are taken once.
        assertEquals(0, partnerCalls(OrderPartners.PAYMENTS, id));
        assertEquals(1, partnerCalls(OrderPartners.MAIL, id));
        assertEquals(1, partnerCalls(OrderPartners.WAREHOUSE, id));
        assertEquals(mugsBefore - MUGS, mugs());
    }

    @Test
    void aWebhookDeliveredTwiceCountsOnceAndAnotherPaymentForTheOrderIsRefused() {
        long id = placeLarge();
        webhook(id, "pay-twice-" + id, TOTAL).statusCode(202);
        webhook(id, "pay-twice-" + id, TOTAL).statusCode(200).body("paymentId", equalTo("pay-twice-" + id));
        webhook(id, "pay-other-" + id, TOTAL).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/order-already-paid"));

        JsonPath done = awaitStatus(id, "COMPLETED");
        assertEquals("pay-twice-" + id, done.getString("payment.paymentId"));
        // A repeat after the order went on is still the same payment, not an error.
        webhook(id, "pay-twice-" + id, TOTAL).statusCode(200);
        assertEquals(1, Rows.count(em, "select count(*) from order_payment where order_id = ?1", id));
        assertEquals(1, Rows.count(em, "select count(*) from errand_signal where call_id = ?1", workflow(id).id()));
        assertEquals(1, partnerCalls(OrderPartners.MAIL, id));
    }

    @Test
    void withoutAWebhookTheOrderIsCancelledWhenDueAndItsStockReleasedOnce() {
        long mugsBefore = mugs();
        long id = placeLarge();
        assertEquals(mugsBefore - MUGS, mugs());

        JsonPath cancelled = awaitStatus(id, "PAYMENT_TIMED_OUT");
        assertFalse(instant(cancelled, "cancelledAt").isBefore(instant(cancelled, "paymentDueAt")), cancelled.prettify());
        assertEquals(mugsBefore, mugs());
        assertEquals(CallStatus.State.SUCCEEDED, workflow(id).state());
        // Nothing can release the stock a second time: the workflow has ended.
        assertEquals(DurableCalls.Cancellation.Outcome.FINISHED, calls.cancel(workflow(id).id(), "test").outcome());
        assertEquals(mugsBefore, mugs());
        assertEquals(0, partnerCalls(OrderPartners.MAIL, id));
    }

    @Test
    void aWebhookAfterTheOrderTimedOutIsRefusedAndChangesNothing() {
        long mugsBefore = mugs();
        long id = placeLarge();
        awaitStatus(id, "PAYMENT_TIMED_OUT");

        webhook(id, "pay-late-" + id, TOTAL).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/order-not-awaiting-payment"));

        given().get("/orders/{id}", id).then().body("status", equalTo("PAYMENT_TIMED_OUT")).body("payment", nullValue());
        assertEquals(0, Rows.count(em, "select count(*) from order_payment where order_id = ?1", id));
        assertEquals(0, Rows.count(em, "select count(*) from errand_signal where call_id = ?1", workflow(id).id()));
        assertEquals(mugsBefore, mugs());
        assertEquals(0, partnerCalls(OrderPartners.MAIL, id));
    }

    @Test
    void aWebhookPastTheDueTimeIsRefusedEvenBeforeTheWorkflowHasSettledTheOrder() {
        long mugsBefore = mugs();
        long id = placeLarge();
        awaitWaiting(id);
        // The workflow is behind (the service was down, say): its timeout's run waits on the paused queue.
        Broker.pause(OrderChannels.PAYMENT_WORKFLOW_QUEUE);
        Instant due = instant(given().get("/orders/{id}", id).jsonPath(), "paymentDueAt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(due));
        given().get("/orders/{id}", id).then().body("status", equalTo("AWAITING_PAYMENT"));

        webhook(id, "pay-too-late-" + id, TOTAL).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/payment-too-late"));
        assertEquals(0, Rows.count(em, "select count(*) from order_payment where order_id = ?1", id));
        assertEquals(0, Rows.count(em, "select count(*) from errand_signal where call_id = ?1", workflow(id).id()));

        Broker.resume(OrderChannels.PAYMENT_WORKFLOW_QUEUE);
        awaitStatus(id, "PAYMENT_TIMED_OUT");
        assertEquals(mugsBefore, mugs());
        assertEquals(DurableCalls.Cancellation.Outcome.FINISHED, calls.cancel(workflow(id).id(), "test").outcome());
        assertEquals(mugsBefore, mugs());
        assertEquals(0, partnerCalls(OrderPartners.MAIL, id));
    }

    @Test
    void aWebhookThatComesBeforeTheWorkflowWaitsIsKeptForIt() {
        // The workflow's start waits on its queue: the provider is faster than the service.
        Broker.pause(OrderChannels.PAYMENT_WORKFLOW_QUEUE);
        long id = placeLarge();
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.byBusinessKey(OrderChannels.PAYMENT_WORKFLOW,
                OrderChannels.paymentKey(id)).isPresent());
        assertEquals(CallStatus.State.PENDING, workflow(id).state());

        webhook(id, "pay-early-" + id, TOTAL).statusCode(202);
        Broker.resume(OrderChannels.PAYMENT_WORKFLOW_QUEUE);

        JsonPath done = awaitStatus(id, "COMPLETED");
        assertTrue(instant(done, "confirmedAt").isBefore(instant(done, "paymentDueAt")), done.prettify());
        assertEquals("pay-early-" + id, done.getString("payment.paymentId"));
    }

    @Test
    void badInputGetsAProblemAndChangesNothing() {
        long id = placeLarge();
        for (String body : List.of("{}", "{\"paymentId\": \"\", \"amountCents\": 24000}",
                "{\"paymentId\": \"p\"}", "{\"paymentId\": \"p\", \"amountCents\": -1}",
                "{\"paymentId\": \"p\", \"amountCents\": \"24000\"}", "{\"paymentId\": \"p\", \"amountCents\": 240.5}",
                "{\"paymentId\": 42, \"amountCents\": 24000}", "{\"paymentId\": \"p\\u0000\", \"amountCents\": 24000}",
                "{\"paymentId\": \"" + "p".repeat(201) + "\", \"amountCents\": 24000}", "[]")) {
            asProvider().body(body).post("/payments/{id}/confirmed", id)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("/problems/invalid-payment"));
        }
        asProvider().body("{\"paymentId\": ").post("/payments/{id}/confirmed", id)
                .then().statusCode(400).contentType("application/problem+json");
        webhook(987_654_321L, "pay-nobody", TOTAL).statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/order-not-found"));
        webhook(id, "pay-short-" + id, TOTAL - 1).statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/amount-mismatch"));
        // A sticker (400 cents) is far below the threshold: it never waits for a payment.
        long small = place("STK-01", 1, "PROCESSING");
        webhook(small, "pay-small-" + small, 400).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/order-not-awaiting-payment"));

        assertEquals(0, Rows.count(em, "select count(*) from order_payment where order_id in (?1, ?2)", id, small));
        given().get("/orders/{id}", id).then().body("status", equalTo("AWAITING_PAYMENT"));
        // Still waiting, and still confirmable.
        webhook(id, "pay-good-" + id, TOTAL).statusCode(202);
        awaitStatus(id, "COMPLETED");
    }

    @Test
    void aWebhookWithoutTheProvidersSecretIsRefusedAndChangesNothing() {
        long id = placeLarge();
        String body = "{\"paymentId\": \"pay-forged-" + id + "\", \"amountCents\": " + TOTAL + "}";
        given().contentType(ContentType.JSON).body(body).post("/payments/{id}/confirmed", id)
                .then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-webhook-secret"));
        for (String wrong : List.of("", "wrong", SECRET + "x", SECRET.substring(1), SECRET.toUpperCase())) {
            given().contentType(ContentType.JSON).header(PaymentWebhookSecret.HEADER, wrong).body(body)
                    .post("/payments/{id}/confirmed", id)
                    .then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("/problems/invalid-webhook-secret"));
        }
        // Nor does it tell a stranger which orders exist.
        given().contentType(ContentType.JSON).body(body).post("/payments/{id}/confirmed", 987_654_321L)
                .then().statusCode(401);

        assertEquals(0, Rows.count(em, "select count(*) from order_payment where order_id = ?1", id));
        given().get("/orders/{id}", id).then().body("status", equalTo("AWAITING_PAYMENT"));
        // The provider, with the secret, still confirms it.
        webhook(id, "pay-genuine-" + id, TOTAL).statusCode(202);
        awaitStatus(id, "COMPLETED");
    }

    @Test
    void anOperatorWhoCancelsTheWorkflowCancelsTheOrderAndReleasesItsStock() {
        long mugsBefore = mugs();
        long id = placeLarge();
        awaitWaiting(id);

        assertEquals(DurableCalls.Cancellation.Outcome.CANCELLED, calls.cancel(workflow(id).id(), "ops").outcome());

        awaitStatus(id, "CANCELLED");
        assertEquals(mugsBefore, mugs());
        webhook(id, "pay-after-cancel-" + id, TOTAL).statusCode(409);
        assertEquals(mugsBefore, mugs());
    }

    @Test
    void aPaymentAcceptedBeforeAnOperatorCancelsTheWorkflowWinsAndTheOrderGoesOn() {
        long mugsBefore = mugs();
        long id = placeLarge();
        awaitWaiting(id);
        // The workflow cannot take the signal, nor settle, until the queue resumes: the cancellation comes in
        // between the webhook's 202 and the workflow's next run.
        Broker.pause(OrderChannels.PAYMENT_WORKFLOW_QUEUE);
        webhook(id, "pay-then-cancel-" + id, TOTAL).statusCode(202);

        assertEquals(DurableCalls.Cancellation.Outcome.CANCELLED, calls.cancel(workflow(id).id(), "ops").outcome());
        Broker.resume(OrderChannels.PAYMENT_WORKFLOW_QUEUE);

        // The customer paid and the provider was told so: the compensation confirms the order, not cancels it.
        JsonPath done = awaitStatus(id, "COMPLETED");
        assertEquals("pay-then-cancel-" + id, done.getString("payment.paymentId"));
        assertEquals(List.of(true, true, true, true), done.getList("steps.done"));
        assertEquals(CallStatus.State.CANCELLED, workflow(id).state());
        // The reserved mugs are taken, never released; the order is sent once.
        assertEquals(mugsBefore - MUGS, mugs());
        assertEquals(1, partnerCalls(OrderPartners.MAIL, id));
        assertEquals(1, partnerCalls(OrderPartners.WAREHOUSE, id));
        webhook(id, "pay-then-cancel-" + id, TOTAL).statusCode(200);
    }

    static long placeLarge() {
        return place("MUG-01", MUGS, "AWAITING_PAYMENT");
    }

    static long place(String sku, int quantity, String status) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("customerEmail", "payer@example.com", "lines", List.of(Map.of("sku", sku,
                        "quantity", quantity))))
                .post("/orders").then().statusCode(202).body("status", equalTo(status))
                .extract().jsonPath().getLong("orderId");
    }

    static ValidatableResponse webhook(long orderId, String paymentId, long amountCents) {
        return asProvider().body(Map.of("paymentId", paymentId, "amountCents", amountCents))
                .post("/payments/{id}/confirmed", orderId).then();
    }

    /** A webhook call as the provider makes it: with the secret the tests' settings give. */
    static RequestSpecification asProvider() {
        return given().contentType(ContentType.JSON).header(PaymentWebhookSecret.HEADER, SECRET);
    }

    static JsonPath awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(60)).until(() -> status.equals(
                given().get("/orders/{id}", id).jsonPath().getString("status")));
        return given().get("/orders/{id}", id).jsonPath();
    }

    private void awaitWaiting(long id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.byBusinessKey(OrderChannels.PAYMENT_WORKFLOW,
                OrderChannels.paymentKey(id)).map(call -> call.state() == CallStatus.State.WAITING).orElse(false));
    }

    private CallStatus workflow(long id) {
        return calls.byBusinessKey(OrderChannels.PAYMENT_WORKFLOW, OrderChannels.paymentKey(id)).orElseThrow();
    }

    private static Instant instant(JsonPath view, String field) {
        return Instant.parse(view.getString(field));
    }

    private long mugs() {
        return Rows.count(em, "select available from inventory where sku = 'MUG-01'");
    }

    private long partnerCalls(String system, long orderId) {
        return Rows.count(em, "select count(*) from partner_call where system = ?1 and order_id = ?2", system, orderId);
    }
}
