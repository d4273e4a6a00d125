package dev.errand.it.events;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.Events;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Python;
import dev.errand.testing.Repository;
import dev.errand.it.events.EventLog;
import dev.errand.it.events.TestEvent;
import dev.errand.it.events.TestSubscribers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Events reach every subscriber of their type once, each on its own queue, on both brokers.
 */
@BothBrokers
@QuarkusTest
class EventsTest {

    private static final List<String> THREE = List.of(TestSubscribers.A, TestSubscribers.B, TestSubscribers.C);

    @Inject
    Events events;

    @Inject
    EventLog log;

    @ConfigProperty(name = "amqp-host")
    String host;

    @ConfigProperty(name = "amqp-port")
    int port;

    @ConfigProperty(name = "errand.events.address")
    String eventsAddress;

    String test;

    @BeforeEach
    void aFreshPrefix() {
        test = "ev-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @Test
    void aThousandEventsReachEachOfThreeSubscribersExactlyOnce() {
        // Published in batches of 100 per transaction, as a service publishing from its own work would.
        IntStream.range(0, 10).forEach(batch -> QuarkusTransaction.requiringNew().run(() -> IntStream.range(0, 100)
                .forEach(i -> events.publish(TestSubscribers.TYPE, new TestEvent(test + (batch * 100 + i), null)))));

        for (String subscriber : THREE) {
            await().atMost(Duration.ofSeconds(90)).until(() -> log.handled(subscriber, test).size() >= 1000);
        }
        // Runs, not rows: each handler ran once per event, and for every event.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> THREE.stream().allMatch(s -> log.handled(s, test).size() == 1000));
        for (String subscriber : THREE) {
            assertEquals(1000, new HashSet<>(log.handled(subscriber, test)).size(), subscriber + " handled each once");
        }
    }

    @Test
    void aFailingSubscriberDeadLettersOnlyItsOwnCopiesAndTheirReplayReachesItAlone() {
        // Ids of the caller's, so that this test finds its dead letters.
        IntStream.range(0, 5).forEach(i -> events.publish(TestSubscribers.TYPE, test + i,
                new TestEvent(test + i, TestSubscribers.C)));

        await().atMost(Duration.ofSeconds(30)).until(() -> log.handled(TestSubscribers.A, test).size() == 5
                && log.handled(TestSubscribers.B, test).size() == 5 && deadLetters().size() == 5);
        for (Map<String, Object> letter : deadLetters()) {
            assertEquals(TestSubscribers.C, letter.get("consumer"), "the dead letter names its subscriber");
            assertEquals("permanent-failure", letter.get("reason"));
        }
        assertEquals(0, log.handled(TestSubscribers.C, test).size());

        log.heal(TestSubscribers.C);
        for (Map<String, Object> letter : deadLetters()) {
            asAdmin().post("/errand/dead-letters/{id}/replay", ((Number) letter.get("id")).longValue())
                    .then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> log.handled(TestSubscribers.C, test).size() == 5);
        // The replays went to C's queue only: A and B never saw those events again.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> log.handled(TestSubscribers.A, test).size() == 5 && log.handled(TestSubscribers.B, test).size() == 5
                        && log.handled(TestSubscribers.C, test).size() == 5);
    }

