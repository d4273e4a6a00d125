package dev.errand.apps.bench;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.Broker;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;

/** bench/throughput.sh's harness: a paused consumer's queue filled, then drained once per message. */
@QuarkusTest
class BenchResourceTest {

    @Inject
    EntityManager em;

    @AfterEach
    void resumed() {
        asAdmin().post("/errand/consumers/" + BenchHandlers.INSERT + "/resume");
    }

    @Test
    void aFilledQueueWaitsWhilePausedAndIsHandledOnceEachOnResume() {
        String run = "t" + System.nanoTime();
        long before = asAdmin().get("/bench/" + BenchHandlers.INSERT).then().statusCode(200)
                .extract().jsonPath().getLong("handled");
        asAdmin().post("/errand/consumers/" + BenchHandlers.INSERT + "/pause").then().statusCode(200);
        asAdmin().post("/bench/" + BenchHandlers.INSERT + "/fill?count=200&run=" + run).then().statusCode(200)
                .body("sent", equalTo(200));
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth("errand." + BenchHandlers.INSERT) == 200);

        asAdmin().post("/errand/consumers/" + BenchHandlers.INSERT + "/resume").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count(em,
                "select count(*) from bench_item where message_id like ?1", "bench-" + run + "-%") == 200);
        asAdmin().get("/bench/" + BenchHandlers.INSERT).then().body("handled", equalTo((int) before + 200));
        await().atMost(Duration.ofSeconds(10)).until(() -> Broker.depth("errand." + BenchHandlers.INSERT) == 0);
    }

    @Test
    void badFillsAreProblemsAndOnlyAnAdminMayFill() {
        asAdmin().post("/bench/" + BenchHandlers.NOOP + "/fill?count=0").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("/problems/bench-count"));
        asAdmin().post("/bench/" + BenchHandlers.NOOP + "/fill?count=1&run=no%20spaces").then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().post("/bench/orders/fill?count=1").then().statusCode(404).contentType("application/problem+json");
        asViewer().post("/bench/" + BenchHandlers.NOOP + "/fill?count=1").then().statusCode(403);
    }
}
