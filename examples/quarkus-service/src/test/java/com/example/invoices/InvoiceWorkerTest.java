package com.example.invoices;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.embedded.ErrandTestKit;
import dev.errand.internal.flow.PauseReason;
import dev.errand.internal.handling.BreakerBinding;
import dev.errand.internal.handling.ConsumerRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The invoices handler against a real Artemis and PostgreSQL, through Errand's installed artifact. This
 * service has no security extension, so Errand's operator endpoints refuse every request
 * ({@link OperatorApiClosedTest}): the tests read dead letters from Errand's table and the consumers'
 * state from Errand's beans instead.
 */
@QuarkusTest
class InvoiceWorkerTest {

    @Inject
    BillingApi billing;
    @Inject
    Outbox outbox;
    @Inject
    AgroalDataSource database;
    @Inject
    ConsumerRegistry consumers;
    @Inject
    BreakerBinding breakers;
    @Inject
    ErrandTestKit errand;

    @Test
    void anInvoiceSentTwiceIsBilledAndRecordedOnce() {
        String invoice = "{\"invoiceId\":\"inv-twice\",\"customer\":\"ada\",\"amountCents\":1200}";
        given().contentType(ContentType.JSON).body(invoice).post("/invoices").then().statusCode(202);
        given().contentType(ContentType.JSON).body(invoice).post("/invoices").then().statusCode(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> sentRows("inv-twice") == 1);
        // Both copies reached the broker; the second found the first's marker and never ran.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> billing.calls("inv-twice") == 1 && sentRows("inv-twice") == 1);
    }

    @Test
    void aTransientFailureIsRetriedUntilTheInvoiceIsSent() {
        billing.failNext("inv-flaky", 2);
        given().contentType(ContentType.JSON).body("{\"invoiceId\":\"inv-flaky\",\"customer\":\"bob\",\"amountCents\":500}")
                .post("/invoices").then().statusCode(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> sentRows("inv-flaky") == 1);
        // @Retry(maxRetries = 2) on the handler: two failures and the success, all in the first delivery.
        assertEquals(3, billing.calls("inv-flaky"));
    }

    @Test
    void aPoisonMessageIsDeadLetteredWithItsReasonAndNeverRuns() throws Exception {
        // Any AMQP client could send this: a body that breaks the payload's constraints.
        QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(OutboundMessage.json("invoices", "invoice:poison",
                "send-invoice", null, "{\"invoiceId\":\"inv-poison\",\"customer\":\"\",\"amountCents\":-5}")));

        await().atMost(Duration.ofSeconds(20)).until(() -> Rows.count(database,
                "select count(*) from errand_dead_letter where message_id = ? and reason = 'contract-violation'",
                "invoice:poison") == 1);
        assertEquals(0, billing.calls("inv-poison"));
        assertEquals(0, sentRows("inv-poison"));
        // The test kit reads the same letters as a service's operator sees them.
        assertTrue(errand.deadLetters().stream().anyMatch(letter -> letter.messageId().equals("invoice:poison")
                && letter.reason().equals("contract-violation")));
    }

    @Test
    void anOpenBreakerPausesTheConsumerAndTheWorkWaitsUntilBillingIsBack() throws Exception {
        billing.down(true);
        try {
            for (int i = 0; i < 10; i++) {
                given().contentType(ContentType.JSON)
                        .body(Map.of("invoiceId", "inv-outage-" + i, "customer", "cy", "amountCents", 100 + i))
                        .post("/invoices").then().statusCode(202);
            }
            // The breaker is named on Billing, which the handler calls: Errand found it there, and
            // pauses the consumer instead of failing message after message.
            await().atMost(Duration.ofSeconds(20)).until(() -> consumers.views().stream()
                    .anyMatch(view -> view.channel().equals("invoices")
                            && view.pausedFor().contains(PauseReason.CIRCUIT_BREAKER_OPEN)));
            org.hamcrest.MatcherAssert.assertThat(breakers.views().stream()
                    .filter(breaker -> breaker.name().equals("billing")).findFirst().orElseThrow().consumers(),
                    hasItem("invoices"));
        } finally {
            billing.down(false);
        }
        // Once billing answers, the breaker's probe closes it and every invoice goes out, each once.
        await().atMost(Duration.ofSeconds(60)).until(() -> sentRowsLike("inv-outage-%") == 10);
        assertEquals(0, deadLettersLike("invoice:inv-outage-%"));
    }

    private long sentRows(String invoiceId) throws Exception {
        return count("select count(*) from invoice_sent where invoice_id = ?", invoiceId);
    }

    private long sentRowsLike(String pattern) throws Exception {
        return count("select count(*) from invoice_sent where invoice_id like ?", pattern);
    }

    private long deadLettersLike(String pattern) throws Exception {
        return count("select count(*) from errand_dead_letter where message_id like ?", pattern);
    }

    private long count(String sql, String argument) throws Exception {
        return Rows.count(database, sql, argument);
    }
}
