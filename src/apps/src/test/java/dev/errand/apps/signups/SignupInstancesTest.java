package dev.errand.apps.signups;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.errand.WireContract;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Broker;
import dev.errand.testing.RabbitMq;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiver;

/**
 * One user's sign-up work stays in order when several instances (replicas) consume the sign-up
 * queue. A plain AMQP receiver on {@code errand.signups} stands for the second instance.
 * <ul>
 * <li>Artemis: Errand sends each item with {@code group-id} set to its ordering key, and the broker's
 * message groups pin each key to one consumer: the instances share the users, never one user.</li>
 * <li>RabbitMQ has no message groups: the queue has a single active consumer
 * (bench/rabbitmq/definitions.json), so a second instance gets nothing while the first consumes.</li>
 * </ul>
 */
@BothBrokers
@QuarkusTest
class SignupInstancesTest {

    private static final int USERS = 40;

    @Inject
    AgroalDataSource dataSource;

    @Test
    @EnabledIfSystemProperty(named = RabbitMq.SELECTED, matches = "rabbitmq")
    void aSecondInstanceGetsNoSignupWorkWhileTheFirstIsConsuming() {
        List<AmqpMessage> stolen = new CopyOnWriteArrayList<>();
        List<Long> ids;
        // This service's consumer first (it may be reconnecting after an earlier test's broker outage):
        // the first consumer attached is the active one.
        await().atMost(Duration.ofSeconds(30)).until(() -> RabbitMq.consumers(SignupChannels.SIGNUPS_QUEUE) >= 1);
        try (AnySender secondInstance = AnySender.asService()) {
            AmqpReceiver receiver = secondInstance.receiveWithoutSettling("/amq/queue/" + SignupChannels.SIGNUPS_QUEUE,
                    stolen);
            ids = signUp(20, "sac");

            for (long id : ids) {
                await().atMost(Duration.ofSeconds(60))
                        .failFast("a message was delivered to the second instance", () -> !stolen.isEmpty())
                        .untilAsserted(() -> given().get("/signups/{id}", id).then()
                        .body("done", equalTo(SignupChannels.STEPS)));
            }
            receiver.close();
        }
        assertEquals(List.of(), stolen, "messages delivered to the second instance");
    }

    @Test
    @DisabledIfSystemProperty(named = RabbitMq.SELECTED, matches = "rabbitmq")
    void twoInstancesShareTheUsersButNeverSplitOneUsersItems() throws Exception {
        List<AmqpMessage> held = new CopyOnWriteArrayList<>();
        List<Long> ids;
        // This service's consumer attached first (it may be reconnecting after an earlier test's outage).
        await().atMost(Duration.ofSeconds(30)).until(() -> Broker.consumers(SignupChannels.SIGNUPS_QUEUE) >= 1);
        try (AnySender secondInstance = AnySender.asService()) {
            // It takes its share and settles none of it, like a replica busy with its work: what it
            // holds stays its own, and the rest of its users' items stay pinned to it, until it goes.
            secondInstance.receiveWithoutSettling(SignupChannels.SIGNUPS_QUEUE, held);
            await().atMost(Duration.ofSeconds(30)).until(() -> Broker.consumers(SignupChannels.SIGNUPS_QUEUE) >= 2);
            ids = signUp(USERS, "grp");

            // Every item ends up either run by this service or held by the second instance:
            // 40 users x 3 items = 120. A user on both sides fails at once: the email would have
            // gone before the profile, or the second instance would hold an item the first already ran past.
            int items = USERS * SignupChannels.STEPS.size();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .failFast("a user's items went to both instances", () -> !shares(ids, held).split().isEmpty())
                    .until(() -> shares(ids, held).items() == items);

            // While both are attached.
            Shares shares = shares(ids, held);
            assertEquals(Map.of(), shares.split(), "users whose items went to both instances");
            assertFalse(shares.heldThere().isEmpty(), "the second instance took some users");
            assertFalse(shares.ranHere().isEmpty(), "this service took some users");
            // What pins them: the group-id Errand sets to the ordering key.
            for (AmqpMessage message : held) {
                assertEquals(message.applicationProperties().getString(WireContract.ORDERING_KEY), message.groupId(),
                        "group-id of " + message.id());
            }
        }
        // The second instance has gone: what it held comes back, and its users finish here, in order.
        for (long id : ids) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/signups/{id}", id).then()
                    .body("done", equalTo(SignupChannels.STEPS)));
        }
    }

    /** Per user, the items this service ran and the items the second instance holds. */
    private record Shares(Map<Long, Integer> ranHere, Map<Long, Integer> heldThere) {

        int items() {
            return ranHere.values().stream().mapToInt(Integer::intValue).sum()
                    + heldThere.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Users with items on both sides: "2 here, 1 on the second instance". */
        Map<Long, String> split() {
            Map<Long, String> split = new TreeMap<>();
            ranHere.forEach((id, here) -> {
                Integer there = heldThere.get(id);
                if (there != null) {
                    split.put(id, here + " here, " + there + " on the second instance");
                }
            });
            return split;
        }
    }

    private Shares shares(List<Long> ids, List<AmqpMessage> held) throws SQLException {
        Map<Long, Integer> heldThere = new HashMap<>();
        for (AmqpMessage message : held) {
            // Only this test's users: an earlier test may have left sign-up work on the queue.
            long account = accountOf(message);
            if (ids.contains(account)) {
                heldThere.merge(account, 1, Integer::sum);
            }
        }
        return new Shares(stepsRun(ids), heldThere);
    }

    private static List<Long> signUp(int users, String prefix) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return IntStream.range(0, users).mapToObj(i -> given().contentType(ContentType.JSON)
                .body(Map.of("email", prefix + i + "-" + run + "@example.com", "name", "Second Instance"))
                .post("/signups").then().statusCode(202).extract().jsonPath().getLong("accountId")).toList();
    }

    /** The user a held message belongs to, from the ordering key in its application properties. */
    private static long accountOf(AmqpMessage message) {
        String key = message.applicationProperties().getString(WireContract.ORDERING_KEY);
        return Long.parseLong(key.substring(key.indexOf(':') + 1));
    }

    /** Per user, the items this service has run (each records one event in the same transaction). */
    private Map<Long, Integer> stepsRun(List<Long> ids) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select account_id, count(*) from signup_event where account_id = any (?) group by account_id""")) {
            query.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            Map<Long, Integer> steps = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    steps.put(rows.getLong(1), rows.getInt(2));
                }
            }
            return steps;
        }
    }
}
