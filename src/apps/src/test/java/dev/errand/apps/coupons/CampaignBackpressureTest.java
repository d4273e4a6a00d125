package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asProducer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.Simulator;
import dev.errand.internal.backpressure.Backpressure;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Broker;
import io.quarkus.test.junit.QuarkusTest;

/** The grants queue cannot grow without bound: uploads are refused and enqueuing waits while it is full. */
@BothBrokers
@QuarkusTest
class CampaignBackpressureTest {

    @BeforeEach
    void healthyApi() {
        Simulator.reset();
    }

    @Inject
    Backpressure backpressure;

    /** Deliveries back, and the full queue's depth forgotten so the next upload is not refused on it. */
    @AfterEach
    void deliveriesBack() {
        Broker.resume(CouponChannels.GRANTS_QUEUE);
        // Even when the test failed half-way: the next test class must not meet a full queue.
        await().atMost(Duration.ofSeconds(90)).until(() -> Broker.depth(CouponChannels.GRANTS_QUEUE) == 0);
        backpressure.forget();
    }

    @Test
    void enqueuingWaitsAndUploadsAreRefusedWhileTheQueueIsFull() {
        // Deliveries paused, so the queue only grows. The test profile allows 5,000 waiting grants.
        Broker.pause(CouponChannels.GRANTS_QUEUE);
        long campaign = Campaigns.upload("big", csv("bp-", 8000));

        // A batch of 2,000 goes out while the queue holds fewer than 5,000: at 0, 2,000 and 4,000; then
        // it holds 6,000 and the last 2,000 wait.
        await().atMost(Duration.ofSeconds(30)).until(() -> Campaigns.progress(campaign).getInt("enqueued") == 6000);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> Campaigns.progress(campaign).getInt("enqueued") == 6000);
        // Artemis answers at once; RabbitMQ's management API as of its last statistics, which fall
        // behind on a loaded machine (a CI run once saw them miss 10 s).
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(6000, Broker.depth(CouponChannels.GRANTS_QUEUE)));
        // And as backpressure reads it: a reading that failed (RabbitMQ's management API slow under a
        // loaded run) admits for a few seconds by design, which is not what this test is about.
        await().atMost(Duration.ofSeconds(30)).until(() -> !backpressure.hasRoom(CouponChannels.GRANTS_QUEUE));
        asProducer().contentType("text/csv").body(csv("late-", 10)).queryParam("name", "late")
                .queryParam("couponCents", 1500).post("/campaigns")
                .then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/overloaded"));

        Broker.resume(CouponChannels.GRANTS_QUEUE);
        // 8,000 grants: on RabbitMQ, on a loaded machine, this took over a minute once.
        await().atMost(Duration.ofSeconds(180)).until(() -> "COMPLETED".equals(Campaigns.progress(campaign)
                .getString("status")));
        assertEquals(8000, Campaigns.progress(campaign).getInt("granted"));
        assertEquals(0, Simulator.stat("duplicateCoupons"));
    }

    private static String csv(String prefix, int users) {
        return "user_id\n" + IntStream.range(0, users).mapToObj(i -> prefix + i).collect(Collectors.joining("\n"));
    }
}
