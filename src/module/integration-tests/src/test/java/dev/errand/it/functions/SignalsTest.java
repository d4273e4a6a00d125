package dev.errand.it.functions;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.Signals;
import dev.errand.WireContract;
import dev.errand.it.functions.SignalFunctions.Approval;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Python;
import dev.errand.testing.Repository;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.amqp.AmqpMessage;

/** Signals into waiting workflows, against the real broker and database. */
@BothBrokers
@QuarkusTest
class SignalsTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();

    @Inject
    SignalFunctions functions;

    @Inject
    DurableCalls calls;

    @Inject
    Signals signals;

    @Inject
    EntityManager em;

    @ConfigProperty(name = "amqp-host")
    String host;

    @ConfigProperty(name = "amqp-port")
    int port;

    @Test
    void aSignalWakesAWorkflowThatWaitsForItAtOnceAndItsPayloadIsWhatTheWaitReturns() {
        String tag = tag();
        Call<String> call = functions.approval(tag, 0, 1, HOUR);
        awaitWaitingIn(call, "await signal approval");

        assertTrue(signals.send(call.id(), "approval", "s-1", new Approval(true, "ada")));

        // Its timeout is an hour away: only the signal's wake-up can end the wait this soon.
        awaitState(call, CallStatus.State.SUCCEEDED);
        assertEquals("approved by ada", calls.result(call, String.class).orElseThrow());
        assertEquals(1, functions.runs(tag + ":before"));
        assertEquals(1, functions.runs(tag + ":after"));
    }

    @Test
    void aSignalSentInATransactionThatRollsBackNeverArrives() {
        String tag = tag();
        Call<String> call = functions.approval(tag, 0, 1, 4_000);
        awaitWaitingIn(call, "await signal approval");

        QuarkusTransaction.begin();
        try {
            assertTrue(signals.send(call.id(), "approval", "rolled-back", new Approval(true, "mallory")));
        } finally {
            QuarkusTransaction.rollback();
        }

        awaitState(call, CallStatus.State.SUCCEEDED);
        assertEquals("expired", calls.result(call, String.class).orElseThrow());
        assertEquals(0L, signalsOf(call));
    }

    @Test
    void aSignalSentBeforeTheWorkflowWaitsIsKeptAndTakenWhenItDoes() {
        String tag = tag();
        // It sleeps 3 s before it waits; the signal comes during the sleep.
        Call<String> call = functions.approval(tag, 3_000, 1, HOUR);
        awaitWaitingIn(call, "sleep PT3S");
        assertTrue(signals.send(call.id(), "approval", "early", new Approval(false, "grace")));

        awaitState(call, CallStatus.State.SUCCEEDED);
        assertEquals("rejected by grace", calls.result(call, String.class).orElseThrow());
    }

    @Test
    void aSignalSentTwiceWithOneIdCountsOnce() {
        String tag = tag();
        Call<String> call = functions.approval(tag, 0, 2, 6_000);
        awaitWaitingIn(call, "await signal approval");

        assertTrue(signals.send(call.id(), "approval", "once", new Approval(true, "ada")));
        assertFalse(signals.send(call.id(), "approval", "once", new Approval(true, "ada")));

        // The first wait takes it; the second has nothing to take and times out.
        awaitState(call, CallStatus.State.SUCCEEDED);
        assertEquals("approved by ada, expired", calls.result(call, String.class).orElseThrow());
        assertEquals(1L, signalsOf(call));
    }

    @Test
    void aWaitTimesOutOnTimeWithNothingToTake() {
        String tag = tag();
        Call<String> call = functions.approval(tag, 0, 1, 3_000);
        awaitWaitingIn(call, "await signal approval");

        awaitState(call, CallStatus.State.SUCCEEDED);
        CallStatus status = calls.status(call).orElseThrow();
        assertEquals("\"expired\"", status.result());
        Duration waited = Duration.between(status.startedAt(), status.finishedAt());
        assertTrue(waited.compareTo(Duration.ofSeconds(3)) >= 0, "it waited its 3 s, not less: " + waited);
        assertEquals(1, functions.runs(tag + ":after"));
    }

    @Test
    void aSignalToAnUnknownOrFinishedWorkflowIsRefusedAndNothingIsKept() {
        Signals.Refused unknown = assertThrows(Signals.Refused.class,
                () -> signals.send("no-such-workflow", "approval", "s", new Approval(true, "x")));
        assertEquals(Signals.Refused.Reason.NO_SUCH_WORKFLOW, unknown.reason());

        Call<String> call = functions.approval(tag(), 0, 1, 0);
        awaitState(call, CallStatus.State.SUCCEEDED);
        Signals.Refused finished = assertThrows(Signals.Refused.class,
                () -> signals.send(call.id(), "approval", "late", new Approval(true, "x")));
        assertEquals(Signals.Refused.Reason.FINISHED, finished.reason());
        assertEquals(0L, signalsOf(call));
    }

    @Test
    void anAdminSignalsOverHttpAndBadInputGetsAProblemThatChangesNothing() {
        String tag = tag();
        Call<String> call = functions.approval(tag, 0, 1, HOUR);
        awaitWaitingIn(call, "await signal approval");

        asViewer().contentType(ContentType.JSON).body("{\"approved\":true,\"by\":\"eve\"}")
                .post("/errand/calls/{id}/signals/approval", call.id()).then().statusCode(403);
        asAdmin().contentType(ContentType.JSON).body("{\"approved\":true,\"by\":\"x\"}")
                .post("/errand/calls/{id}/signals/approval", "no-such-workflow").then().statusCode(404)
                .contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).body("{\"approved\":true,\"by\":\"x\"}")
                .post("/errand/calls/{id}/signals/{name}", call.id(), "n".repeat(201)).then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).body("{not json")
                .post("/errand/calls/{id}/signals/approval", call.id()).then().statusCode(400);
        assertEquals(0L, signalsOf(call));

        asAdmin().contentType(ContentType.JSON).queryParam("signalId", "hook-1")
                .body("{\"approved\":true,\"by\":\"bob\"}")
                .post("/errand/calls/{id}/signals/approval", call.id()).then().statusCode(202)
                .body("duplicate", equalTo(false)).body("signalId", equalTo("hook-1"));
        asAdmin().contentType(ContentType.JSON).queryParam("signalId", "hook-1")
                .body("{\"approved\":true,\"by\":\"bob\"}")
                .post("/errand/calls/{id}/signals/approval", call.id()).then().statusCode(200)
                .body("duplicate", equalTo(true));

        awaitState(call, CallStatus.State.SUCCEEDED);
        assertEquals("approved by bob", calls.result(call, String.class).orElseThrow());
        asAdmin().contentType(ContentType.JSON).queryParam("signalId", "hook-1")
                .body("{\"approved\":true,\"by\":\"bob\"}")
                .post("/errand/calls/{id}/signals/approval", call.id()).then().statusCode(200)
                .body("duplicate", equalTo(true));
        asAdmin().contentType(ContentType.JSON).body("{\"approved\":true,\"by\":\"x\"}")
                .post("/errand/calls/{id}/signals/approval", call.id()).then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void anOutsideSenderSignalsAWorkflowThatTakesTheSignalFromOutsideAndItsIdsAreItsOwn() throws Exception {
        String tag = tag();
        Call<String> call = functions.approval(tag, 0, 2, HOUR);
        awaitWaitingIn(call, "await signal approval");

        String id = "hook-" + UUID.randomUUID();
        // From the wire contract alone (examples/python), then the same id again.
        Python.run(Repository.path("examples/python/send_signal.py"), "--url", "amqp://" + host + ":" + port,
                "--user", AnySender.senderUsername(), "--password=" + AnySender.senderPassword(), "--address-prefix",
                AnySender.senderAddressPrefix(), "--workflow", call.id(), "--signal", "approval", "--signal-id", id,
                "--payload", "{\"approved\": true, \"by\": \"ada\"}");
        try (AnySender sender = new AnySender()) {
            sender.send(WireContract.SIGNALS_QUEUE, outsideSignal(id, call.id(), "approval",
                    "{\"approved\":false,\"by\":\"ada again\"}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> signalsOf(call) == 1);
        // The same id from the service is the service's own signal, not a repeat of the outside one.
        assertTrue(signals.send(call.id(), "approval", id, new Approval(false, "bob")));

        awaitState(call, CallStatus.State.SUCCEEDED);
        assertEquals("approved by ada, rejected by bob", calls.result(call, String.class).orElseThrow());
        assertEquals(1L, Rows.count(em, "select count(*) from errand_signal where call_id = ?1 and signal_id = ?2",
                call.id(), WireContract.OUTSIDE_ID_PREFIX + id));
        assertEquals(2L, signalsOf(call));
    }

    @Test
    void anOutsideSignalNoWorkflowTakesFromOutsideIsDeadLetteredSayingWhyAndKeepsNothing() {
        Call<String> call = functions.approval(tag(), 0, 1, HOUR);
        awaitWaitingIn(call, "await signal approval");
        Call<String> finished = functions.approval(tag(), 0, 1, 0);
        awaitState(finished, CallStatus.State.SUCCEEDED);
        String test = "refused-" + UUID.randomUUID() + "-";

        try (AnySender sender = new AnySender()) {
            // A name the workflow does not open to outside senders (only "approval"), though its code may wait for it.
            sender.send(WireContract.SIGNALS_QUEUE, outsideSignal(test + "name", call.id(), "veto", "{}"));
            sender.send(WireContract.SIGNALS_QUEUE, outsideSignal(test + "unknown", "no-such-workflow", "approval", "{}"));
            sender.send(WireContract.SIGNALS_QUEUE, outsideSignal(test + "finished", finished.id(), "approval", "{}"));
            // No payload: a wait that hears nothing has timed out, which no sender may fake.
            sender.send(WireContract.SIGNALS_QUEUE, outsideSignal(test + "empty", call.id(), "approval", "null"));
            sender.send(WireContract.SIGNALS_QUEUE, AmqpMessage.create().id(test + "shape").durable(true)
                    .contentType(WireContract.SENT_CONTENT_TYPE).withBody("{\"signal\":\"approval\"}").build());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(em,
                "select count(*) from errand_dead_letter where consumer = 'errand-signals' and message_id like ?1",
                test + "%") == 5);
        assertDeadLettered(test + "name", "permanent-failure", "takes no signal \"veto\" from outside senders");
        assertDeadLettered(test + "unknown", "permanent-failure", "no workflow with id no-such-workflow");
        assertDeadLettered(test + "finished", "permanent-failure", "has finished");
        assertDeadLettered(test + "shape", "contract-violation", "workflow");
        assertDeadLettered(test + "empty", "permanent-failure", "payload is missing");
        assertEquals(0L, signalsOf(call));
        assertEquals(0L, signalsOf(finished));
        assertEquals(CallStatus.State.WAITING, calls.status(call).orElseThrow().state());
    }

    @Test
    void anOutsidePayloadTheWaitCannotReadIsPassedOverAndTheWaitGoesOn() {
        Call<String> call = functions.approval(tag(), 0, 1, HOUR);
        awaitWaitingIn(call, "await signal approval");
        String test = "shape-" + UUID.randomUUID() + "-";

        try (AnySender sender = new AnySender()) {
            sender.send(WireContract.SIGNALS_QUEUE, outsideSignal(test + "text", call.id(), "approval", "\"yes\""));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> signalsOf(call) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> calls.status(call).orElseThrow().state() == CallStatus.State.WAITING);

        try (AnySender sender = new AnySender()) {
            sender.send(WireContract.SIGNALS_QUEUE, outsideSignal(test + "good", call.id(), "approval",
                    "{\"approved\":true,\"by\":\"ada\"}"));
        }
        awaitState(call, CallStatus.State.SUCCEEDED);
        assertEquals("approved by ada", calls.result(call, String.class).orElseThrow());
    }

    private void assertDeadLettered(String messageId, String reason, String error) {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select reason, error_message from errand_dead_letter where consumer = 'errand-signals' and message_id = ?1")
                .setParameter(1, messageId).getSingleResult());
        assertEquals(reason, row[0], messageId);
        assertTrue(String.valueOf(row[1]).contains(error), messageId + ": " + row[1]);
    }

    private static AmqpMessage outsideSignal(String id, String workflow, String name, String payload) {
        return AmqpMessage.create().id(id).durable(true).contentType(WireContract.SENT_CONTENT_TYPE)
                .withBody("{\"workflow\":\"" + workflow + "\",\"signal\":\"" + name + "\",\"payload\":" + payload
                        + "}")
                .build();
    }

    private void awaitWaitingIn(Call<?> call, String step) {
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(call)
                .filter(s -> s.state() == CallStatus.State.WAITING && step.equals(s.currentStep())).isPresent());
    }

    private void awaitState(Call<?> call, CallStatus.State state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(call).map(CallStatus::state).orElse(null) == state);
    }

    private long signalsOf(Call<?> call) {
        return Rows.count(em, "select count(*) from errand_signal where call_id = ?1", call.id());
    }

    private static String tag() {
        return "t-" + UUID.randomUUID() + "-" + Instant.now().toEpochMilli();
    }
}
