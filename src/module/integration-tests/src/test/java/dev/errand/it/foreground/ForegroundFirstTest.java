package dev.errand.it.foreground;

import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.internal.flow.BackgroundPermits;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Foreground first: while sixteen CPU-bound handlers drain a full queue in the same JVM, the service's
 * requests keep answering within their target, because the background yields the cores to them.
 * {@link ForegroundFirstOffTest} is the same load with the controller off.
 */
@BothBrokers
@QuarkusTest
class ForegroundFirstTest {

    @TestHTTPResource("/it/compute")
    URI compute;

    @Inject
    BusyWork busy;

    @Inject
    BackgroundPermits permits;

    @Test
    void requestsStayWithinTheirTargetWhileCpuBoundHandlersDrainBecauseTheBackgroundYields() throws Exception {
        BusyBackground.Measured measured = BusyBackground.measure(compute, busy, permits);

        assertEquals(0, measured.requests().failed(), measured.requests().toString());
        assertTrue(measured.requests().p99() < BusyBackground.P99_BOUND_MILLIS,
                "p99 within " + BusyBackground.P99_BOUND_MILLIS + " ms: " + measured.requests());
        assertTrue(measured.lowestLimit() < measured.ceiling() / 4,
                "the background was held back: lowest limit " + measured.lowestLimit() + " of " + measured.ceiling());
    }

    @Test
    void theBackgroundsLimitAndWhatTheControllerSawAreOnTheDashboardAndInTheMetrics() {
        asViewer().get("/errand/dashboard").then().statusCode(200)
                .body("background.enabled", equalTo(true))
                .body("background.ceiling", greaterThanOrEqualTo(16))
                .body("background.targetMillis", equalTo(20.0f))
                .body("background.summary", containsString("background"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("errand_background_limit "))
                .body(containsString("errand_background_in_use "))
                .body(containsString("errand_foreground_latency_seconds "))
                .body(containsString("errand_foreground_event_loop_delay_seconds "));
    }
}
