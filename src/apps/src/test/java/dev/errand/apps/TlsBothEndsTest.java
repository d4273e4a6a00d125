package dev.errand.apps;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asProducer;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.Simulator;
import dev.errand.embedded.LocalCertificate;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.RestAssuredConfig;
import io.restassured.config.SSLConfig;
import io.restassured.path.json.JsonPath;

/**
 * TLS at both ends, as docs/operations/security.md has a service turn it on: HTTPS only
 * ({@code quarkus.http.insecure-requests=disabled}, a certificate made for the run) and AMQPS to the
 * broker. The demo's own clients to its promotions and CRM simulators follow the service to
 * {@code https://} and trust its certificate, so a campaign grants every user and an export reaches
 * the CRM. Artemis only: the RabbitMQ of the RabbitMQ run (bench/rabbitmq) has no AMQPS listener.
 */
@QuarkusTest
@TestProfile(TlsBothEndsTest.HttpsOnlyOverAmqps.class)
class TlsBothEndsTest {

    /** The HTTP server's TLS configuration, which the demo's clients share; named as the docs name it. */
    static final String HTTPS = "https";

    public static class HttpsOnlyOverAmqps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            LocalCertificate certificate = certificateForTheRun();
            Map<String, String> overrides = new HashMap<>();
            overrides.put("quarkus.http.insecure-requests", "disabled");
            overrides.put("quarkus.http.test-ssl-port", "0");
            overrides.put("quarkus.http.tls-configuration-name", HTTPS);
            overrides.put("quarkus.tls." + HTTPS + ".key-store.p12.path", certificate.keyStore().toString());
            overrides.put("quarkus.tls." + HTTPS + ".key-store.p12.password", certificate.password());
            // A self-signed certificate: the service's clients (and this test) trust it by name.
            overrides.put("quarkus.tls." + HTTPS + ".trust-store.p12.path", certificate.trustStore().toString());
            overrides.put("quarkus.tls." + HTTPS + ".trust-store.p12.password", certificate.password());
            overrides.put("amqp-port", "${test.amqps-port}");
            overrides.put("errand.broker.tls-configuration-name", "broker");
            overrides.put("quarkus.tls.broker.trust-store.p12.path", "${test.amqps-trust-store}");
            overrides.put("quarkus.tls.broker.trust-store.p12.password", "${test.amqps-trust-store-password}");
            return overrides;
        }

        private static LocalCertificate certificateForTheRun() {
            try {
                return LocalCertificate.create(Files.createTempDirectory("errand-https-"), "service", Duration.ofDays(2));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private RestAssuredConfig plainConfig;

    /** Every request of this test goes to the TLS port and checks the service's certificate. */
    @BeforeEach
    void overHttps() {
        Config config = ConfigProvider.getConfig();
        plainConfig = RestAssured.config;
        RestAssured.baseURI = "https://127.0.0.1";
        RestAssured.port = config.getValue("quarkus.http.test-ssl-port", Integer.class);
        RestAssured.config = RestAssured.config().sslConfig(SSLConfig.sslConfig().trustStore(
                config.getValue("quarkus.tls." + HTTPS + ".trust-store.p12.path", String.class),
                config.getValue("quarkus.tls." + HTTPS + ".trust-store.p12.password", String.class)));
    }

    @AfterEach
    void backToPlain() {
        RestAssured.config = plainConfig;
    }

    @Test
    void aCampaignGrantsEveryUserThroughThePromotionsApiOverHttps() {
        Simulator.reset();
        long id = Campaigns.upload("over tls", "user_id\ntls-1\ntls-2\ntls-3\ntls-4\ntls-5\n");

        // Over plain HTTP the breaker opened and the campaign stayed at 0 granted.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals(5, Campaigns.progress(id).getInt("granted")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Campaigns.progress(id).getString("status").equals("COMPLETED"));
        assertEquals(5, Simulator.stat("coupons"));
    }

    @Test
    void anExportReachesTheCrmOverHttps() {
        Rows.execute("truncate crm_user, user_export");
        asAdmin().post("/simulator/crm/reset").then().statusCode(204);
        asProducer().queryParam("count", 5).post("/exports/users").then().statusCode(200);

        long exportId = asProducer().post("/exports").then().statusCode(202).extract().jsonPath().getLong("exportId");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> !asViewer()
                .get("/exports/{id}", exportId).then().statusCode(200).extract().jsonPath().getString("status")
                .equals("RUNNING"));

        JsonPath done = asViewer().get("/exports/{id}", exportId).then().extract().jsonPath();
        assertEquals("COMPLETED", done.getString("status"));
        assertEquals(5, done.getInt("exported"));
        assertEquals(5, asViewer().get("/simulator/crm/stats").jsonPath().getInt("contacts"));
    }
}
