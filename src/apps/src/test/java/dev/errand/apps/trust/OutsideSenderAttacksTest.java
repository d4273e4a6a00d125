package dev.errand.apps.trust;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asProducer;
import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.errand.WireContract;
import dev.errand.apps.coupons.CouponChannels;
import dev.errand.apps.lemonade.LemonadeEvents;
import dev.errand.apps.orders.OrderChannels;
import dev.errand.apps.orders.OrderPartners;
import dev.errand.apps.signups.SignupChannels;
import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.GrantMessages;
import dev.errand.apps.testing.ServiceSignature;
import dev.errand.apps.testing.Simulator;
import dev.errand.internal.broker.BrokerAddresses;
import dev.errand.internal.deadletter.DeadLetter;
import dev.errand.internal.deadletter.DeadLetterRepository;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.RabbitMq;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The attacks of issue 21, each by an outside sender: the broker's sender user, or, where the broker
 * refuses that user, a client holding the service's own broker password but not its signing key (a
 * leaked password). Each is shown refused or harmless: the real work done once, the counts unchanged.
 */
@BothBrokers
@QuarkusTest
class OutsideSenderAttacksTest {

    @Inject
    EntityManager em;

    @Inject
    DeadLetterRepository deadLetters;

    @ConfigProperty(name = "errand.broker.address-prefix")
    java.util.Optional<String> addressPrefix;

    @ConfigProperty(name = "errand.events.address")
    String eventsAddress;

    @AfterEach
    void resumeConsumers() {
        for (String channel : List.of(OrderChannels.ORDERS, CouponChannels.GRANTS)) {
            asAdmin().post("/errand/consumers/{channel}/resume", channel).then().statusCode(200);
        }
    }

    @Test
    void theSenderUserMayWriteOnlyToTheQueuesOpenToOutsideSenders() {
        for (String internal : List.of(OrderChannels.ORDERS_QUEUE, SignupChannels.SIGNUPS_QUEUE,
                "errand.functions.export-user", "errand.functions.export-users")) {
            try (AnySender sender = new AnySender()) {
                assertThrows(IllegalStateException.class,
                        () -> sender.send(direct(internal), order(1, "forged-" + UUID.randomUUID())), internal);
            }
        }
        // The grants queue is open (@OutsideSenders): an outside grant for a recipient is granted.
        long campaign = Campaigns.anEmptyCampaign();
        GrantMessages grant = GrantMessages.aGrant(campaign).fromOutside();
        try (AnySender sender = new AnySender()) {
            grant.sendWith(sender);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Campaigns.progress(campaign).getInt("granted") == 1);
    }