    @Test
    void aSubscribersRetriesComeBackOnItsOwnQueueAndReachItAlone() {
        String id = test + "flaky";
        // Three attempts in process, then a redelivery from the broker (scheduled there on Artemis).
        events.publish(TestSubscribers.TYPE, id, new TestEvent(id, TestSubscribers.C, 4));

        await().atMost(Duration.ofSeconds(30)).until(() -> log.handled(TestSubscribers.C, test).equals(List.of(id)));
        assertEquals(5, log.attempts(TestSubscribers.C, id));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> log.attempts(TestSubscribers.A, id) == 1 && log.attempts(TestSubscribers.B, id) == 1);
    }

    @Test
    void anEventPublishedInATransactionThatRollsBackReachesNoSubscriber() {
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            events.publish(TestSubscribers.TYPE, new TestEvent(test + "rolled-back", null));
            throw new IllegalStateException("the caller's own work failed");
        }));
        events.publish(TestSubscribers.TYPE, new TestEvent(test + "committed", null));

        // The committed one, published after, arrives; the rolled-back one never does.
        for (String subscriber : THREE) {
            await().atMost(Duration.ofSeconds(20)).until(() -> log.handled(subscriber, test).contains(test + "committed"));
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> THREE.stream().allMatch(s -> log.handled(s, test).equals(List.of(test + "committed"))));
    }

    @Test
    void anInvalidEventTypeIsRefusedBeforeAnythingIsWritten() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> events.publish("lemonade order placed", new TestEvent(test + "bad-type", null)));
        assertTrue(refused.getMessage().contains("not dot-separated words"), refused.getMessage());
    }

    @Test
    void wildcardAndExactSubscriptionsEachGetTheirOwnTypes() {
        events.publish("test.thing-happened", new TestEvent(test + "thing", null));
        events.publish("test.exact-only", new TestEvent(test + "exact", null));
        events.publish("test.deeper.nested", new TestEvent(test + "nested", null));
        events.publish("other.thing-happened", new TestEvent(test + "other", null));

        await().atMost(Duration.ofSeconds(20)).until(() -> log.handled(TestSubscribers.WILDCARD, test).size() == 2
                && log.handled(TestSubscribers.EXACT, test).size() == 1 && log.handled(TestSubscribers.A, test).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> log.handled(TestSubscribers.WILDCARD, test).size() == 2
                        && log.handled(TestSubscribers.EXACT, test).size() == 1);
        assertEquals(List.of(test + "exact", test + "thing"), log.handled(TestSubscribers.WILDCARD, test).stream().sorted()
                .toList());
        assertEquals(List.of(test + "exact"), log.handled(TestSubscribers.EXACT, test));
        assertEquals(List.of(test + "thing"), log.handled(TestSubscribers.A, test));
    }

    @Test
    void aSubscriberThatWasDownGetsEveryEventPublishedMeanwhile() {
        asAdmin().post("/errand/consumers/{channel}/pause", TestSubscribers.A).then().statusCode(200);
        try {
            IntStream.range(0, 50).forEach(i -> events.publish(TestSubscribers.TYPE, new TestEvent(test + i, null)));
            // The others go on while A is down.
            await().atMost(Duration.ofSeconds(30)).until(() -> log.handled(TestSubscribers.B, test).size() == 50
                    && log.handled(TestSubscribers.C, test).size() == 50);
            assertEquals(0, log.handled(TestSubscribers.A, test).size());
        } finally {
            asAdmin().post("/errand/consumers/{channel}/resume", TestSubscribers.A).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> log.handled(TestSubscribers.A, test).size() == 50);
    }

    @Test
    void anEventPublishedByAPythonClientReachesAllThreeSubscribers() throws Exception {
        String printed = Python.run(Repository.path("examples/python/publish_event.py"),
                "--url", "amqp://" + host + ":" + port, "--user", AnySender.senderUsername(),
                // "=": a generated password may start with '-', which argparse would take for an option.
                "--password=" + AnySender.senderPassword(), "--address", eventsAddress,
                "--type", TestSubscribers.TYPE, "--id-prefix", test,
                "--body", "{\"id\": \"" + test + "from-python\"}");
        assertTrue(printed.contains("\"sent\": 1"), printed);
        for (String subscriber : THREE) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> log.handled(subscriber, test).equals(List.of(test + "from-python")));
        }
    }

    private List<Map<String, Object>> deadLetters() {
        return asViewer().queryParam("size", 500).get("/errand/dead-letters").then().statusCode(200).extract()
                .jsonPath().getList("items.findAll { it.consumer == '" + TestSubscribers.C + "' && it.messageId.startsWith('"
                        + test + "') }");
    }
}
