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
import dev.errand.internal.foreground.ForegroundFirst;
import dev.errand.testing.BothBrokers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Foreground first: while sixteen CPU-bound handlers drain a full queue in the same JVM, the service's
 * requests keep answering within their target, because the background yields the cores to them.
 * The same load with the controller switched off, in the same service, shows the requests' bound breached.
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

    @Inject
    ForegroundFirst foreground;

    @Test
    void requestsStayWithinTheirTargetWhileCpuBoundHandlersDrainBecauseTheBackgroundYields() throws Exception {
        // The same service, the same load, first with the controller switched off.
        foreground.switchOn(false);
        BusyBackground.Measured off;
        try {
            off = BusyBackground.measure(compute, busy, permits, foreground);
        } finally {
            foreground.switchOn(true);
        }
        BusyBackground.Measured on = BusyBackground.measure(compute, busy, permits, foreground);
        // The figures, for the record of a run (the assertions below bound them generously).
        System.out.printf("Foreground first switched off: %s%nForeground first on: %s%n", off, on);

        assertEquals(0, off.requests().failed() + on.requests().failed(), "off: " + off + "; on: " + on);
        assertEquals(off.ceiling(), off.lowestLimit(), "switched off, nothing held back: " + off);
        assertTrue(off.requests().p99() > BusyBackground.P99_BOUND_MILLIS,
                "switched off, the handlers take the cores: p99 over " + BusyBackground.P99_BOUND_MILLIS + " ms: " + off);
        assertTrue(on.requests().p99() < BusyBackground.P99_BOUND_MILLIS,
                "on, p99 within " + BusyBackground.P99_BOUND_MILLIS + " ms: " + on + " (off: " + off.requests() + ")");
        assertTrue(on.lowestLimit() < 16, "the background was held back below the handlers' 16: " + on);
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
