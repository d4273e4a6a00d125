package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * With adaptive concurrency the coupon consumer finds how much the promotions API takes at once,
 * without being told: it grows while calls succeed and shrinks on the API's 429s.
 */
@BothBrokers
@QuarkusTest
@TestProfile(AdaptiveConcurrencyTest.Adaptive.class)
class AdaptiveConcurrencyTest {

    private static final Logger LOG = Logger.getLogger(AdaptiveConcurrencyTest.class);
    private static final int CAPACITY = 8;
    private static final int USERS = 3000;

    /** Starts at 2 concurrent calls, may go up to the consumer's 64. */
    public static class Adaptive implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("errand.consumers.coupon-grants.adaptive-concurrency.enabled", "true",
                    "errand.consumers.coupon-grants.adaptive-concurrency.initial", "2",
                    "errand.consumers.coupon-grants.adaptive-concurrency.window", "10",
                    // The test polls the campaign every 20 ms, which is foreground: on a loaded machine
                    // foreground first held the background below the API's capacity (peak limit 13, yet
                    // 0 calls over capacity), and this test is about the consumer's own limit.
                    "errand.foreground.enabled", "false");
        }
    }

    @Inject
    CircuitBreakerMaintenance breakers;

    @AfterEach
    void healthyApi() {
        Simulator.reset();
        breakers.resetAll();
    }

    @Test
    void theConsumerFindsTheApisCapacityWithoutBeingTold() {
        Simulator.reset();
        Simulator.configure(Map.of("capacity", CAPACITY, "latencyMs", 20));
        String csv = "user_id\n" + IntStream.range(0, USERS).mapToObj(i -> "adaptive-" + i)
                .collect(Collectors.joining("\n"));
        long campaign = Campaigns.upload("adaptive", csv);

        List<Integer> limits = new ArrayList<>();
        // Sampled often: the limit stands above the capacity only briefly before it is cut (a 100 ms
        // sampling missed it once on RabbitMQ).
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            limits.add(limit());
            return "COMPLETED".equals(Campaigns.progress(campaign).getString("status"));
        });

        assertEquals(USERS, Campaigns.progress(campaign).getInt("granted"));
        assertEquals(0, Campaigns.progress(campaign).getInt("deadLettered"));
        int peak = limits.stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<Integer> settled = limits.subList(limits.size() / 2, limits.size());
        double settledMean = settled.stream().mapToInt(Integer::intValue).average().orElseThrow();
        long overCapacity = Simulator.stat("overCapacity");
        long requests = Simulator.stat("requests");
        LOG.infof("Adaptive limit: started at 2, peaked at %d, averaged %.1f once settled against a capacity of %d; "
                + "%d of %d calls over capacity", peak, settledMean, CAPACITY, overCapacity, requests);
        // It probed past the capacity (that is how it learns where it is) ...
        assertTrue(peak > CAPACITY, "peak " + peak);
        assertTrue(overCapacity > 0, "it met the API's limit");
        // ... and settled around it: additive increase to 9, then 9 * 0.7 = 6, so between 6 and 9.
        assertTrue(settledMean >= CAPACITY * 0.5 && settledMean <= CAPACITY * 1.5, "settled at " + settledMean);
        assertTrue(overCapacity < requests / 4, overCapacity + " of " + requests + " calls refused");
    }

    private static int limit() {
        Integer limit = asViewer().get("/errand/consumers").jsonPath()
                .get("find { it.channel == '" + CouponChannels.GRANTS + "' }.concurrencyLimit");
        return limit == null ? 0 : limit;
    }
}
