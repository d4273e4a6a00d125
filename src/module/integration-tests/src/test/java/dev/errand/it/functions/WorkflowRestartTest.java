package dev.errand.it.functions;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.Signals;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Restarting failed workflows, one by one and in bulk, against the real broker and database. The orders'
 * third step, the charge, fails for good until the test deploys a fix ({@link RestartFunctions#fix}).
 */
@BothBrokers
@QuarkusTest
class WorkflowRestartTest {

    @Inject
    RestartFunctions functions;

    @Inject
    TestFunctions plainFunctions;

    @Inject
    DurableCalls calls;

    @Inject
    Signals signals;

    @Inject
    EntityManager em;

    @Test
    void aWorkflowRestartedFromItsFailedStepRunsOnlyThatStepAndTheOnesAfterAndSucceedsAsItsSecondAttempt() {
        String tag = tag();
        Call<String> order = failed(functions.order(tag));
        assertRuns(tag, 1, 1, 1, 0);

        functions.fix(tag);
        asAdmin().post("/errand/calls/{id}/restart", order.id()).then().statusCode(202)
                .body("attempt", equalTo(2)).body("fromSeq", equalTo(3)).body("fromStep", nullValue())
                .body("restartedBy", equalTo("admin"));

        awaitState(order, CallStatus.State.SUCCEEDED);
        // reserve and price replayed from their records; the charge and the ship ran (the charge again).
        assertRuns(tag, 1, 1, 2, 1);
        assertEquals("reserve 1,price 1,charge 2,ship 1", calls.result(order, String.class).orElseThrow());
        assertEquals(2, calls.status(order).orElseThrow().attempt());

        JsonPath attempts = asViewer().get("/errand/calls/{id}/attempts", order.id()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(1, 2), attempts.getList("attempt"));
        assertTrue(attempts.getString("[0].error").contains("the card was declined (charge 1)"),
                attempts.getString("[0].error"));
        assertEquals("admin", attempts.getString("[1].restartedBy"));
        assertEquals(3, attempts.getInt("[1].fromSeq"));
        assertEquals(null, attempts.getString("[1].error"));

        // Its dead letter is resolved with the restart: replaying it now would run the workflow on top.
        long letter = deadLetterOf(order);
        asViewer().get("/errand/dead-letters/{id}", letter).then().body("status", equalTo("REPLAYED"));
        asAdmin().post("/errand/dead-letters/{id}/replay", letter).then().statusCode(409);
    }

    @Test
    void aWorkflowRestartedFromANamedEarlierStepRunsThatStepAndEveryOneAfterItAgain() {
        String tag = tag();
        Call<String> order = failed(functions.order(tag));

        functions.fix(tag);
        asAdmin().queryParam("fromStep", "price").post("/errand/calls/{id}/restart", order.id()).then()
                .statusCode(202).body("attempt", equalTo(2)).body("fromSeq", equalTo(2))
                .body("fromStep", equalTo("price"));

        awaitState(order, CallStatus.State.SUCCEEDED);
        assertRuns(tag, 1, 2, 2, 1);
        assertEquals("reserve 1,price 2,charge 2,ship 1", calls.result(order, String.class).orElseThrow());
        asViewer().get("/errand/calls/{id}/attempts", order.id()).then().body("[1].fromStep", equalTo("price"));
    }

    @Test
    void aRestartedRunThatFailsAgainIsFailedAgainAndCanBeRestartedOnceMore() {
        String tag = tag();
        Call<String> order = failed(functions.order(tag));

        // Restarted before the fix: the charge fails again, as attempt 2.
        asAdmin().post("/errand/calls/{id}/restart", order.id()).then().statusCode(202).body("attempt", equalTo(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag, "charge") == 2
                && calls.status(order).map(CallStatus::state).orElse(null) == CallStatus.State.FAILED);

        functions.fix(tag);
        asAdmin().post("/errand/calls/{id}/restart", order.id()).then().statusCode(202).body("attempt", equalTo(3));

        awaitState(order, CallStatus.State.SUCCEEDED);
        assertRuns(tag, 1, 1, 3, 1);
        assertEquals(3, calls.status(order).orElseThrow().attempt());
        JsonPath attempts = asViewer().get("/errand/calls/{id}/attempts", order.id()).then().extract().jsonPath();
        assertEquals(List.of(1, 2, 3), attempts.getList("attempt"));
        assertTrue(attempts.getString("[1].error").contains("the card was declined (charge 2)"), attempts.getString("[1].error"));
    }

    @Test
    void aRestartFromBeforeItsChildrenKeepsThemRecordedUnderTheirIdsAndStartsNoneAgain() {
        String tag = tag();
        Call<String> order = failed(functions.orderWithParcels(tag));
        assertEquals(1, functions.runs(tag + ":1", "parcel"));
        assertEquals(1, functions.runs(tag + ":2", "parcel"));

        functions.fix(tag);
        asAdmin().queryParam("fromStep", "plan").post("/errand/calls/{id}/restart", order.id()).then()
                .statusCode(202).body("fromSeq", equalTo(1));

        awaitState(order, CallStatus.State.SUCCEEDED);
        assertEquals(2, functions.runs(tag, "plan"));
        assertEquals(2, functions.runs(tag, "charge"));
        // The replay numbered its children as the first run did, found both recorded, and started neither again.
        assertEquals(1, functions.runs(tag + ":1", "parcel"));
        assertEquals(1, functions.runs(tag + ":2", "parcel"));
        assertEquals(List.of(order.id() + "/1", order.id() + "/2"),
                calls.workflows(order.id(), null, 10).stream().map(CallStatus::id).sorted().toList());
        assertEquals("parcel " + tag + ":1+parcel " + tag + ":2", calls.result(order, String.class).orElseThrow());
    }

    @Test
    void aRestartFromBeforeASignalWaitGivesTheSignalBackAndTheWaitTakesItAgainAtOnce() {
        String tag = tag();
        Call<String> order = functions.orderWithApproval(tag);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(order)
                .filter(s -> s.state() == CallStatus.State.WAITING && "await signal approval".equals(s.currentStep()))
                .isPresent());
        assertTrue(signals.send(order.id(), "approval", "approval-1", "ada"));
        failed(order);

        functions.fix(tag);
        asAdmin().queryParam("fromStep", "await signal approval").post("/errand/calls/{id}/restart", order.id())
                .then().statusCode(202).body("fromSeq", equalTo(2));

        // The wait's timeout is an hour away: only the signal given back ends it this soon.
        awaitState(order, CallStatus.State.SUCCEEDED);
        assertEquals("approved by ada", calls.result(order, String.class).orElseThrow());
        assertEquals(1, functions.runs(tag, "reserve"));
        assertEquals(2, functions.runs(tag, "charge"));
    }

    @Test
    void aBulkRestartCountsInADryRunAndThenRestartsOnlyTheRunsThatFailedInItsRange() {
        List<String> tags = List.of(tag(), tag(), tag(), tag());
        // One after the other, so that their failure times are in this order.
        List<Call<String>> orders = tags.stream().map(tag -> failed(functions.bulkOrder(tag))).toList();
        Instant from = finishedAt(orders.get(0)).plus(1, ChronoUnit.MICROS);
        Instant to = finishedAt(orders.get(2)).plus(1, ChronoUnit.MICROS);
        // The range holds the second and the third: from just after the first's failure to just after the third's.

        asAdmin().queryParam("function", "test-order-bulk").queryParam("failedFrom", from.toString())
                .queryParam("failedTo", to.toString()).queryParam("dryRun", "true")
                .post("/errand/workflows/restart").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("matched", equalTo(2)).body("restarted", equalTo(0));
        for (Call<String> order : orders) {
            CallStatus status = calls.status(order).orElseThrow();
            assertEquals(CallStatus.State.FAILED, status.state(), "a dry run changes nothing");
            assertEquals(1, status.attempt());
        }

        tags.forEach(functions::fix);
        asAdmin().queryParam("function", "test-order-bulk").queryParam("failedFrom", from.toString())
                .queryParam("failedTo", to.toString()).post("/errand/workflows/restart").then().statusCode(202)
                .body("dryRun", equalTo(false)).body("matched", equalTo(2)).body("restarted", equalTo(2));

        awaitState(orders.get(1), CallStatus.State.SUCCEEDED);
        awaitState(orders.get(2), CallStatus.State.SUCCEEDED);
        assertEquals(2, calls.status(orders.get(1)).orElseThrow().attempt());
        assertEquals(2, calls.status(orders.get(2)).orElseThrow().attempt());
        for (Call<String> outside : List.of(orders.get(0), orders.get(3))) {
            CallStatus status = calls.status(outside).orElseThrow();
            assertEquals(CallStatus.State.FAILED, status.state(), "failed outside the range: " + outside.id());
            assertEquals(1, status.attempt());
        }
        assertEquals(1, functions.runs(tags.get(0), "charge"));
        assertEquals(2, functions.runs(tags.get(1), "charge"));
        assertEquals(2, functions.runs(tags.get(2), "charge"));
        assertEquals(1, functions.runs(tags.get(3), "charge"));
    }

    @Test
    void badRestartsAreRefusedWithAProblemAndChangeNothing() {
        String tag = tag();
        Call<String> order = failed(functions.order(tag));
        Call<TestFunctions.Square> square = plainFunctions.square(-7_000 - (int) (Math.random() * 1000));
        awaitState(square, CallStatus.State.FAILED);
        String fixedTag = tag();
        functions.fix(fixedTag);
        Call<String> succeeded = functions.order(fixedTag);
        awaitState(succeeded, CallStatus.State.SUCCEEDED);

        asViewer().post("/errand/calls/{id}/restart", order.id()).then().statusCode(403);
        problem(asAdmin().post("/errand/calls/{id}/restart", "no-such-workflow").then().statusCode(404));
        problem(asAdmin().post("/errand/calls/{id}/restart", square.id()).then().statusCode(404));
        problem(asAdmin().post("/errand/calls/{id}/restart", succeeded.id()).then().statusCode(409));
        problem(asAdmin().queryParam("fromStep", "charge").post("/errand/calls/{id}/restart", order.id()).then()
                .statusCode(400)).body("detail", containsString("[reserve, price]"));
        problem(asAdmin().queryParam("fromStep", " ").post("/errand/calls/{id}/restart", order.id()).then()
                .statusCode(400));
        problem(asViewer().get("/errand/calls/{id}/attempts", "no-such-workflow").then().statusCode(404));

        String now = Instant.now().toString();
        String hourAgo = Instant.now().minus(1, ChronoUnit.HOURS).toString();
        problem(bulk(null, hourAgo, now, null).statusCode(400));
        problem(bulk("no-such-workflow", hourAgo, now, null).statusCode(400));
        problem(bulk("test-square", hourAgo, now, null).statusCode(400));
        problem(bulk("test-order", "yesterday", now, null).statusCode(400));
        problem(bulk("test-order", hourAgo, null, null).statusCode(400));
        problem(bulk("test-order", now, hourAgo, null).statusCode(400));
        problem(bulk("test-order", hourAgo, now, "maybe").statusCode(400));

        CallStatus status = calls.status(order).orElseThrow();
        assertEquals(CallStatus.State.FAILED, status.state());
        assertEquals(1, status.attempt());
        assertEquals(2L, QuarkusTransaction.requiringNew().call(() -> Rows.count(em,
                "select count(*) from errand_step where owner_id = ?1 and seq is not null", order.id())));
        asViewer().get("/errand/dead-letters/{id}", deadLetterOf(order)).then().body("status", equalTo("DEAD_LETTERED"));
        assertRuns(tag, 1, 1, 1, 0);
    }

    private static io.restassured.response.ValidatableResponse bulk(String function, String from, String to,
            String dryRun) {
        var request = asAdmin();
        if (function != null) {
            request.queryParam("function", function);
        }
        if (from != null) {
            request.queryParam("failedFrom", from);
        }
        if (to != null) {
            request.queryParam("failedTo", to);
        }
        if (dryRun != null) {
            request.queryParam("dryRun", dryRun);
        }
        return request.post("/errand/workflows/restart").then();
    }

    private static io.restassured.response.ValidatableResponse problem(io.restassured.response.ValidatableResponse response) {
        return response.contentType("application/problem+json");
    }

    private void assertRuns(String tag, int reserve, int price, int charge, int ship) {
        assertEquals(List.of(reserve, price, charge, ship), List.of(functions.runs(tag, "reserve"),
                functions.runs(tag, "price"), functions.runs(tag, "charge"), functions.runs(tag, "ship")),
                "runs of reserve, price, charge, ship");
    }

    private <T> Call<T> failed(Call<T> call) {
        awaitState(call, CallStatus.State.FAILED);
        return call;
    }

    private Instant finishedAt(Call<?> call) {
        return calls.status(call).orElseThrow().finishedAt();
    }

    private long deadLetterOf(Call<?> call) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select id from errand_dead_letter where message_id = ?1").setParameter(1, call.id())
                .getSingleResult()).longValue());
    }

    private void awaitState(Call<?> call, CallStatus.State state) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> calls.status(call).map(CallStatus::state).orElse(null) == state);
    }

    private static String tag() {
        return "r-" + UUID.randomUUID();
    }
}
