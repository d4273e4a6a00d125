package dev.errand.apps.simulator;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The CRM simulator, the export's fragile third party: contacts in two steps linked by the first
 * one's id, idempotency keys, reports, and the promotions simulator's failure modes and roles.
 */
@QuarkusTest
class CrmSimulatorTest {

    private static final Map<String, String> ADA = Map.of("firstName", "Ada", "lastName", "Lovelace",
            "email", "ada@example.com");

    @BeforeEach
    @AfterEach
    void freshCrm() {
        asAdmin().post("/simulator/crm/reset").then().statusCode(204);
    }

    @Test
    void aContactCreatedTwiceWithOneKeyIsOneContactAndItsOwnerNeedsItsId() {
        long id = create("key-ada").then().statusCode(201).body("contactId", notNullValue()).extract().jsonPath()
                .getLong("contactId");
        create("key-ada").then().statusCode(200).body("contactId", equalTo((int) id));
        given().contentType(ContentType.JSON).body(Map.of("owner", "grace")).put("/simulator/crm/contacts/{id}/owner", id)
                .then().statusCode(200).body("owner", equalTo("grace"));
        given().contentType(ContentType.JSON).body(Map.of("owner", "grace")).put("/simulator/crm/contacts/{id}/owner", 999_999)
                .then().statusCode(404).contentType("application/problem+json");

        JsonPath stats = stats();
        assertEquals(1, stats.getLong("contacts"));
        assertEquals(0, stats.getLong("duplicateContacts"));
        assertEquals(1, stats.getLong("links"));
        assertEquals(1, stats.getLong("badLinks"));
    }

    @Test
    void withoutAKeyARepeatedContactIsADuplicateAndAReportIsRecordedOncePerKey() {
        create(null).then().statusCode(201);
        create(null).then().statusCode(201);
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", "report-1")
                    .body(Map.of("exportId", "1", "exported", 2, "failed", 0)).post("/simulator/crm/reports")
                    .then().statusCode(i == 0 ? 201 : 200);
        }
        JsonPath stats = stats();
        assertEquals(2, stats.getLong("contacts"));
        assertEquals(1, stats.getLong("duplicateContacts"));
        assertEquals(1, stats.getLong("reports"));
    }

    @Test
    void itIsRateLimitedDownOrFailingAsConfiguredAndOnlyAnAdminConfiguresIt() {
        asViewer().contentType(ContentType.JSON).body(Map.of("outage", true)).put("/simulator/crm/config")
                .then().statusCode(403);
        asAdmin().contentType(ContentType.JSON).body(Map.of("outage", true)).put("/simulator/crm/config")
                .then().statusCode(200).body("outage", equalTo(true));
        create("down").then().statusCode(503).contentType("application/problem+json");

        asAdmin().contentType(ContentType.JSON).body(Map.of("outage", false, "rateLimit", 2)).put("/simulator/crm/config")
                .then().statusCode(200);
        int limited = 0;
        for (int i = 0; i < 5; i++) {
            if (create("limited-" + i).statusCode() == 429) {
                limited++;
            }
        }
        create("limited-x").then().statusCode(429).header("Retry-After", notNullValue());
        assertEquals(limited + 1, stats().getLong("rateLimited"));

        asAdmin().contentType(ContentType.JSON).body(Map.of("rateLimit", 0, "errorRate", 1.0)).put("/simulator/crm/config")
                .then().statusCode(200);
        create("failing").then().statusCode(500);
        given().contentType(ContentType.JSON).body(Map.of("firstName", "", "lastName", "x", "email", "no"))
                .post("/simulator/crm/contacts").then().statusCode(400);
    }

    private static io.restassured.response.Response create(String key) {
        var request = given().contentType(ContentType.JSON).body(ADA);
        return (key == null ? request : request.header("Idempotency-Key", key)).post("/simulator/crm/contacts");
    }

    private static JsonPath stats() {
        return asViewer().get("/simulator/crm/stats").then().statusCode(200).extract().jsonPath();
    }
}
