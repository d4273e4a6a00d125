package dev.errand.apps.export;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asProducer;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.BothBrokers;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The export story: every user to a fragile CRM, by durable workflows, with one report. */
@BothBrokers
@QuarkusTest
class ExportTest {

    @BeforeEach
    void noUsersAndAQuietCrm() {
        Rows.execute("truncate crm_user, user_export");
        asAdmin().post("/simulator/crm/reset").then().statusCode(204);
    }

    /** Other classes export the users there are: none of this class's (more than the approval threshold) stays. */
    @AfterEach
    void noUsersLeft() {
        Rows.execute("truncate crm_user");
    }

    @Test
    void aLargeExportWaitsForAnAdminsApprovalAndRunsOnceApprovedWithARepeatCountingOnce() {
        asProducer().queryParam("count", 1001).post("/exports/users").then().statusCode(200);
        long exportId = asProducer().post("/exports").then().statusCode(202).extract().jsonPath().getLong("exportId");
        await().atMost(Duration.ofSeconds(30)).until(() -> "AWAITING_APPROVAL".equals(status(exportId)));
        assertEquals(0, asViewer().get("/simulator/crm/stats").jsonPath().getInt("contacts"));

        // Bad input and a viewer change nothing.
        asAdmin().contentType(ContentType.JSON).body("{\"approved\": \"yes\"}").post("/exports/{id}/approval", exportId)
                .then().statusCode(400).contentType("application/problem+json");
        asViewer().contentType(ContentType.JSON).body(Map.of("approved", true, "by", "eve"))
                .post("/exports/{id}/approval", exportId).then().statusCode(403);
        asAdmin().contentType(ContentType.JSON).body(Map.of("approved", true, "by", "x"))
                .post("/exports/{id}/approval", 987654321).then().statusCode(404).contentType("application/problem+json");
        assertEquals("AWAITING_APPROVAL", status(exportId));

        asAdmin().contentType(ContentType.JSON).body(Map.of("approved", true, "by", "ada"))
                .post("/exports/{id}/approval", exportId).then().statusCode(202);
        // The first answer counts: a rejection after it is a repeat of the same signal.
        asAdmin().contentType(ContentType.JSON).body(Map.of("approved", false, "by", "bob"))
                .post("/exports/{id}/approval", exportId).then().statusCode(200);

        JsonPath done = awaitFinished(exportId);
        assertEquals("COMPLETED", done.getString("status"));
        assertEquals(1001, done.getInt("exported"));
    }

    @Test
    void aRejectedExportSendsNothingAndALateAnswerGetsAProblem() {
        asProducer().queryParam("count", 1001).post("/exports/users").then().statusCode(200);
        long rejected = asProducer().post("/exports").then().statusCode(202).extract().jsonPath().getLong("exportId");
        await().atMost(Duration.ofSeconds(30)).until(() -> "AWAITING_APPROVAL".equals(status(rejected)));
        asAdmin().contentType(ContentType.JSON).body(Map.of("approved", false, "by", "grace"))
                .post("/exports/{id}/approval", rejected).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "REJECTED".equals(status(rejected)));
        assertEquals(0, asViewer().get("/simulator/crm/stats").jsonPath().getInt("contacts"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("approved", true, "by", "late"))
                .post("/exports/{id}/approval", rejected).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void aCancelledExportStopsAndItsChildrenThatHadNotStartedNeverReachTheCrm() {
        asProducer().queryParam("count", 200).post("/exports/users").then().statusCode(200);
        asAdmin().post("/errand/consumers/{channel}/pause", "errand-functions-export-user").then().statusCode(200);
        long exportId;
        try {
            exportId = asProducer().post("/exports").then().statusCode(202).extract().jsonPath().getLong("exportId");
            await().atMost(Duration.ofSeconds(30)).until(() -> asViewer().get("/exports/{id}", exportId).jsonPath()
                    .getInt("total") == 200 && "RUNNING".equals(status(exportId)));
            asViewer().post("/exports/{id}/cancel", exportId).then().statusCode(403);
            asAdmin().post("/exports/{id}/cancel", exportId).then().statusCode(200).body("status", equalTo("CANCELLED"));
        } finally {
            asAdmin().post("/errand/consumers/{channel}/resume", "errand-functions-export-user").then().statusCode(200);
        }
        // Every child's message is settled unrun: the CRM never hears of them.
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.execute(
                "select count(*) from errand_call where parent_id = (select workflow_id from user_export where id = ?)"
                        + " and status = 'CANCELLED'", exportId) == 200);
        asViewer().get("/exports/{id}", exportId).then().body("status", equalTo("CANCELLED")).body("exported", equalTo(0));
        assertEquals(0, asViewer().get("/simulator/crm/stats").jsonPath().getInt("contacts"));
        asAdmin().post("/exports/{id}/cancel", exportId).then().statusCode(409).contentType("application/problem+json");
        asAdmin().post("/exports/{id}/cancel", 987654321).then().statusCode(404);
    }

