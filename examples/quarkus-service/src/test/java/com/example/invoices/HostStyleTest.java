package com.example.invoices;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Errand answers its own endpoints its own way and leaves the service's endpoints alone. */
@QuarkusTest
class HostStyleTest {

    @Test
    void theServicesOwnEndpointsKeepQuarkusDefaultErrors() {
        // Hibernate Validator's own report, as this service would answer without Errand.
        given().contentType(ContentType.JSON).body("{\"invoiceId\":\"\",\"customer\":\"x\",\"amountCents\":1}")
                .post("/invoices").then().statusCode(400)
                .contentType(startsWith("application/json"))
                .body("title", equalTo("Constraint Violation"));
    }

    @Test
    void aCrossSiteWriteToTheServicesOwnEndpointIsTheServicesBusiness() {
        given().contentType(ContentType.JSON).header("Origin", "https://elsewhere.example")
                .body("{\"invoiceId\":\"inv-cross\",\"customer\":\"x\",\"amountCents\":1}")
                .post("/invoices").then().statusCode(202);
    }

    @Test
    void errandsOwnEndpointsAnswerProblemJson() {
        // No security extension here: Errand refuses its operator endpoints (OperatorApiClosedTest).
        given().get("/errand/dead-letters").then().statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(403));
        given().header("Origin", "https://elsewhere.example").post("/errand/dead-letters/replay").then()
                .statusCode(403).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("/problems/cross-site-request"));
    }

    @Test
    void aCrossSiteWriteToErrandIsRefusedHoweverItsPathIsSpelt() {
        for (String path : new String[] { "/errand/dead-letters/replay", "//errand/dead-letters/replay",
                "/invoices/../errand/dead-letters/replay" }) {
            // A browser sent by another site: whichever way the router reads the path, the replay must
            // not happen (404 where it finds no endpoint at all). The cross-site guard answers first.
            int status = given().header("Origin", "https://elsewhere.example").post(path).then().extract()
                    .statusCode();
            org.junit.jupiter.api.Assertions.assertTrue(status == 403 || status == 404, path + " answered " + status);
        }
        given().header("Origin", "https://elsewhere.example").post("/errand/dead-letters/replay").then()
                .statusCode(403).body("type", equalTo("/problems/cross-site-request"));
    }
}
