package dev.errand.it.foreground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.internal.flow.BackgroundPermits;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The measurement of {@link ForegroundFirstTest} with foreground first switched off: the handlers take
 * the cores, and the requests' p99 breaches the same bound. Artemis only: nothing here depends on the
 * broker, and it costs a start of its own.
 */
@QuarkusTest
@TestProfile(ForegroundFirstOffTest.Off.class)
class ForegroundFirstOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("errand.foreground.enabled", "false");
        }
    }

    @TestHTTPResource("/it/compute")
    URI compute;

    @Inject
    BusyWork busy;

    @Inject
    BackgroundPermits permits;

    @Test
    void withForegroundFirstOffTheSameHandlersTakeTheCoresAndRequestsBreachTheirBound() throws Exception {
        BusyBackground.Measured measured = BusyBackground.measure(compute, busy, permits);

        assertEquals(measured.ceiling(), measured.lowestLimit(), "nothing held back");
        assertTrue(measured.requests().p99() > BusyBackground.P99_BOUND_MILLIS,
                "p99 over " + BusyBackground.P99_BOUND_MILLIS + " ms: " + measured.requests());
    }
}
