package dev.errand.it.broker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.errand.testing.AnySender;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.it.work.TestWorkProcessor;
import dev.errand.it.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.core.Vertx;

/**
 * The service talks to its broker over AMQPS only (the embedded test broker's TLS acceptor, with a
 * certificate made for the run), verifying the broker's certificate against the configured trust
 * store: work is consumed and Errand's own clients (probe, depths) work, while a client that does not
 * trust that certificate is refused.
 */
@QuarkusTest
@TestProfile(BrokerTlsTest.OverTls.class)
class BrokerTlsTest {

    /** Every connection of the service to the broker goes to the AMQPS acceptor. */
    public static class OverTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("amqp-port", "${test.amqps-port}",
                    "errand.broker.tls-configuration-name", "broker",
                    "quarkus.tls.broker.trust-store.p12.path", "${test.amqps-trust-store}",
                    "quarkus.tls.broker.trust-store.p12.password", "${test.amqps-trust-store-password}");
        }
    }

    @Inject
    WorkLog log;

    @Test
    void workIsConsumedOverTlsAndErrandsOwnClientsReadTheBroker() {
        String id = "tls-" + UUID.randomUUID();
        try (AnySender sender = new AnySender()) {
            sender.send(TestWorkProcessor.PARALLEL_QUEUE, TestWorkMessages.work(id).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> log.succeeded().stream().anyMatch(a -> a.id().equals(id)));
        // The readiness checks ask the broker through Errand's own AMQP clients.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void aClientThatDoesNotTrustTheBrokersCertificateIsRefused() {
        Vertx vertx = Vertx.vertx();
        try {
            AmqpClientOptions untrusting = new AmqpClientOptions().setHost("127.0.0.1")
                    .setPort(ConfigProvider.getConfig().getValue("test.amqps-port", Integer.class))
                    .setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                    .setUsername(AnySender.senderUsername()).setPassword(AnySender.senderPassword());
            assertThrows(Exception.class, () -> AmqpClient.create(vertx, untrusting).connect().toCompletionStage()
                    .toCompletableFuture().get(20, TimeUnit.SECONDS));
        } finally {
            vertx.close();
        }
    }
}
