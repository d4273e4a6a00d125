package dev.errand.apps.signups;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.RabbitMq;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiver;

/**
 * RabbitMQ has no message groups, so one user's sign-up work stays in order across instances only
 * because its queue has a single active consumer (bench/rabbitmq/definitions.json). A second
 * instance attached to the queue gets nothing while the first one is consuming.
 */
@BothBrokers
@QuarkusTest
@EnabledIfSystemProperty(named = RabbitMq.SELECTED, matches = "rabbitmq")
class SignupInstancesTest {

    @Test
    void aSecondInstanceGetsNoSignupWorkWhileTheFirstIsConsuming() {
        List<AmqpMessage> stolen = new CopyOnWriteArrayList<>();
        List<Long> ids;
        // This service's consumer first (it may be reconnecting after an earlier test's broker outage):
        // the first consumer attached is the active one.
        await().atMost(Duration.ofSeconds(30)).until(() -> RabbitMq.consumers(SignupChannels.SIGNUPS_QUEUE) >= 1);
        try (AnySender secondInstance = AnySender.asService()) {
            AmqpReceiver receiver = secondInstance.receiveWithoutSettling("/amq/queue/" + SignupChannels.SIGNUPS_QUEUE,
                    stolen);
            String run = UUID.randomUUID().toString().substring(0, 8);
            ids = IntStream.range(0, 20).mapToObj(i -> given().contentType(ContentType.JSON)
                    .body(Map.of("email", "sac" + i + "-" + run + "@example.com", "name", "Second Instance"))
                    .post("/signups").then().statusCode(202).extract().jsonPath().getLong("accountId")).toList();

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
}
