package dev.errand.it.functions;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.CallStep;
import dev.errand.DurableCalls;
import dev.errand.internal.functions.FunctionSpec;
import dev.errand.it.functions.TestFunctions;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Python;
import dev.errand.testing.Repository;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;

/** Durable functions and workflows, against the real broker and database. */
@BothBrokers
@QuarkusTest
class DurableFunctionsTest {

    @Inject
    TestFunctions functions;

    @Inject
    DurableCalls calls;

    @Inject
    EntityManager em;

    @ConfigProperty(name = "amqp-host")
    String host;

    @ConfigProperty(name = "amqp-port")
    int port;

    @Test
    void callingADurableFunctionRecordsTheCallAndAWorkerRunsItOnceWithItsResultReadBack() {
        int n = 1000 + (int) (Math.random() * 1000);
        Call<TestFunctions.Square> call = QuarkusTransaction.requiringNew().call(() -> {
            Call<TestFunctions.Square> started = functions.square(n);
            // Recorded, not run: nothing can run before this transaction commits.
            assertEquals(0, functions.runs("square:" + n));
            return started;
        });
        assertNotNull(call.id());

        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.SUCCEEDED);
        assertEquals(new TestFunctions.Square(n, (long) n * n), calls.result(call, TestFunctions.Square.class).orElseThrow());
        assertEquals(1, functions.runs("square:" + n));
        asViewer().get("/errand/calls/{id}", call.id()).then().statusCode(200)
                .body("state", equalTo("SUCCEEDED")).body("function", equalTo("test-square"));
    }

    @Test
    void anOutsideMessageForACallTheServiceRecordedChangesNothing() {
        // Recorded while its consumer is paused: both messages for the id wait on the queue, in either order.
        String channel = "errand-functions-test-square";
        asAdmin().post("/errand/consumers/{channel}/pause", channel).then().statusCode(200);
        int n = 4000 + (int) (Math.random() * 1000);
        int forged = n + 1_000_000;
        Call<TestFunctions.Square> call;
        try {
            call = functions.square(n);
            try (AnySender sender = new AnySender()) {
                sender.send("errand.functions.test-square", outsideCall(call.id(), "[" + forged + "]"));
            }
        } finally {
            asAdmin().post("/errand/consumers/{channel}/resume", channel).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.SUCCEEDED);
        assertEquals(new TestFunctions.Square(n, (long) n * n), calls.result(call, TestFunctions.Square.class).orElseThrow());
        assertEquals(0, functions.runs("square:" + forged), "the outside arguments never ran");
        assertEquals(1, functions.runs("square:" + n));
    }

    @Test
    void anOutsideStartMayNotTakeAnIdReservedForTheServicesOwnCalls() {
        String child = "someone-" + UUID.randomUUID() + "/1";
        try (AnySender sender = new AnySender()) {
            sender.send("errand.functions.test-square", outsideCall(child, "[5005]"));
        }
        // Dead-lettered with its reason, and no row at all: a failed row under a child's id would stand for
        // a child its parent has yet to record, which would then never run.
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() -> Rows.count(em,
                "select count(*) from errand_dead_letter where message_id = ?1 and origin = 'outside'", child)) == 1);
        String error = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select error_message from errand_dead_letter where message_id = ?1").setParameter(1, child)
                .getSingleResult());
        assertTrue(error.contains("reserved for the service's own calls"), error);
        assertTrue(calls.status(child).isEmpty(), "no call row under a reserved id");
        assertEquals(0, functions.runs("square:5005"));
    }

    private static io.vertx.amqp.AmqpMessage outsideCall(String id, String arguments) {
        return io.vertx.amqp.AmqpMessage.create().id(id).durable(true).contentType(dev.errand.WireContract.SENT_CONTENT_TYPE)
                .withBody("{\"arguments\":" + arguments + "}").build();
    }

    @Test
    void aDurableCallMadeInATransactionThatRollsBackIsNeverRun() {
        int n = 3000 + (int) (Math.random() * 1000);
        AtomicReference<String> started = new AtomicReference<>();
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            started.set(functions.square(n).id());
            throw new IllegalStateException("the caller fails after the call");
        }));
        String id = started.get();
        // A call made after it, in a transaction that commits, runs; the rolled-back one left nothing behind.
        Call<TestFunctions.Square> after = functions.square(n + 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(after) == CallStatus.State.SUCCEEDED);
        assertTrue(calls.status(id).isEmpty(), "no row for the rolled-back call");
        assertEquals(0L, QuarkusTransaction.requiringNew()
                .call(() -> Rows.count(em, "select count(*) from errand_outbox where message_id = ?1", id)));
        assertEquals(0, functions.runs("square:" + n));
    }

    @Test
    void aFailingCallIsDeadLetteredWithItsReasonAndMarkedFailed() {
        Call<TestFunctions.Square> call = functions.square(-7);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.FAILED);
        CallStatus status = calls.status(call).orElseThrow();
        assertTrue(status.error().contains("no square for a negative number: -7"), status.error());
        assertEquals(1, functions.runs("square:-7"));
    }

    @Test
    void aCallWhoseArgumentsDoNotFitTheFunctionIsDeadLetteredNamingTheArgument() {
        String id = "bad-argument-" + UUID.randomUUID();
        try (AnySender sender = new AnySender()) {
            sender.send(FunctionSpec.QUEUE_PREFIX + "test-square", AmqpMessage.create().id(id)
                    .withBody("{\"arguments\": [\"twelve\"]}").contentType("application/json").durable(true).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(id)
                .filter(status -> status.state() == CallStatus.State.FAILED).isPresent());
        String error = calls.status(id).orElseThrow().error();
        assertTrue(error.contains("argument 1 of function test-square is not a int"), error);
    }

    @Test
    void aWorkflowResumesAtItsFirstUnfinishedStepAndNeverRunsAFinishedStepAgain() {
        String name = "crash-" + UUID.randomUUID();
        Call<String> call = functions.steps(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.SUCCEEDED);
        assertEquals("ABC", calls.result(call, String.class).orElseThrow());
        // Step c's first run died after a and b were recorded; the next run started at c.
        assertEquals(1, functions.runs(name + ":a"));
        assertEquals(1, functions.runs(name + ":b"));
        assertEquals(2, functions.runs(name + ":c"));
        assertEquals("c", calls.status(call).orElseThrow().currentStep());
    }

    @Test
    void aCallsStepsShowTheirStartEndAttemptsAndDurationAStepThatFailedOnceCountingTwoAttempts() {
        String name = "crash-" + UUID.randomUUID();
        Call<String> call = functions.steps(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.SUCCEEDED);

        var body = asViewer().get("/errand/calls/{id}", call.id()).then().statusCode(200)
                .body("state", equalTo("SUCCEEDED"))
                .body("steps.name", equalTo(List.of("a", "b", "c")))
                .body("steps.attempts", equalTo(List.of(1, 1, 2)))
                .extract().jsonPath();
        for (int i = 0; i < 3; i++) {
            Instant started = Instant.parse(body.getString("steps[" + i + "].startedAt"));
            Instant finished = Instant.parse(body.getString("steps[" + i + "].finishedAt"));
            assertEquals(Duration.between(started, finished).toMillis(), body.getLong("steps[" + i + "].durationMillis"));
            assertTrue(!started.isAfter(finished), body.prettify());
        }
        // Step c's duration runs from its first attempt, so it spans the failed one and the wait for a retry.
        Instant cStarted = Instant.parse(body.getString("steps[2].startedAt"));
        Instant bFinished = Instant.parse(body.getString("steps[1].finishedAt"));
        assertTrue(!cStarted.isBefore(bFinished), body.prettify());
        assertEquals(List.of(1, 1, 2), calls.steps(call.id()).stream().map(CallStep::attempts).toList());
    }

    @Test
    void aStepThatKeepsFailingShowsItsAttemptsAndLastErrorThenItsTotalOnceItWorks() {
        String name = "declined-" + UUID.randomUUID();
        functions.decline(name);
        Call<String> call = functions.stubborn(name);

        await().atMost(Duration.ofSeconds(30)).until(() -> functions.runs(name + ":charge") >= 3);
        var failing = asViewer().get("/errand/calls/{id}", call.id()).then().statusCode(200)
                .body("steps.name", equalTo(List.of("reserve", "charge")))
                .body("steps[1].finishedAt", equalTo(null))
                .body("steps[1].lastError", equalTo("IllegalStateException: card declined for " + name))
                .extract().jsonPath();
        int failedSoFar = failing.getInt("steps[1].attempts");
        assertTrue(failedSoFar >= 2, failing.prettify());

        functions.accept(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.SUCCEEDED);
        // Every run of the charge is one attempt: those that threw, and the one that worked.
        int runs = functions.runs(name + ":charge");
        asViewer().get("/errand/calls/{id}", call.id()).then().statusCode(200)
                .body("steps.attempts", equalTo(List.of(1, runs)))
                .body("steps[1].lastError", equalTo(null))
                .body("steps[1].startedAt", equalTo(failing.getString("steps[1].startedAt")));
    }

    @Test
    void aDurableSleepEndsTheRunAndTheWorkflowGoesOnAfterIt() {
        String name = "nap-" + UUID.randomUUID();
        Call<String> call = functions.sleeper(name, 3_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(call) == CallStatus.State.WAITING);
        assertEquals("sleep PT3S", calls.status(call).orElseThrow().currentStep());
        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.SUCCEEDED);
        assertEquals(name + " woke", calls.result(call, String.class).orElseThrow());
        assertEquals(1, functions.runs(name + ":before"));
        assertEquals(1, functions.runs(name + ":after"));
        CallStatus done = calls.status(call).orElseThrow();
        assertTrue(Duration.between(done.createdAt(), done.finishedAt()).toMillis() >= 3_000, done.toString());
    }

    @Test
    void workflowsThatWaitInOneBatchEachCommitTheirWaitAndComeBackToFinish() {
        String channel = "errand-functions-test-batch-sleeper";
        // Started while their consumer is paused, so that one worker takes them all as a batch.
        asAdmin().post("/errand/consumers/{channel}/pause", channel).then().statusCode(200);
        List<String> names = IntStream.range(0, 5).mapToObj(i -> "batch-nap-" + i + "-" + UUID.randomUUID()).toList();
        List<Call<String>> started;
        try {
            started = names.stream().map(name -> functions.batchSleeper(name, 2_000)).toList();
        } finally {
            asAdmin().post("/errand/consumers/{channel}/resume", channel).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> started.stream().allMatch(call -> state(call) == CallStatus.State.SUCCEEDED));
        for (int i = 0; i < names.size(); i++) {
            Call<String> call = started.get(i);
            // Its marker was not committed with its wait, or it would never have come back to finish.
            assertEquals(names.get(i) + " woke", calls.result(call, String.class).orElseThrow());
            assertEquals(1, functions.runs(names.get(i) + ":before"));
            assertEquals(1, functions.runs(names.get(i) + ":after"));
            CallStatus done = calls.status(call).orElseThrow();
            assertTrue(Duration.between(done.createdAt(), done.finishedAt()).toMillis() >= 2_000, done.toString());
        }
    }

    @Test
    void aWorkflowThatCatchesEverythingAroundItsSleepStillWaitsAndFinishesAfterIt() {
        String name = "swallow-" + UUID.randomUUID();
        Call<String> call = functions.swallowingSleeper(name, 3_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(call) == CallStatus.State.WAITING);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.SUCCEEDED);
        // Its catch ran, but the run had already ended: what the body returned from it is no result.
        assertEquals(name + " woke", calls.result(call, String.class).orElseThrow());
        assertEquals(1, functions.runs(name + ":caught"));
        assertEquals(1, functions.runs(name + ":before"), "the step recorded before the wait is kept");
        assertEquals(1, functions.runs(name + ":after"));
        CallStatus done = calls.status(call).orElseThrow();
        assertTrue(Duration.between(done.createdAt(), done.finishedAt()).toMillis() >= 3_000, done.toString());
    }

    @Test
    void aWorkflowThatTurnsItsWaitIntoAFailureStillWaitsAndNoAttemptIsCountedOrRetried() {
        String name = "wrap-" + UUID.randomUUID();
        Call<String> call = functions.failingSleeper(name, 3_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.SUCCEEDED);
        assertEquals(name + " woke", calls.result(call, String.class).orElseThrow());
        // Its failure was never seen as one: no retry ran the body again while it slept (a retry would
        // sleep again, be caught again and fail again), and nothing was dead-lettered.
        assertEquals(1, functions.runs(name + ":caught"));
        assertEquals(1, functions.runs(name + ":before"));
        assertEquals(1, functions.runs(name + ":after"));
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> Rows.count(em,
                "select count(*) from errand_dead_letter where message_id = ?1", call.id())));
        CallStatus done = calls.status(call).orElseThrow();
        assertTrue(Duration.between(done.createdAt(), done.finishedAt()).toMillis() >= 3_000, done.toString());
    }

    @Test
    void aWorkflowWhoseCodeChangedUnderItFailsNamingTheStepInsteadOfReplayingTheWrongResult() {
        String name = "fickle-" + UUID.randomUUID();
        Call<String> call = functions.fickle(name);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(call) == CallStatus.State.WAITING);
        functions.rename(name);

        await().atMost(Duration.ofSeconds(30)).until(() -> state(call) == CallStatus.State.FAILED);
        String error = calls.status(call).orElseThrow().error();
        assertTrue(error.contains("changed while it ran: its step 1 was \"original\" and is now \"renamed\""), error);
        assertTrue(error.startsWith("permanent-failure"), error);
    }

    @Test
    void aWorkflowFansOutToAThousandChildrenAndSummarisesThemWithTheFailedOnesCounted() {
        Call<TestFunctions.Summary> call = functions.fan(1000, 50);
        await().atMost(Duration.ofSeconds(180)).until(() -> state(call) == CallStatus.State.SUCCEEDED);

        long sum = IntStream.rangeClosed(1, 1000).filter(i -> i % 50 != 0).mapToLong(i -> (long) i * i).sum();
        assertEquals(new TestFunctions.Summary(980, 20, sum),
                calls.result(call, TestFunctions.Summary.class).orElseThrow());
        assertEquals(1, functions.runs("fan-summary:" + call.id()));
        // Its start, then the wake-up its last child wrote; the 30 s poll is only a safety net. Without the
        // wake-up (errand.workflows.fan-in-wake-up=false) it waits for the poll.
        assertTrue(functions.runs("fan-body:" + call.id()) <= 3,
                "the parent ran " + functions.runs("fan-body:" + call.id()) + " times");
        CallStatus parent = calls.status(call).orElseThrow();
        java.time.Instant lastChild = QuarkusTransaction.requiringNew().call(() -> (java.time.Instant) em
                .createNativeQuery("select max(finished_at) from errand_call where parent_id = ?1")
                .setParameter(1, call.id()).getSingleResult());
        assertTrue(Duration.between(lastChild, parent.finishedAt()).compareTo(Duration.ofSeconds(10)) < 0,
                "the last child woke its parent: " + Duration.between(lastChild, parent.finishedAt()));
        asViewer().get("/errand/workflows/{id}", call.id()).then().statusCode(200)
                .body("state", equalTo("SUCCEEDED"))
                .body("children.total", equalTo(1000))
                .body("children.succeeded", equalTo(980))
                .body("children.failed", equalTo(20));
        List<Map<String, Object>> listed = asViewer().queryParam("limit", 200).get("/errand/workflows").then()
                .statusCode(200).extract().jsonPath().getList("findAll { it.id == '" + call.id() + "' }");
        assertEquals(1, listed.size());
        List<Map<String, Object>> progress = asViewer().get("/errand/dashboard").then().statusCode(200).extract()
                .jsonPath().getList("progress.findAll { it.kind == 'workflow' && it.id == '" + call.id() + "' }");
        assertEquals(1, progress.size(), "the dashboard shows the workflow");
        assertEquals(980, progress.get(0).get("done"));
        assertEquals(20, progress.get(0).get("failed"));
        assertEquals(1000, progress.get(0).get("total"));
    }

    @Test
    void aFunctionStartedByAPythonClientRuns() throws Exception {
        String id = "py-call-" + UUID.randomUUID();
        String printed = Python.run(Repository.path("examples/python/start_function.py"),
                "--url", "amqp://" + host + ":" + port, "--user", AnySender.senderUsername(),
                // "=": a generated password may start with '-', which argparse would take for an option.
                "--password=" + AnySender.senderPassword(), "--address-prefix", AnySender.senderAddressPrefix(),
                "--function", "test-square", "--arguments", "[21]", "--call-id", id);
        assertTrue(printed.contains(id), printed);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(id)
                .filter(status -> status.state() == CallStatus.State.SUCCEEDED).isPresent());
        assertEquals("{\"n\":21,\"square\":441}", calls.status(id).orElseThrow().result());
    }

    private CallStatus.State state(Call<?> call) {
        return calls.status(call).map(CallStatus::state).orElse(null);
    }
}