    /** A: the event id of the next order, squatted before the order exists. */
    @Test
    void aSquattedEventIdTakesNothingFromTheOrderThatComesWithIt() {
        long last = lemonade("warm-up-" + UUID.randomUUID(), 1);
        long next = last + 1;
        String squatted = "lemonade-order:" + next;
        AmqpMessage squatter = AmqpMessage.create().id(squatted).subject(LemonadeEvents.ORDER_PLACED)
                .durable(true).contentType(WireContract.SENT_CONTENT_TYPE)
                .withBody(new JsonObject().put("orderId", next).put("customer", "mallory").put("cups", 100).encode())
                .build();
        if (!RabbitMq.selected()) {
            // On Artemis no subscriber of the stand takes outside senders, so the sender user may not
            // even write to the events address; the squatter below holds the service's broker password.
            try (AnySender outside = new AnySender()) {
                assertThrows(IllegalStateException.class, () -> outside.send(eventsAddress, squatter));
            }
        }
        // RabbitMQ lets the sender user publish events (bench/rabbitmq/definitions.json).
        try (AnySender sender = RabbitMq.selected() ? new AnySender() : AnySender.asService()) {
            sender.send(eventsAddress, squatter);
        }
        // Each of the stand's three subscribers takes only the service's own events.
        await().atMost(Duration.ofSeconds(20)).until(() -> outsideLetters(squatted).size() == 3);
        outsideLetters(squatted).forEach(letter -> assertEquals("untrusted-sender", letter.reason));
        long before = points();

        String customer = "ada-" + UUID.randomUUID();
        long real = lemonade(customer, 2);
        assertEquals(next, real, "the order took the squatted id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/lemonade/orders/{id}", real).then()
                .statusCode(200).body("status", equalTo("READY")));
        await().atMost(Duration.ofSeconds(20)).until(() -> Rows.count(em,
                "select coalesce(sum(points), 0) from lemonade_loyalty where customer = ?1", customer) == 2);
        assertEquals(0, Rows.count(em, "select count(*) from lemonade_loyalty where customer = 'mallory'"));
        assertEquals(before + 2, points());
    }

    /** B: an order's work sent again under other message-ids. */
    @Test
    void anOrderSentAgainUnderOtherIdsIsChargedOnce() {
        asAdmin().post("/errand/consumers/{channel}/pause", OrderChannels.ORDERS).then().statusCode(200);
        long mugsBefore = Rows.count(em, "select available from inventory where sku = 'MUG-01'");
        long id = given().contentType(ContentType.JSON)
                .body(Map.of("customerEmail", "ada@example.com", "lines", List.of(Map.of("sku", "MUG-01", "quantity", 2))))
                .post("/orders").then().statusCode(202).extract().jsonPath().getLong("orderId");
        try (AnySender sender = new AnySender()) {
            assertThrows(IllegalStateException.class, () -> sender.send(direct(OrderChannels.ORDERS_QUEUE),
                    order(id, "forged-" + UUID.randomUUID())));
        }
        List<String> forged = List.of("forged-a-" + id, "forged-b-" + id, "forged-c-" + id);
        List<String> again = List.of("again-a-" + id, "again-b-" + id);
        try (AnySender leaked = AnySender.asService()) {
            forged.forEach(messageId -> leaked.send(OrderChannels.ORDERS_QUEUE, order(id, messageId)));
            // Even the service's own message, sent again under other ids (a bug, a manual resend): once.
            again.forEach(messageId -> leaked.send(OrderChannels.ORDERS_QUEUE,
                    ServiceSignature.signed(order(id, messageId))));
        }
        asAdmin().post("/errand/consumers/{channel}/resume", OrderChannels.ORDERS).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/orders/{id}", id).then()
                .body("status", equalTo("COMPLETED")));
        await().atMost(Duration.ofSeconds(20)).until(() -> forged.stream().allMatch(m -> !outsideLetters(m).isEmpty())
                && again.stream().allMatch(m -> Rows.processedMarkers(em, m) == 1));
        forged.forEach(m -> assertEquals("untrusted-sender", outsideLetters(m).get(0).reason));
        for (String system : List.of(OrderPartners.PAYMENTS, OrderPartners.MAIL, OrderPartners.WAREHOUSE)) {
            assertEquals(1, Rows.count(em, "select count(*) from partner_call where system = ?1 and order_id = ?2",
                    system, id), system);
        }
        assertEquals(mugsBefore - 2, Rows.count(em, "select available from inventory where sku = 'MUG-01'"));
    }

    /** C: a campaign's own grant ids, squatted first with a thousand times the amount. */
    @Test
    void aSquattedGrantIdCannotChangeTheAmount() {
        Simulator.reset();
        long next = Campaigns.anEmptyCampaign() + 1;
        List<String> users = List.of("c-user-1", "c-user-2", "c-user-3");
        asAdmin().post("/errand/consumers/{channel}/pause", CouponChannels.GRANTS).then().statusCode(200);
        try (AnySender sender = new AnySender()) {
            users.forEach(user -> GrantMessages.aGrant(next).forUser(user).withAmountCents(100_000).fromOutside()
                    .sendWith(sender));
        }
        long campaign = Campaigns.upload("squatted", "user_id\n" + String.join("\n", users) + "\n");
        assertEquals(next, campaign, "the campaign took the squatted ids");
        asAdmin().post("/errand/consumers/{channel}/resume", CouponChannels.GRANTS).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(Campaigns.progress(campaign).getString("status")));
        JsonPath progress = Campaigns.progress(campaign);
        assertEquals(3, progress.getInt("granted"));
        assertEquals(0, progress.getInt("deadLettered"));
        assertEquals(3, Rows.count(em, "select count(*) from promo_coupon where campaign_id = ?1 and amount_cents = 1500",
                Long.toString(campaign)));
        assertEquals(0, Rows.count(em, "select count(*) from promo_coupon where campaign_id = ?1 and amount_cents <> 1500",
                Long.toString(campaign)));
        await().atMost(Duration.ofSeconds(20)).until(() -> users.stream()
                .allMatch(user -> !outsideLetters(CouponChannels.messageId(campaign, user)).isEmpty()));
        assertTrue(outsideLetters(CouponChannels.messageId(campaign, "c-user-1")).get(0).errorMessage
                .contains("not campaign " + campaign + "'s coupon of 1500 cents"));
    }

    /** D: durable calls started from outside, and a waiting workflow's children forged. */
    @Test
    void durableCallsCannotBeStartedNorForgedFromOutside() {
        Rows.execute("truncate crm_user, user_export");
        asAdmin().post("/simulator/crm/reset").then().statusCode(204);
        asProducer().queryParam("count", 5).post("/exports/users").then().statusCode(200);
        long exportId = asProducer().queryParam("delaySeconds", 2).post("/exports").then().statusCode(202).extract()
                .jsonPath().getLong("exportId");
        String workflow = (String) QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("select workflow_id from user_export where id = ?1").setParameter(1, exportId)
                .getSingleResult());
        List<String> forged = List.of(workflow + "/1", workflow + "/2", "call:" + UUID.randomUUID());
        String started = "outside-export-" + exportId;
        try (AnySender leaked = AnySender.asService()) {
            forged.forEach(id -> leaked.send("errand.functions.export-user", call(id, "[1]")));
            leaked.send("errand.functions.export-users", call(started, "[" + exportId + ", 0]"));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> asViewer().get("/exports/{id}", exportId).then()
                .body("status", equalTo("COMPLETED")).body("exported", equalTo(5)));
        await().atMost(Duration.ofSeconds(20)).until(() -> forged.stream().allMatch(id -> !outsideLetters(id).isEmpty())
                && !outsideLetters(started).isEmpty());
        asViewer().get("/simulator/crm/stats").then().body("contacts", equalTo(5)).body("duplicateContacts", equalTo(0))
                .body("reports", equalTo(1));
    }

    /** E: grants for strangers under a finished campaign's correlation-id. */
    @Test
    void grantsForStrangersUnderACampaignsCorrelationDoNotTaintIt() {
        long campaign = Campaigns.upload("tainted", "user_id\ne-user-1\ne-user-2\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(Campaigns.progress(campaign).getString("status")));
        List<String> strangers = List.of("e-stranger-1", "e-stranger-2", "e-stranger-3");
        try (AnySender sender = new AnySender()) {
            strangers.forEach(user -> sender.send(CouponChannels.GRANTS_QUEUE, AmqpMessage.create()
                    .id(CouponChannels.messageId(campaign, user)).subject(CouponChannels.GRANT_SUBJECT)
                    .correlationId(CouponChannels.correlationId(campaign)).contentType(WireContract.SENT_CONTENT_TYPE)
                    .durable(true).withBody(new JsonObject().put("campaignId", campaign).put("userId", user)
                            .put("amountCents", 1500).encode())
                    .build()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> strangers.stream()
                .allMatch(user -> !outsideLetters(CouponChannels.messageId(campaign, user)).isEmpty()));
        JsonPath progress = Campaigns.progress(campaign);
        assertEquals("COMPLETED", progress.getString("status"));
        assertEquals(0, progress.getInt("deadLettered"));
        assertEquals(0, progress.getInt("failed"));
        assertEquals("user_id,reason\n", asViewer().get("/campaigns/{id}/failures", campaign).then().statusCode(200)
                .extract().asString());
    }

    /** G: Errand's own properties, written by an outside sender. */
    @Test
    void theAttemptsAndHistoryAnOutsideSenderClaimsAreNotRecorded() {
        String id = "claims-" + UUID.randomUUID();
        try (AnySender sender = new AnySender()) {
            sender.send(CouponChannels.GRANTS_QUEUE, AmqpMessage.create().id(id).durable(true)
                    .contentType("text/plain").withBody("not JSON")
                    .applicationProperties(new JsonObject().put(WireContract.ATTEMPTS, 999)
                            .put(WireContract.HISTORY, new JsonArray().add(new JsonObject().put("attempt", 998)
                                    .put("at", "2020-01-01T00:00:00Z").put("error", "made up")).encode())
                            .put(WireContract.DL_FIRST_FAILURE, "2020-01-01T00:00:00Z")
                            .put(WireContract.SIGNATURE, "bm90LWEtc2lnbmF0dXJl"))
                    .build());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !outsideLetters(id).isEmpty());
        DeadLetter letter = outsideLetters(id).get(0);
        assertEquals("contract-violation", letter.reason);
        assertEquals(1, letter.attempts);
        assertEquals(1, new JsonArray(letter.history).size());
        assertTrue(letter.firstFailureAt.isAfter(java.time.Instant.parse("2025-01-01T00:00:00Z")));
        asViewer().get("/errand/dead-letters/{id}", letter.id).then().body("origin", equalTo("outside"))
                .body("attempts", equalTo(1));
    }

    /** After an upgrade: an older version's unsigned message, refused, then adopted by an administrator. */
    @Test
    void anAdministratorMayAdoptAnUntrustedDeadLetterAsTheServicesOwn() {
        long order = Rows.execute("insert into lemonade_order (customer, cups, status) values ('grace', 3, 'ACCEPTED')"
                + " returning id");
        String event = "lemonade-order:" + order;
        try (AnySender olderVersion = AnySender.asService()) {
            olderVersion.send(eventsAddress, AmqpMessage.create().id(event).subject(LemonadeEvents.ORDER_PLACED)
                    .durable(true).contentType(WireContract.SENT_CONTENT_TYPE)
                    .withBody(new JsonObject().put("orderId", order).put("customer", "grace").put("cups", 3).encode())
                    .build());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> outsideLetters(event).size() == 3);
        DeadLetter kitchen = outsideLetters(event).stream()
                .filter(letter -> LemonadeEvents.KITCHEN.equals(letter.consumer)).findFirst().orElseThrow();
        // Only an untrusted-sender letter may be adopted, and only by an administrator.
        asViewer().post("/errand/dead-letters/{id}/adopt", kitchen.id).then().statusCode(403);
        asAdmin().post("/errand/dead-letters/{id}/adopt", kitchen.id).then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/lemonade/orders/{id}", order).then()
                .body("status", equalTo("READY")));
        assertEquals(0, Rows.count(em, "select count(*) from lemonade_loyalty where customer = 'grace'"),
                "the letters not adopted stay refused");
    }

    private List<DeadLetter> outsideLetters(String messageId) {
        return QuarkusTransaction.requiringNew().call(() -> deadLetters
                .find("messageId = ?1 and origin = 'outside'", messageId).list());
    }

    private long points() {
        return Rows.count(em, "select coalesce(sum(points), 0) from lemonade_loyalty");
    }

    private static long lemonade(String customer, int cups) {
        return given().contentType(ContentType.JSON).body(Map.of("customer", customer, "cups", cups))
                .post("/lemonade/orders").then().statusCode(202).extract().jsonPath().getLong("orderId");
    }

    private static AmqpMessage order(long orderId, String messageId) {
        return AmqpMessage.create().id(messageId).subject(OrderChannels.PROCESS_SUBJECT).durable(true)
                .contentType(WireContract.SENT_CONTENT_TYPE).withBody(new JsonObject().put("orderId", orderId).encode())
                .build();
    }

    private static AmqpMessage call(String id, String arguments) {
        return AmqpMessage.create().id(id).durable(true).contentType(WireContract.SENT_CONTENT_TYPE)
                .withBody("{\"arguments\":" + arguments + "}").build();
    }

    /** A queue's own address, as the service reaches it (the sender user may not write there on RabbitMQ). */
    private String direct(String queue) {
        return BrokerAddresses.onBroker(addressPrefix.orElse(""), queue);
    }
}
