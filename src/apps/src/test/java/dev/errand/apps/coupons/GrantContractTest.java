package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.WireContract;
import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.GrantMessages;
import dev.errand.apps.testing.Simulator;
import dev.errand.internal.deadletter.DeadLetter;
import dev.errand.internal.deadletter.DeadLetterRepository;
import dev.errand.DeadLetterStatus;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A grant that breaks the wire contract is dead-lettered under its campaign, with a reason that says
 * what to fix, and the grant behind it is still made. (The module's own contract checks, without the
 * coupon app: {@code dev.errand.it.contract.ContractViolationTest}, src/module/integration-tests.)
 */
@BothBrokers
@QuarkusTest
class GrantContractTest {

    @Inject
    DeadLetterRepository deadLetters;

    long campaign;

    @BeforeEach
    void setUp() {
        Simulator.reset();
        campaign = Campaigns.anEmptyCampaign();
    }

    @Test
    void aMessageWithoutMessageIdIsDeadLetteredAndTheNextOneIsProcessed() {
        GrantMessages poison = GrantMessages.aGrant(campaign).withoutMessageId();
        assertPoisonIsDeadLetteredAndNextIsGranted(poison, "message-id is missing");
    }

    @Test
    void aBodyThatIsNotJsonIsDeadLetteredAndTheNextOneIsProcessed() {
        GrantMessages poison = GrantMessages.aGrant(campaign).withContentType("text/plain").withBody("user 42 please");
        assertPoisonIsDeadLetteredAndNextIsGranted(poison, "content-type must be application/json");
    }

    @Test
    void aBodyWithMissingFieldsIsDeadLetteredAndTheNextOneIsProcessed() {
        GrantMessages poison = GrantMessages.aGrant(campaign).withBody("{\"campaignId\": " + campaign + "}");
        assertPoisonIsDeadLetteredAndNextIsGranted(poison, "userId must not be null");
    }

    @Test
    void aBodyOfTheWrongShapeIsDeadLetteredAndTheNextOneIsProcessed() {
        GrantMessages poison = GrantMessages.aGrant(campaign).withBody("[1, 2, 3]");
        assertPoisonIsDeadLetteredAndNextIsGranted(poison, "is not a valid GrantCoupon JSON object");
    }

    @Test
    void aBodyOverTheSizeLimitIsDeadLetteredAndTheNextOneIsProcessed() {
        String huge = "{\"campaignId\": " + campaign + ", \"userId\": \"u\", \"amountCents\": 1, \"pad\": \""
                + "x".repeat(WireContract.MAX_BODY_BYTES) + "\"}";
        GrantMessages poison = GrantMessages.aGrant(campaign).withBody(huge);
        assertPoisonIsDeadLetteredAndNextIsGranted(poison, "more than the limit of " + WireContract.MAX_BODY_BYTES);
    }

    @Test
    void aGrantForSomeoneWhoIsNotARecipientIsDeadLetteredBeforeThePromotionsApiIsCalled() {
        // Not built by GrantMessages, which would make the user a recipient as an upload does.
        String stranger = "stranger-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (AnySender sender = new AnySender()) {
            sender.send(CouponChannels.GRANTS_QUEUE, dev.errand.apps.testing.ServiceSignature.signed(io.vertx.amqp.AmqpMessage.create()
                    .id(CouponChannels.messageId(campaign, stranger)).subject(CouponChannels.GRANT_SUBJECT)
                    .correlationId(CouponChannels.correlationId(campaign)).contentType(WireContract.CONTENT_TYPE)
                    .withBody(new io.vertx.core.json.JsonObject().put("campaignId", campaign).put("userId", stranger)
                            .put("amountCents", 1500).encode())
                    .build()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterOfCampaign() != null);
        org.hamcrest.MatcherAssert.assertThat(deadLetterOfCampaign().errorMessage, containsString("not a recipient"));
        org.junit.jupiter.api.Assertions.assertEquals(0, Simulator.stat("requests"), "calls to the promotions API");
    }

    private void assertPoisonIsDeadLetteredAndNextIsGranted(GrantMessages poison, String expectedReason) {
        GrantMessages next = GrantMessages.aGrant(campaign);
        try (AnySender sender = new AnySender()) {
            poison.sendWith(sender);
            next.sendWith(sender);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Campaigns.progress(campaign).getInt("granted") == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterOfCampaign() != null);
        DeadLetter letter = deadLetterOfCampaign();
        org.junit.jupiter.api.Assertions.assertAll(
                () -> org.junit.jupiter.api.Assertions.assertEquals("contract-violation", letter.reason),
                () -> org.hamcrest.MatcherAssert.assertThat(letter.errorMessage, containsString(expectedReason)),
                () -> org.junit.jupiter.api.Assertions.assertEquals(CouponChannels.GRANTS_QUEUE, letter.originalAddress),
                () -> org.junit.jupiter.api.Assertions.assertEquals(CouponChannels.GRANTS, letter.consumer),
                () -> org.junit.jupiter.api.Assertions.assertEquals(1, letter.attempts),
                () -> org.junit.jupiter.api.Assertions.assertNotNull(letter.firstFailureAt));
        asViewer().get("/errand/dead-letters/{id}", letter.id).then().statusCode(200)
                .body("queue", equalTo(CouponChannels.GRANTS_QUEUE))
                .body("reason", equalTo("contract-violation"));
    }

    private DeadLetter deadLetterOfCampaign() {
        return QuarkusTransaction.requiringNew().call(() -> deadLetters
                .listByCorrelation(CouponChannels.correlationId(campaign), java.util.List.of(DeadLetterStatus.DEAD_LETTERED))
                .stream().findFirst().orElse(null));
    }
}
