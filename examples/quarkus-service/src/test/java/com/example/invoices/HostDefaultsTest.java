package com.example.invoices;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.quarkus.test.junit.QuarkusTest;

/** Adding Errand switches nothing on that this service did not ask for, and logs no error. */
@QuarkusTest
class HostDefaultsTest {

    @Inject
    OpenTelemetry openTelemetry;

    @Test
    void tracingExportsNothingUntilTheServiceNamesAnExporter() {
        // Quarkus' own default exports every span to localhost:4317, where nothing listens here, and
        // warns at each failed export. Flushing sends what waits at once: with no exporter, it succeeds.
        openTelemetry.getTracer("host-defaults-test").spanBuilder("probe").startSpan().end();
        ((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        // A failed export is logged as soon as the connection is refused, well within this.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> sinceThisStart().stream().noneMatch(line -> line.contains("Failed to export")));
    }

    @Test
    void nothingIsLoggedAtErrorWhileTheServiceStarts() throws Exception {
        List<String> lines = sinceThisStart();
        int started = lastIndexOf(lines, lines.size(), "powered by Quarkus");
        assertTrue(started >= 0, "the running service's start is in the log");
        List<String> start = lines.subList(0, started);
        assertEquals(List.of(), start.stream().filter(line -> line.contains(" ERROR ")).toList());
        assertEquals(1, start.stream().filter(line -> line.contains("quarkus-oidc")).count(),
                "the start says once that the operator endpoints are closed");
    }

    /** The log of the running service: it holds earlier starts too (other test profiles, earlier runs). */
    private static List<String> sinceThisStart() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("target/quarkus-test.log"));
        int started = lastIndexOf(lines, lines.size(), "powered by Quarkus");
        return lines.subList(lastIndexOf(lines, started, " stopped in ") + 1, lines.size());
    }

    private static int lastIndexOf(List<String> lines, int before, String text) {
        for (int i = before - 1; i >= 0; i--) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
