package dev.errand.it.functions;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.Signals;
import dev.errand.WorkflowVersions;
import dev.errand.it.functions.TestFunctions.Code;
import dev.errand.testing.BothBrokers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Changing a workflow's code while runs of the old code are in flight: a {@code patched} gate sends
 * the old runs down the old code and the new ones down the new, the versions listing tells them apart,
 * and a change without a gate is still refused. Each test has a deployment of its own
 * ({@link TestFunctions#deploy}); its workflows wait for a child of {@code test-hold}, whose consumer
 * the test pauses, so they wait until it lets them go; a signal nobody waits for ({@link #nudge}) wakes one
 * meanwhile, so that it replays under the code deployed then.
 */
@BothBrokers
@QuarkusTest
class WorkflowVersionsTest {

    private static final String HOLD = "errand-functions-test-hold";
    private static final String FUNCTION = "test-versioned";

    @Inject
    TestFunctions functions;

    @Inject
    DurableCalls calls;

    @Inject
    Signals signals;

    @Inject
    EntityManager em;

    @Test
    void anOldRunThatWentPastAChangeFinishesOnTheOldCodeWhileANewRunTakesTheNew() {
        String deployment = "fee-" + UUID.randomUUID();
        Call<String> old;
        Call<String> fresh;
        hold();
        try {
            old = functions.versioned(deployment, "old", false);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(old) == CallStatus.State.WAITING);

            functions.deploy(deployment, Code.PATCHED);
            fresh = functions.versioned(deployment, "new", false);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(fresh) == CallStatus.State.WAITING);
            // The old run replays under the new code (woken), and stays on the old path.
            replayedUnder(old, deployment + "/old", Code.PATCHED);
            assertEquals(List.of("order", "charge"), stepNames(old));

            // The listing: the old run on no patch, the new one on "fee".
            assertTrue(idsOn(List.of()).contains(old.id()));
            assertTrue(idsOn(List.of("fee")).contains(fresh.id()));
            assertTrue(!idsOn(List.of("fee")).contains(old.id()) && !idsOn(List.of()).contains(fresh.id()));
            asViewer().queryParam("function", FUNCTION).get("/errand/workflows/versions").then().statusCode(200)
                    .body("size()", equalTo(1)).body("[0].function", equalTo(FUNCTION))
                    .body("[0].versions.find { it.patches == [] }.oldestIds", hasItem(old.id()))
                    .body("[0].versions.find { it.patches == ['fee'] }.oldestIds", hasItem(fresh.id()));
        } finally {
            release();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> state(old) == CallStatus.State.SUCCEEDED
                && state(fresh) == CallStatus.State.SUCCEEDED);
        assertEquals("charged, shipped", calls.result(old, String.class).orElseThrow());
        assertEquals("charged with a fee, shipped", calls.result(fresh, String.class).orElseThrow());
        assertEquals(List.of("order", "charge", "await 1", "ship"), stepNames(old));
        assertEquals(List.of("order", "patch fee", "charge with fee", "await 1", "ship"), stepNames(fresh));
        assertEquals(1, functions.runs(deployment + "/old:charge"));
        assertEquals(0, functions.runs(deployment + "/old:charge with fee"));
        assertEquals(0, functions.runs(deployment + "/new:charge"));
        assertEquals(1, functions.runs(deployment + "/new:charge with fee"));
        // Finished runs are no longer listed: nothing is left on the old code.
        assertTrue(!idsOn(List.of()).contains(old.id()) && !idsOn(List.of("fee")).contains(fresh.id()));
    }

    @Test
    void anOldRunThatHadNotReachedTheChangeTakesTheNewCodeThere() {
        String deployment = "early-" + UUID.randomUUID();
        Call<String> early;
        hold();
        try {
            early = functions.versioned(deployment, "early", true);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(early) == CallStatus.State.WAITING);
            functions.deploy(deployment, Code.PATCHED);
            // Before the gate, it has recorded no patch: the listing cannot tell it from a run on the old code.
            assertTrue(idsOn(List.of()).contains(early.id()));
        } finally {
            release();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> state(early) == CallStatus.State.SUCCEEDED);
        assertEquals("charged with a fee, shipped", calls.result(early, String.class).orElseThrow());
        assertEquals(List.of("order", "await 1", "patch fee", "charge with fee", "ship"), stepNames(early));
        assertEquals(0, functions.runs(deployment + "/early:charge"));
    }

    @Test
    void aDeprecatedPatchStillReplaysForTheRunsThatTookItAndNewRunsRecordNone() {
        String deployment = "deprecated-" + UUID.randomUUID();
        functions.deploy(deployment, Code.PATCHED);
        Call<String> patched;
        Call<String> later;
        hold();
        try {
            patched = functions.versioned(deployment, "patched", false);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(patched) == CallStatus.State.WAITING);

            functions.deploy(deployment, Code.DEPRECATED);
            later = functions.versioned(deployment, "later", false);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(later) == CallStatus.State.WAITING);
            replayedUnder(patched, deployment + "/patched", Code.DEPRECATED);
            assertTrue(idsOn(List.of("fee")).contains(patched.id()));
            assertTrue(idsOn(List.of()).contains(later.id()));
        } finally {
            release();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> state(patched) == CallStatus.State.SUCCEEDED
                && state(later) == CallStatus.State.SUCCEEDED);
        assertEquals("charged with a fee, shipped", calls.result(patched, String.class).orElseThrow());
        assertEquals("charged with a fee, shipped", calls.result(later, String.class).orElseThrow());
        assertEquals(List.of("order", "patch fee", "charge with fee", "await 1", "ship"), stepNames(patched));
        assertEquals(List.of("order", "charge with fee", "await 1", "ship"), stepNames(later));
        assertEquals(1, functions.runs(deployment + "/patched:charge with fee"));
    }

    @Test
    void aChangeWithoutAGateIsStillRefusedForTheRunsInFlight() {
        String deployment = "ungated-" + UUID.randomUUID();
        Call<String> old;
        hold();
        try {
            old = functions.versioned(deployment, "old", false);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(old) == CallStatus.State.WAITING);
            functions.deploy(deployment, Code.UNGATED);
            // Its next run replays it under the new code, which charges otherwise at its step 2.
            nudge(old);
            await().atMost(Duration.ofSeconds(30)).until(() -> state(old) == CallStatus.State.FAILED);
        } finally {
            release();
        }
        String error = calls.status(old).orElseThrow().error();
        assertTrue(error.startsWith("permanent-failure"), error);
        assertTrue(error.contains("its step 2 was \"charge\" and is now \"charge with fee\""), error);
        assertEquals(1, functions.runs(deployment + "/old:charge"));
        assertEquals(0, functions.runs(deployment + "/old:charge with fee"));
        discardDeadLetter(old);
    }

    @Test
    void removingAGateWhileARunThatTookItIsInFlightIsRefusedAndTheFailedRunIsListedUntilItsLetterGoes() {
        String deployment = "removed-" + UUID.randomUUID();
        functions.deploy(deployment, Code.PATCHED);
        Call<String> patched;
        hold();
        try {
            patched = functions.versioned(deployment, "patched", false);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(patched) == CallStatus.State.WAITING);
            functions.deploy(deployment, Code.UNGATED);
            nudge(patched);
            await().atMost(Duration.ofSeconds(30)).until(() -> state(patched) == CallStatus.State.FAILED);
        } finally {
            release();
        }
        String error = calls.status(patched).orElseThrow().error();
        assertTrue(error.contains("its step 2 was \"patch fee\" and is now \"charge with fee\" (the run took a"
                + " patched() gate that the code no longer has"), error);
        // A replay of its dead letter would resume it on today's code: it is listed, as failed, on its patch.
        WorkflowVersions.Version fee = version(List.of("fee")).orElseThrow();
        assertTrue(fee.oldestIds().contains(patched.id()), fee.toString());
        assertTrue(fee.states().getOrDefault(CallStatus.State.FAILED, 0L) >= 1, fee.toString());

        discardDeadLetter(patched);
        assertTrue(!idsOn(List.of("fee")).contains(patched.id()), "a discarded letter's run can never run again");
    }

    @Test
    void theListingNamesEveryWorkflowOfTheServiceAndRefusesBadInputWithAProblem() {
        List<WorkflowVersions> all = calls.versions(null);
        List<String> names = all.stream().map(WorkflowVersions::function).toList();
        assertTrue(names.containsAll(List.of("test-versioned", "test-steps", "test-fan")), names.toString());
        assertTrue(!names.contains("test-square"), "a durable function that is no workflow has no versions");
        asViewer().get("/errand/workflows/versions").then().statusCode(200)
                .body("function", hasItem("test-steps"));

        asViewer().queryParam("function", " ").get("/errand/workflows/versions").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("/problems/invalid-parameter"));
        asViewer().queryParam("function", "no-such-workflow").get("/errand/workflows/versions").then()
                .statusCode(404).contentType("application/problem+json").body("type", equalTo("/problems/not-found"));
        asViewer().queryParam("function", "test-square").get("/errand/workflows/versions").then()
                .statusCode(404).contentType("application/problem+json");
        given().get("/errand/workflows/versions").then().statusCode(401);
    }

    /** Holds every {@code versioned} workflow at its wait: the child it waits for is not run meanwhile. */
    private static void hold() {
        asAdmin().post("/errand/consumers/{channel}/pause", HOLD).then().statusCode(200);
    }

    private static void release() {
        asAdmin().post("/errand/consumers/{channel}/resume", HOLD).then().statusCode(200);
    }

    /**
     * Waits until the workflow has run twice under {@code code}, so that its first replay under the new
     * code has ended, and checks that it ended by waiting again, not by failing.
     */
    /** Wakes a waiting workflow: it replays its code, and waits again for what it waited for. */
    private void nudge(Call<?> call) {
        signals.send(call.id(), "nudge", UUID.randomUUID().toString(), null);
    }

    private void replayedUnder(Call<?> call, String name, Code code) {
        nudge(call);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> functions.runs(name + ":run under " + code) >= 1 || state(call).finished());
        assertTrue(inFlight(call), calls.status(call).toString());
    }

    private List<String> idsOn(List<String> patches) {
        return version(patches).map(WorkflowVersions.Version::oldestIds).orElse(List.of());
    }

    private Optional<WorkflowVersions.Version> version(List<String> patches) {
        List<WorkflowVersions> versions = calls.versions(FUNCTION);
        assertEquals(1, versions.size(), versions.toString());
        return versions.get(0).versions().stream().filter(version -> version.patches().equals(patches)).findFirst();
    }

    @SuppressWarnings("unchecked")
    private List<String> stepNames(Call<?> call) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select name from errand_step where owner_id = ?1 and seq is not null order by seq")
                .setParameter(1, call.id()).getResultList());
    }

    private void discardDeadLetter(Call<?> call) {
        Number id = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "select d.id from errand_dead_letter d join errand_call c on d.message_id = coalesce(c.failed_by, c.id)"
                        + " where c.id = ?1 and d.status = 'DEAD_LETTERED'")
                .setParameter(1, call.id()).getSingleResult());
        asAdmin().delete("/errand/dead-letters/{id}", id.longValue()).then().statusCode(204);
    }

    /** Waiting, or replaying for a look at its child: neither failed nor finished. */
    private boolean inFlight(Call<?> call) {
        return !state(call).finished();
    }

    private CallStatus.State state(Call<?> call) {
        return calls.status(call).map(CallStatus::state).orElse(null);
    }
}
