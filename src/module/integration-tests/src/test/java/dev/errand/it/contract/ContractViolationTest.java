package dev.errand.it.contract;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.errand.WireContract;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.RabbitMq;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each way of breaking the wire contract ends on the dead-letter queue with a reason that says what
 * to fix, the handler never sees it, and the message behind it is still processed: the module alone,
 * on a test handler.
 */
@BothBrokers
@QuarkusTest
class ContractViolationTest {

    @Inject
    WorkLog log;

    String test;

    @BeforeEach
    void aFreshLogAndCorrelation() {
        log.clear();
        test = "contract-" + UUID.randomUUID();
    }

    @Test
    void aMessageWithoutMessageIdIsDeadLetteredAndTheNextOneIsProcessed() {
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison").withoutMessageId(),
                "message-id is missing");
    }

    @Test
    void aBodyThatIsNotJsonIsDeadLetteredAndTheNextOneIsProcessed() {
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison").withContentType("text/plain")
                .withBody("work 42 please"), "content-type must be application/json");
    }

    @Test
    void aStringValueThatIsNotJsonButLabelledJsonIsDeadLetteredAndTheNextOneIsProcessed() {
        // Exactly "application/json" on an AMQP string value: the connector leaves it to Errand. (In a
        // data section the connector decodes it itself; see the wire contract's known limit.)
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison").withContentType("application/json")
                .withBody("work 42 please").asAmqpValue(), "body is not a valid TestWork JSON object");
    }

    @Test
    @EnabledIfSystemProperty(named = RabbitMq.SELECTED, matches = "rabbitmq")
    void onRabbitMqADataSectionThatIsNotJsonButLabelledJsonIsDeadLetteredAndTheNextOneIsProcessed() {
        // There Errand's own receiver hands every body over as it came, so the known limit does not apply.
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison").withContentType("application/json")
                .withBody("work 42 please"), "body is not a valid TestWork JSON object");
    }

    @Test
    void aBodyWithMissingFieldsIsDeadLetteredAndTheNextOneIsProcessed() {
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison").withBody("{\"failures\": 0}"),
                "id must not be blank");
    }

    @Test
    void aBodyOfTheWrongShapeIsDeadLetteredAndTheNextOneIsProcessed() {
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison").withBody("[1, 2, 3]"),
                "is not a valid TestWork JSON object");
    }

    @Test
    void aBodyOverTheSizeLimitIsDeadLetteredAndTheNextOneIsProcessed() {
        String huge = "{\"id\": \"big\", \"pad\": \"" + "x".repeat(WireContract.MAX_BODY_BYTES) + "\"}";
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison").withBody(huge),
                "more than the limit of " + WireContract.MAX_BODY_BYTES);
    }

    @Test
    void aMessageIdWithANulIsDeadLetteredRecordedInASafeFormAndTheNextOneIsProcessed() {
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison\u0000x"),
                "message-id contains the control character U+0000");
        Map<String, Object> letter = deadLetters().get(0);
        assertEquals("test-work:" + test + "-poison\\u0000x", letter.get("messageId"));
    }

    @Test
    void aBodyTextWithANulIsDeadLetteredAndTheNextOneIsProcessed() {
        assertDeadLetteredAndNextProcessed(TestWorkMessages.work(test + "-poison")
                .withBody("{\"id\": \"a\\u0000b\", \"failures\": 0}"), "must not contain the NUL character");
    }

    private void assertDeadLetteredAndNextProcessed(TestWorkMessages poison, String expectedReason) {
        TestWorkMessages next = TestWorkMessages.work(test + "-next");
        try (AnySender sender = new AnySender()) {
            sender.send(TestWorkProcessor.ONCE_QUEUE, poison.correlatedBy(test).build());
            sender.send(TestWorkProcessor.ONCE_QUEUE, next.build());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> log.succeeded().stream()
                .anyMatch(attempt -> attempt.id().equals(test + "-next")));
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().size() == 1);
        Map<String, Object> letter = deadLetters().get(0);
        assertEquals("contract-violation", letter.get("reason"));
        org.hamcrest.MatcherAssert.assertThat((String) letter.get("errorMessage"), containsString(expectedReason));
        assertEquals(TestWorkProcessor.ONCE_QUEUE, letter.get("queue"));
        assertEquals(TestWorkProcessor.ONCE, letter.get("consumer"));
        assertEquals(1, ((Number) letter.get("attempts")).intValue());
        asViewer().get("/errand/dead-letters/{id}", ((Number) letter.get("id")).longValue()).then().statusCode(200)
                .body("reason", equalTo("contract-violation"));
        // The handler never ran for the poison: the only work it saw is the next message.
        assertEquals(List.of(test + "-next"), log.attempts().stream().map(WorkLog.Attempt::id).toList());
    }

    private List<Map<String, Object>> deadLetters() {
        return asViewer().queryParam("queue", TestWorkProcessor.ONCE_QUEUE).queryParam("size", 500)
                .get("/errand/dead-letters").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.correlationId == '" + test + "' }");
    }
}
