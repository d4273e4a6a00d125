package dev.errand.apps;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asProducer;
import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Who may do what: HTTP roles on every guarded endpoint, and a broker that refuses strangers. */
@BothBrokers
@QuarkusTest
class AccessRulesTest {

    private static final String CSV = "user_id\naccess-rules-1\n";

    @Test
    void aCampaignUploadNeedsTheProducerRole() {
        assertUnauthorized(given().contentType("text/csv").body(CSV).queryParam("name", "x").post("/campaigns"));
        assertForbidden(asViewer().contentType("text/csv").body(CSV).queryParam("name", "x").post("/campaigns"));
        asProducer().contentType("text/csv").body(CSV).queryParam("name", "access").queryParam("couponCents", 100)
                .post("/campaigns").then().statusCode(202);
    }

    @Test
    void wrongCredentialsAreRefusedWithAChallenge() {
        assertUnauthorized(given().auth().preemptive().basic("admin", "not-the-password").get("/errand/dead-letters"));
        assertUnauthorized(given().auth().preemptive().basic("nobody", "whatever").get("/campaigns"));
    }

    @Test
    void deadLettersCanBeReadByAViewerButReplayedAndDeletedOnlyByAnAdmin() {
        assertUnauthorized(given().get("/errand/dead-letters"));
        asViewer().get("/errand/dead-letters").then().statusCode(200);
        assertForbidden(asProducer().post("/errand/dead-letters/{id}/replay", 424242));
        assertForbidden(asViewer().post("/errand/dead-letters/replay"));
        assertForbidden(asProducer().delete("/errand/dead-letters/{id}", 424242));
        // Allowed through: the answer is about the (missing) letter, not about the user.
        asAdmin().post("/errand/dead-letters/{id}/replay", 424242).then().statusCode(404);
        asAdmin().delete("/errand/dead-letters/{id}", 424242).then().statusCode(404);
    }

    @Test
    void theSimulatorsSettingsNeedTheAdminRoleButItsApiIsOpenLikeTheRealOne() {
        assertUnauthorized(given().contentType(ContentType.JSON).body(Map.of("errorRate", 0.0))
                .put("/simulator/promo/config"));
        assertForbidden(asProducer().contentType(ContentType.JSON).body(Map.of("errorRate", 0.0))
                .put("/simulator/promo/config"));
        assertForbidden(asViewer().post("/simulator/promo/reset"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("errorRate", 0.0)).put("/simulator/promo/config")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).header("Idempotency-Key", "access-rules-grant")
                .body(Map.of("campaignId", "1", "userId", "access-rules-grant", "amountCents", 100))
                .post("/simulator/promo/grants").then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    @Test
    void operationalViewsNeedAUser() {
        assertUnauthorized(given().get("/errand/consumers"));
        assertUnauthorized(given().get("/campaigns"));
        asViewer().get("/errand/consumers").then().statusCode(200);
    }

    @Test
    void ordersAndSignUpsAreOpenToEveryoneByDesign() {
        given().contentType(ContentType.JSON)
                .body(Map.of("customerEmail", "access-rules@example.com", "lines", List.of(Map.of("sku", "STK-01", "quantity", 1))))
                .post("/orders").then().statusCode(202);
        given().contentType(ContentType.JSON).body(Map.of("email", "access-rules@example.com", "name", "Access"))
                .post("/signups").then().statusCode(202);
    }

    @Test
    void aWriteThatABrowserSendsForAnotherSiteIsRefused() {
        // What a forged form on another site makes an administrator's browser send.
        asAdmin().header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site")
                .post("/errand/dead-letters/{id}/replay", 424242)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/cross-site-request"));
        assertForbidden(asAdmin().header("Origin", "https://evil.example").delete("/errand/dead-letters/{id}", 424242));
        // The dashboard's own requests carry this service's origin, and pass.
        asAdmin().header("Origin", io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port)
                .header("Sec-Fetch-Site", "same-origin").post("/errand/dead-letters/{id}/replay", 424242)
                .then().statusCode(404);
    }

    @Test
    void theBrokerRefusesAnonymousConnectionsAndWrongPasswords() {
        assertThrows(IllegalStateException.class, () -> new AnySender(null, null).close());
        assertThrows(IllegalStateException.class, () -> new AnySender("errand", "not-the-password").close());
        assertDoesNotThrow(() -> new AnySender().close());
    }

    private static void assertUnauthorized(Response response) {
        response.then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic"))
                .contentType("application/problem+json")
                .body("status", equalTo(401));
    }

    private static void assertForbidden(Response response) {
        response.then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
    }
}
