package dev.errand.it.functions;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.Signals;
import dev.errand.WorkflowRestarts;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Cancelling durable calls, against the real broker and database. */
@BothBrokers
@QuarkusTest
class CancellationTest {

    private static final String CHILDREN = "errand-functions-test-cancel-child";

    @Inject
    CancelFunctions functions;

    @Inject
    DurableCalls calls;

    @Inject
    EntityManager em;

    @Inject
    Signals signals;

    @Inject
    WorkflowRestarts restarts;

    @Test
    void cancellingAWorkflowReachesItsThousandChildrenAndNoneOfThoseNotStartedEverRuns() {
        String tag = "c-" + UUID.randomUUID();
        asAdmin().post("/errand/consumers/{channel}/pause", CHILDREN).then().statusCode(200);
        Call<String> call;
        try {
            call = functions.parent(tag, 1000);
            awaitState(call, CallStatus.State.WAITING);

            asAdmin().post("/errand/calls/{id}/cancel", call.id()).then().statusCode(200)
                    .body("outcome", equalTo("CANCELLED")).body("cancelled", equalTo(1001));
        } finally {
            asAdmin().post("/errand/consumers/{channel}/resume", CHILDREN).then().statusCode(200);
        }

        // The compensation runs once, from the cancellation's own timer; the work after the wait never.
        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag + ":undo") == 1);
        CallStatus parent = calls.status(call).orElseThrow();
        assertEquals(CallStatus.State.CANCELLED, parent.state());
        assertEquals("cancelled by admin", parent.error());
        assertEquals(1000, parent.children().stopped());
        // Every child's message is delivered and settled without running its body.
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.count(em,
                "select count(*) from errand_processed_message where consumer = ?1 and message_id like ?2", CHILDREN,
                call.id() + "/%") == 1000);
        assertEquals(0, functions.runs(tag + ":child"), "no child that had not started ran");
        assertEquals(0, functions.runs(tag + ":after"));
        assertEquals(1, functions.runs(tag + ":before"));
        assertEquals(1, functions.runs(tag + ":undo"));
    }

    @Test
    void aWorkflowWaitingForASignalStopsWhenCancelledAndRunsItsCompensationOnce() {
        String tag = "s-" + UUID.randomUUID();
        Call<String> call = functions.parent(tag, 0);
        awaitState(call, CallStatus.State.WAITING);

        assertEquals(DurableCalls.Cancellation.Outcome.CANCELLED, calls.cancel(call.id(), "ops").outcome());

        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag + ":undo") == 1);
        CallStatus status = calls.status(call).orElseThrow();
        assertEquals(CallStatus.State.CANCELLED, status.state());
        assertEquals("cancelled by ops", status.error());
        assertEquals(0, functions.runs(tag + ":after"));
        // A second cancel finds it finished and changes nothing.
        assertEquals(DurableCalls.Cancellation.Outcome.FINISHED, calls.cancel(call.id(), "ops").outcome());
    }

    @Test
    void aWorkflowPastItsDeadlineTimesOutAndRunsItsCompensation() {
        String tag = "d-" + UUID.randomUUID();
        // It waits an hour for a signal; its deadline is in 3 s. Counted from before the start: the deadline
        // is taken when the call is made, its created_at a little later, when the row is written.
        Instant started = Instant.now();
        Call<String> call = calls.startWithin(Duration.ofSeconds(3), () -> functions.parent(tag, 0));
        awaitState(call, CallStatus.State.WAITING);

        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag + ":undo") == 1);
        CallStatus status = calls.status(call).orElseThrow();
        assertEquals(CallStatus.State.TIMED_OUT, status.state());
        assertEquals("timed out", status.error());
        assertTrue(Duration.between(started, status.finishedAt()).compareTo(Duration.ofSeconds(3)) >= 0,
                () -> "ended " + Duration.between(started, status.finishedAt()) + " after the start");
        assertEquals(0, functions.runs(tag + ":after"));
    }

    @Test
    void aTimeoutOnTheAnnotationEndsEachCallAsADeadlineDoesAndAStartWithinCannotExtendIt() {
        String tag = "a-" + UUID.randomUUID();
        // No deadline at the call: the annotation's 3 s.
        Instant started = Instant.now();
        Call<String> call = functions.timedParent(tag, 0);
        awaitState(call, CallStatus.State.WAITING);
        // A longer one at the call: still the annotation's.
        Call<String> longer = calls.startWithin(Duration.ofHours(1), () -> functions.timedParent(tag + "-l", 0));
        assertEquals(1L, Rows.count(em, "select count(*) from errand_call where id = ?1"
                + " and deadline <= created_at + interval '4 seconds'", longer.id()));

        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag + ":undo") == 1);
        CallStatus status = calls.status(call).orElseThrow();
        assertEquals(CallStatus.State.TIMED_OUT, status.state());
        assertTrue(Duration.between(started, status.finishedAt()).compareTo(Duration.ofSeconds(3)) >= 0,
                () -> "ended " + Duration.between(started, status.finishedAt()) + " after the start");
        assertEquals(0, functions.runs(tag + ":after"));
        awaitState(longer, CallStatus.State.TIMED_OUT);
    }

    @Test
    void aDeadlineOnAParentStopsItsChildren() {
        String tag = "p-" + UUID.randomUUID();
        asAdmin().post("/errand/consumers/{channel}/pause", CHILDREN).then().statusCode(200);
        Call<String> call;
        try {
            call = calls.startWithin(Duration.ofSeconds(3), () -> functions.parent(tag, 50));
            awaitState(call, CallStatus.State.WAITING);
            // The children have their parent's deadline.
            assertEquals(50L, Rows.count(em, "select count(*) from errand_call c join errand_call p on p.id = c.parent_id"
                    + " where p.id = ?1 and c.deadline = p.deadline", call.id()));
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(call).orElseThrow().state()
                    == CallStatus.State.TIMED_OUT);
        } finally {
            asAdmin().post("/errand/consumers/{channel}/resume", CHILDREN).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.count(em,
                "select count(*) from errand_processed_message where consumer = ?1 and message_id like ?2", CHILDREN,
                call.id() + "/%") == 50);
        assertEquals(50, calls.status(call).orElseThrow().children().stopped());
        assertEquals(0, functions.runs(tag + ":child"), "no child ran past its parent's deadline");
        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag + ":undo") == 1);
    }

    @Test
    void aCancelledWorkflowRestartsFromWhereItWasStoppedWithItsCompensationForgotten() {
        String tag = "r-" + UUID.randomUUID();
        Call<String> call = calls.startWithin(Duration.ofHours(1), () -> functions.parent(tag, 0));
        awaitState(call, CallStatus.State.WAITING);
        calls.cancel(call.id(), "ops");
        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag + ":undo") == 1);

        asAdmin().post("/errand/calls/{id}/restart", call.id()).then().statusCode(202).body("attempt", equalTo(2));
        // It waits again where the cancellation found it, its first step replayed, its deadline gone.
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(call)
                .filter(s -> s.state() == CallStatus.State.WAITING && s.attempt() == 2).isPresent());
        assertEquals(1L, Rows.count(em, "select count(*) from errand_call where id = ?1 and deadline is null"
                + " and cancelled_by is null", call.id()));
        assertTrue(signals.send(call.id(), "never", "now", "go"));

        awaitState(call, CallStatus.State.SUCCEEDED);
        assertEquals(1, functions.runs(tag + ":before"));
        assertEquals(1, functions.runs(tag + ":after"));
        assertEquals(1, functions.runs(tag + ":undo"), "the compensation ran once, for the cancellation");
        assertEquals(List.of(1, 2), restarts.attempts(call.id()).stream().map(WorkflowRestarts.Attempt::attempt).toList());
    }

    @Test
    void aStepInFlightWhenTheWorkflowIsCancelledIsRecordedAndARestartDoesNotRunItAgain() {
        String tag = "s-" + UUID.randomUUID();
        Call<String> call = functions.slow(tag);
        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag + ":slow-started") == 1);
        calls.cancel(call.id(), "ops");
        functions.release(tag);
        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(tag + ":undo") == 1);

        asAdmin().post("/errand/calls/{id}/restart", call.id()).then().statusCode(202);

        awaitState(call, CallStatus.State.SUCCEEDED);
        // The step that finished after the cancellation replays; only the compensation was forgotten.
        assertEquals(1, functions.runs(tag + ":slow"));
        assertEquals(1, functions.runs(tag + ":after"));
        assertEquals(1, functions.runs(tag + ":undo"));
    }

    @Test
    void aFailedCallUnderACancelledOneIsCancelledTooAndItsDeadLettersReplayRunsNothing() {
        String tag = "f-" + UUID.randomUUID();
        Call<String> call = functions.parentOfAFailure(tag);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(call)
                .filter(s -> s.state() == CallStatus.State.WAITING && "await signal never".equals(s.currentStep()))
                .isPresent());
        String child = call.id() + "/1";
        assertEquals(CallStatus.State.FAILED, calls.status(child).orElseThrow().state());

        calls.cancel(call.id(), "ops");
        CallStatus cancelled = calls.status(child).orElseThrow();
        assertEquals(CallStatus.State.CANCELLED, cancelled.state());
        assertTrue(cancelled.error().contains("this child always fails"), "its own error stays: " + cancelled.error());
        long letter = ((Number) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from errand_dead_letter where message_id = ?1").setParameter(1, child).getSingleResult()))
                .longValue();
        assertEquals(0L, Rows.count(em, "select count(*) from errand_processed_message where message_id = ?1", child),
                "a dead-lettered message is not marked processed");
        asAdmin().post("/errand/dead-letters/{id}/replay", letter).then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(em,
                "select count(*) from errand_processed_message where message_id = ?1", child) == 1);
        assertEquals(1, functions.runs(tag + ":failing-child"), "the replay ran nothing");
        assertEquals(CallStatus.State.CANCELLED, calls.status(child).orElseThrow().state());
    }

    @Test
    void cancelOverHttpIsForAdminsAndAnUnknownOrFinishedCallGetsAProblem() {
        String tag = "h-" + UUID.randomUUID();
        Call<String> call = functions.parent(tag, 0);
        awaitState(call, CallStatus.State.WAITING);

        asViewer().post("/errand/calls/{id}/cancel", call.id()).then().statusCode(403);
        assertEquals(CallStatus.State.WAITING, calls.status(call).orElseThrow().state());
        asAdmin().post("/errand/calls/{id}/cancel", "no-such-call").then().statusCode(404)
                .contentType("application/problem+json");

        asAdmin().post("/errand/calls/{id}/cancel", call.id()).then().statusCode(200);
        asAdmin().post("/errand/calls/{id}/cancel", call.id()).then().statusCode(409)
                .contentType("application/problem+json");
    }

    private void awaitState(Call<?> call, CallStatus.State state) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> calls.status(call).map(CallStatus::state).orElse(null) == state);
    }
}
