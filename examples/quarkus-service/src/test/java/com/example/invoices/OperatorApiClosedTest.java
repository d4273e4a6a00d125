package com.example.invoices;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * This service has no Quarkus security extension, so nothing could check a user's role: Errand's
 * operator endpoints refuse every request instead of serving everyone (docs/operations/security.md,
 * "The operator API in your service"). The service's own endpoints are its own business.
 */
@QuarkusTest
class OperatorApiClosedTest {

    @Inject
    Outbox outbox;
    @Inject
    AgroalDataSource database;

    @Test
    void anAnonymousPauseIsRefusedAndTheConsumerGoesOnWorking() throws Exception {
        refused(given().post("/errand/consumers/invoices/pause").then());

        // Had the pause happened, this invoice would wait on the broker until someone resumed it.
        given().contentType(ContentType.JSON)
                .body("{\"invoiceId\":\"inv-after-pause\",\"customer\":\"ada\",\"amountCents\":700}")
                .post("/invoices").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> Rows.count(database,
                "select count(*) from invoice_sent where invoice_id = ?", "inv-after-pause") == 1);
    }

    @Test
    void anAnonymousReplayIsRefusedAndTheDeadLetterStaysWhereItIs() throws Exception {
        QuarkusTransaction.requiringNew().run(() -> outbox.enqueue(OutboundMessage.json("invoices",
                "invoice:closed-poison", "send-invoice", null,
                "{\"invoiceId\":\"inv-closed-poison\",\"customer\":\"\",\"amountCents\":-5}")));
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLettered("invoice:closed-poison") == 1);

        refused(given().post("/errand/dead-letters/replay").then());
        refused(given().queryParam("queue", "invoices").post("/errand/dead-letters/replay").then());

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> deadLettered("invoice:closed-poison") == 1);
    }

    @Test
    void everyOperatorEndpointRefusesEveryRequest() {
        for (String path : new String[] { "/errand/consumers", "/errand/dead-letters", "/errand/dead-letters/summary",
                "/errand/dashboard", "/errand/workflows", "/errand/calls/any" }) {
            refused(given().get(path).then());
        }
        refused(given().post("/errand/consumers/invoices/resume").then());
        refused(given().delete("/errand/dead-letters/1").then());
        refused(given().contentType(ContentType.JSON).body("{\"ids\":[1]}")
                .post("/errand/dead-letters/selection/discard").then());
        // Credentials change nothing: there is nothing here that could check them.
        refused(given().auth().preemptive().basic("admin", "admin").get("/errand/consumers").then());
    }

    @Test
    void theServicesOwnEndpointStaysOpen() {
        given().contentType(ContentType.JSON)
                .body("{\"invoiceId\":\"inv-open\",\"customer\":\"bob\",\"amountCents\":100}")
                .post("/invoices").then().statusCode(202);
    }

    private static void refused(ValidatableResponse response) {
        response.statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(403))
                .body("type", equalTo("/problems/operator-api-unsecured"))
                .body("detail", containsString("quarkus-elytron-security-properties-file"))
                .body("detail", containsString("quarkus-oidc"));
    }

    private long deadLettered(String messageId) throws Exception {
        return Rows.count(database,
                "select count(*) from errand_dead_letter where message_id = ? and status = 'DEAD_LETTERED'", messageId);
    }
}
