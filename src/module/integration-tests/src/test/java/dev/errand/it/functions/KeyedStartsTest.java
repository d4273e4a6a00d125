package dev.errand.it.functions;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.WireContract;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Python;
import dev.errand.testing.Repository;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.json.JsonObject;

/** Keyed starts (DurableCalls.startOnce, errand_business_key): one call per function and business key. */
@BothBrokers
@QuarkusTest
class KeyedStartsTest {

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
    void twoConcurrentKeyedStartsEachInItsOwnTransactionGiveOneCallAndOneRun() throws Exception {
        String key = "order:" + UUID.randomUUID();
        int n = 10_000 + (int) (Math.random() * 10_000);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch firstRecorded = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        try {
            Future<Call<TestFunctions.Square>> first = threads.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                Call<TestFunctions.Square> started = calls.startOnce(key, () -> functions.square(n));
                firstRecorded.countDown();
                // Held open until the second start waits on the key.
                assertTrue(commitFirst.await(30, TimeUnit.SECONDS));
                return started;
            }));
            assertTrue(firstRecorded.await(30, TimeUnit.SECONDS));
            Future<Call<TestFunctions.Square>> second = threads.submit(() -> QuarkusTransaction.requiringNew()
                    .call(() -> calls.startOnce(key, () -> functions.square(n))));
            // The second start's insert waits on the key's unique index for the first transaction to end.
            await().atMost(Duration.ofSeconds(30)).until(() -> Rows.execute("""
                    select count(*) from pg_stat_activity
                    where wait_event_type = 'Lock' and query like 'insert into errand_call%business_key%'""") >= 1);
            assertFalse(second.isDone());
            commitFirst.countDown();

            Call<TestFunctions.Square> firstCall = first.get(30, TimeUnit.SECONDS);
            Call<TestFunctions.Square> secondCall = second.get(30, TimeUnit.SECONDS);
            assertEquals(firstCall.id(), secondCall.id(), "the second start returns the first call's handle");
            await().atMost(Duration.ofSeconds(30)).until(() -> state(firstCall) == CallStatus.State.SUCCEEDED);
            assertEquals(1L, Rows.count(em, "select count(*) from errand_call where business_key = ?1", key));
            assertEquals(1L, Rows.count(em, "select count(*) from errand_call where arguments = ?1", "[" + n + "]"),
                    "the second start recorded no call at all");
            assertEquals(1, functions.runs("square:" + n));
            assertEquals(key, calls.status(firstCall).orElseThrow().businessKey());
        } finally {
            commitFirst.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aSecondStartAfterTheFirstFinishedReturnsTheFirstsHandleAndRunsNothing() {
        String key = "export:" + UUID.randomUUID();
        int n = 20_000 + (int) (Math.random() * 10_000);
        Call<TestFunctions.Square> first = calls.startOnce(key, () -> functions.square(n));
        await().atMost(Duration.ofSeconds(30)).until(() -> state(first) == CallStatus.State.SUCCEEDED);

        // Other arguments change nothing: the key names the call.
        Call<TestFunctions.Square> again = calls.startOnce(key, () -> functions.square(n + 1));
        assertEquals(first.id(), again.id());
        assertEquals(new TestFunctions.Square(n, (long) n * n),
                calls.result(again, TestFunctions.Square.class).orElseThrow());
        assertEquals(0L, Rows.count(em, "select count(*) from errand_call where arguments = ?1", "[" + (n + 1) + "]"));
        assertEquals(0, functions.runs("square:" + (n + 1)));
        assertEquals(1, functions.runs("square:" + n));
        assertEquals(first.id(), calls.byBusinessKey("test-square", key).orElseThrow().id());
        asViewer().queryParam("function", "test-square").queryParam("businessKey", key).get("/errand/calls").then()
                .statusCode(200).body("id", equalTo(first.id())).body("businessKey", equalTo(key))
                .body("state", equalTo("SUCCEEDED"));
    }

    @Test
    void theSameKeyOnAnotherFunctionIsAnotherCall() {
        String key = "shared:" + UUID.randomUUID();
        Call<TestFunctions.Square> square = calls.startOnce(key, () -> functions.square(7));
        Call<String> steps = calls.startOnce(key, () -> functions.steps("keyed-" + key));
        assertNotEquals(square.id(), steps.id());
        await().atMost(Duration.ofSeconds(30)).until(() -> state(steps) == CallStatus.State.SUCCEEDED);
        assertEquals(key, calls.status(steps).orElseThrow().businessKey());
    }

    @Test
    void aKeyedStartInATransactionThatRollsBackLeavesTheKeyFree() {
        String key = "refund:" + UUID.randomUUID();
        int n = 30_000 + (int) (Math.random() * 10_000);
        AtomicReference<String> rolledBack = new AtomicReference<>();
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            rolledBack.set(calls.startOnce(key, () -> functions.square(n)).id());
            throw new IllegalStateException("the caller fails after the start");
        }));

        Call<TestFunctions.Square> started = calls.startOnce(key, () -> functions.square(n));
        assertNotEquals(rolledBack.get(), started.id(), "the key was free again: a call of its own");
        await().atMost(Duration.ofSeconds(30)).until(() -> state(started) == CallStatus.State.SUCCEEDED);
        assertTrue(calls.status(rolledBack.get()).isEmpty(), "no row for the rolled-back start");
        assertEquals(1, functions.runs("square:" + n));
    }

    @Test
    void anOutsideStartWithABusinessKeySentTwiceRunsOnceAndCannotTakeTheServicesKey() {
        String key = "outside-order-" + UUID.randomUUID();
        int n = 40_000 + (int) (Math.random() * 10_000);
        String firstId = "keyed-" + UUID.randomUUID();
        String secondId = "keyed-" + UUID.randomUUID();
        try (AnySender sender = new AnySender()) {
            sender.send("errand.functions.test-square", outsideCall(firstId, key, "[" + n + "]"));
            sender.send("errand.functions.test-square", outsideCall(secondId, key, "[" + n + "]"));
        }
        // Both messages processed (an outside message's marker is outside:<id>); one of them is the call.
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(em,
                "select count(*) from errand_processed_message where message_id in (?1, ?2)",
                WireContract.OUTSIDE_ID_PREFIX + firstId, WireContract.OUTSIDE_ID_PREFIX + secondId) == 2);
        CallStatus call = calls.byBusinessKey("test-square", WireContract.OUTSIDE_ID_PREFIX + key).orElseThrow();
        assertTrue(List.of(firstId, secondId).contains(call.id()), call.toString());
        assertTrue(calls.status(call.id().equals(firstId) ? secondId : firstId).isEmpty(), "the repeat recorded nothing");
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(call.id())
                .filter(status -> status.state() == CallStatus.State.SUCCEEDED).isPresent());
        assertEquals(1, functions.runs("square:" + n));

        // The outside key is the outside sender's: the service's own start under the same text is its own call.
        Call<TestFunctions.Square> own = calls.startOnce(key, () -> functions.square(n + 1));
        assertNotEquals(call.id(), own.id());
        await().atMost(Duration.ofSeconds(30)).until(() -> state(own) == CallStatus.State.SUCCEEDED);
        assertEquals(1, functions.runs("square:" + (n + 1)));
    }

    @Test
    void aPythonClientStartingTwiceUnderOneBusinessKeyRunsOnce() throws Exception {
        String key = "py-order-" + UUID.randomUUID();
        int n = 60_000 + (int) (Math.random() * 10_000);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String printed = Python.run(Repository.path("examples/python/start_function.py"),
                    "--url", "amqp://" + host + ":" + port, "--user", AnySender.senderUsername(),
                    "--password=" + AnySender.senderPassword(), "--address-prefix", AnySender.senderAddressPrefix(),
                    "--function", "test-square", "--arguments", "[" + n + "]", "--business-key", key);
            String printedLast = printed.strip().lines().reduce((first, next) -> next).orElse("");
            ids.add(new JsonObject(printedLast).getString("callId"));
        }
        // Both starts taken (an outside message's marker is outside:<id>), each under a call id of its own.
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(em,
                "select count(*) from errand_processed_message where message_id in (?1, ?2)",
                WireContract.OUTSIDE_ID_PREFIX + ids.get(0), WireContract.OUTSIDE_ID_PREFIX + ids.get(1)) == 2);
        CallStatus call = calls.byBusinessKey("test-square", WireContract.OUTSIDE_ID_PREFIX + key).orElseThrow();
        assertTrue(ids.contains(call.id()), call.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(call.id())
                .filter(status -> status.state() == CallStatus.State.SUCCEEDED).isPresent());
        assertEquals(1, functions.runs("square:" + n));
    }

    @Test
    void anOutsideStartWithABadBusinessKeyIsDeadLetteredSayingWhy() {
        String id = "bad-key-" + UUID.randomUUID();
        try (AnySender sender = new AnySender()) {
            sender.send("errand.functions.test-square", outsideCall(id, "k".repeat(201), "[6006]"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.status(id)
                .filter(status -> status.state() == CallStatus.State.FAILED).isPresent());
        String error = calls.status(id).orElseThrow().error();
        assertTrue(error.contains("errand_business_key: a business key is at most 200 characters, was 201"), error);
        assertEquals(0, functions.runs("square:6006"));
    }

    @Test
    void badKeysAreRefusedBeforeAnythingStarts() {
        AtomicBoolean ran = new AtomicBoolean();
        for (String bad : new String[] { null, "", "   ", "k".repeat(201), "order\n42", "outside:order-42" }) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> calls.startOnce(bad, () -> {
                        ran.set(true);
                        return functions.square(8);
                    }));
            assertTrue(refused.getMessage().contains("business key"), refused.getMessage());
        }
        assertFalse(ran.get(), "no start's code ran");
        asViewer().queryParam("function", "test-square").get("/errand/calls").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("invalid-parameter"));
    }

    @Test
    void aKeyedStartMustMakeExactlyOneDurableCall() {
        String key = "one:" + UUID.randomUUID();
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> calls.startOnce(key, () -> Call.of("not-a-start")));
        assertTrue(none.getMessage().contains("made no durable call"), none.getMessage());
        IllegalStateException two = assertThrows(IllegalStateException.class,
                () -> QuarkusTransaction.requiringNew().call(() -> calls.startOnce(key, () -> {
                    functions.square(9);
                    return functions.square(10);
                })));
        assertTrue(two.getMessage().contains("made a second one"), two.getMessage());
        assertTrue(calls.byBusinessKey("test-square", key).isEmpty(), "its transaction rolled back");
    }

    @Test
    void workflowsStartingOneKeyGetOneCallAndKeepItAcrossTheirReplays() {
        String key = "report:" + UUID.randomUUID();
        int n = 50_000 + (int) (Math.random() * 10_000);
        Call<String> first = functions.keyedParent(key, n);
        Call<String> second = functions.keyedParent(key, n);
        // Each waits for the call (its run ends and comes back, replaying its code) and returns its id.
        await().atMost(Duration.ofSeconds(60)).until(() -> state(first) == CallStatus.State.SUCCEEDED
                && state(second) == CallStatus.State.SUCCEEDED);
        String child = calls.result(first, String.class).orElseThrow();
        assertEquals(child, calls.result(second, String.class).orElseThrow());
        assertEquals(child, calls.byBusinessKey("test-square", key).orElseThrow().id());
        assertEquals(1, functions.runs("square:" + n));
        assertEquals(1L, Rows.count(em, "select count(*) from errand_call where arguments = ?1", "[" + n + "]"));
        // Its parent is the workflow that recorded it; the other got its handle from the key.
        String parent = calls.status(child).orElseThrow().parentId();
        assertTrue(List.of(first.id(), second.id()).contains(parent), parent);
        for (Call<String> workflow : List.of(first, second)) {
            assertEquals(1L, Rows.count(em, "select count(*) from errand_step where consumer = '' and owner_id = ?1 and name = ?2",
                    workflow.id(), "start once " + key), "the keyed start is one recorded step of " + workflow.id());
        }
    }

    private static AmqpMessage outsideCall(String id, String businessKey, String arguments) {
        return AmqpMessage.create().id(id).durable(true).contentType(WireContract.SENT_CONTENT_TYPE)
                .applicationProperties(new JsonObject(Map.of(WireContract.BUSINESS_KEY, businessKey)))
                .withBody("{\"arguments\":" + arguments + "}").build();
    }

    private CallStatus.State state(Call<?> call) {
        return calls.status(call).map(CallStatus::state).orElse(null);
    }
}