    private static String status(long exportId) {
        return asViewer().get("/exports/{id}", exportId).jsonPath().getString("status");
    }

    @Test
    void everyUserIsExportedInTwoLinkedStepsThroughInjectedErrorsAndOneReportIsPosted() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("errorRate", 0.05)).put("/simulator/crm/config")
                .then().statusCode(200);
        asProducer().queryParam("count", 300).post("/exports/users").then().statusCode(200).body("users", equalTo(300));

        long exportId = asProducer().post("/exports").then().statusCode(202).extract().jsonPath().getLong("exportId");
        JsonPath done = awaitFinished(exportId);

        assertEquals("COMPLETED", done.getString("status"));
        assertEquals(300, done.getInt("total"));
        assertEquals(300, done.getInt("exported"));
        assertEquals(0, done.getInt("failed"));
        assertNotNull(done.getString("finishedAt"));
        JsonPath crm = asViewer().get("/simulator/crm/stats").then().statusCode(200).extract().jsonPath();
        assertEquals(300, crm.getInt("contacts"));
        assertEquals(300, crm.getInt("links"));
        assertEquals(0, crm.getInt("duplicateContacts"));
        // A child whose owner step failed resumed at that step: its contact step never ran again
        // (it would have repeated its idempotency key).
        assertTrue(crm.getInt("injectedErrors") > 0, "the CRM failed some calls");
        assertEquals(0, crm.getInt("replayedContacts"));
        assertEquals(0, crm.getInt("badLinks"));
        assertEquals(1, crm.getInt("reports"));
    }

    @Test
    void aUserTheCrmRefusesFailsAloneAndTheOthersAreExported() {
        asProducer().queryParam("count", 50).post("/exports/users").then().statusCode(200);
        // The CRM refuses this address (400): a permanent failure of one child, dead-lettered at once.
        Rows.execute("update crm_user set email = 'not an address' where id = (select min(id) + 7 from crm_user)");

        long exportId = asProducer().post("/exports").then().statusCode(202).extract().jsonPath().getLong("exportId");
        JsonPath done = awaitFinished(exportId);

        assertEquals("COMPLETED_WITH_FAILURES", done.getString("status"));
        assertEquals(49, done.getInt("exported"));
        assertEquals(1, done.getInt("failed"));
        asViewer().get("/simulator/crm/stats").then().body("contacts", equalTo(49)).body("reports", equalTo(1));
    }

    @Test
    void aDelayedExportWaitsInADurableSleepThenRuns() {
        asProducer().queryParam("count", 20).post("/exports/users").then().statusCode(200);
        long exportId = asProducer().queryParam("delaySeconds", 3).post("/exports").then().statusCode(202).extract()
                .jsonPath().getLong("exportId");
        String workflowId = asViewer().queryParam("limit", 20).get("/errand/workflows").then().statusCode(200)
                .extract().jsonPath().getString("find { it.function == 'export-users' && it.state != 'SUCCEEDED' }.id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "WAITING".equals(
                asViewer().get("/errand/workflows/{id}", workflowId).jsonPath().getString("state")));
        asViewer().get("/errand/workflows/{id}", workflowId).then().body("currentStep", equalTo("sleep PT3S"));
        assertEquals(0, asViewer().get("/simulator/crm/stats").jsonPath().getInt("contacts"));

        JsonPath done = awaitFinished(exportId);
        assertEquals("COMPLETED", done.getString("status"));
        assertEquals(20, done.getInt("exported"));
    }

    @Test
    void badInputIsAProblemAndNoExportIsUnknown() {
        asProducer().queryParam("delaySeconds", -1).post("/exports").then().statusCode(400)
                .contentType("application/problem+json");
        asProducer().queryParam("count", 0).post("/exports/users").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("1 to 1000000"));
        asViewer().get("/exports/{id}", 987654321).then().statusCode(404).contentType("application/problem+json");
    }

    private static JsonPath awaitFinished(long exportId) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> !asViewer()
                .get("/exports/{id}", exportId).then().statusCode(200).extract().jsonPath().getString("status")
                .equals("RUNNING"));
        return asViewer().get("/exports/{id}", exportId).then().extract().jsonPath();
    }
}
