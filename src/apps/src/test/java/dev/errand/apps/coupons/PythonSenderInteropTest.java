package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Python;
import dev.errand.testing.Repository;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A sender in another language, written from the wire contract alone: examples/python/send_grants.py
 * with Debian's Qpid Proton, against the real broker.
 */
@BothBrokers
@QuarkusTest
class PythonSenderInteropTest {

    private static final int USERS = 200;

    @ConfigProperty(name = "amqp-host")
    String host;

    @ConfigProperty(name = "amqp-port")
    int port;

    // The least-privileged sender user where the broker has one: what an outside sender gets.
    String user = AnySender.senderUsername();

    String password = AnySender.senderPassword();

    @BeforeEach
    void freshSimulator() {
        Simulator.reset();
    }

    @Test
    void everyMessageOfAPythonSenderIsProcessedExactlyOnceAndItsPoisonIsDeadLettered() throws Exception {
        long campaign = Campaigns.anEmptyCampaign();
        // The users the script grants to, made the campaign's recipients as an upload would.
        Rows.execute("insert into campaign_recipient (campaign_id, user_id)"
                + " select ?, 'py-user-' || lpad(n::text, 5, '0') from generate_series(0, ? - 1) n", campaign, USERS);

        String printed = Python.run(Repository.path("examples/python/send_grants.py"),
                "--url", "amqp://" + host + ":" + port, "--user", user, "--password", password,
                "--campaign", Long.toString(campaign), "--users", Integer.toString(USERS), "--twice", "--poison",
                "--address", AnySender.senderAddressPrefix() + CouponChannels.GRANTS_QUEUE);

        assertTrue(printed.contains("\"sent\": " + (2 * USERS + 1)), printed);
        await().atMost(Duration.ofSeconds(60)).until(() -> Campaigns.progress(campaign).getInt("granted") == USERS);
        // Each of the 200 users reached the promotions API once, although every message came twice.
        JsonPath stats = Simulator.stats();
        assertEquals(USERS, stats.getLong("requests"), "calls to the promotions API");
        assertEquals(USERS, stats.getLong("coupons"));
        assertEquals(0, stats.getLong("duplicateCoupons"));
        String poison = CouponChannels.messageId(campaign, "poison");
        await().atMost(Duration.ofSeconds(30)).until(() -> asViewer().queryParam("size", 500).get("/errand/dead-letters")
                .jsonPath().getList("items.findAll { it.messageId == '" + poison + "' }").size() == 1);
        asViewer().queryParam("size", 500).get("/errand/dead-letters").then()
                .body("items.find { it.messageId == '" + poison + "' }.reason", equalTo("contract-violation"))
                .body("items.find { it.messageId == '" + poison + "' }.errorMessage", containsString("not a valid"));
    }
}
