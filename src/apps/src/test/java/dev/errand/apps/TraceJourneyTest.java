package dev.errand.apps;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.coupons.CouponChannels;
import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.GrantMessages;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * One trace shows the whole journey of a piece of work: from the REST call (or the sender) that
 * produced it, through the message's {@code traceparent}, to the handler and its downstream calls.
 */
@BothBrokers
@QuarkusTest
class TraceJourneyTest {

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void freshSimulator() {
        Simulator.reset();
    }

    @Test
    void anOrdersTraceRunsFromThePostThroughTheOutboxToTheWorker() {
        String traceId = randomTraceId();
        given().header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .contentType(ContentType.JSON)
                .body(Map.of("customerEmail", "traced@example.com", "lines", List.of(Map.of("sku", "STK-01", "quantity", 1))))
                .post("/orders").then().statusCode(202);

        SpanData processing = awaitSpan(traceId, span -> span.getName().equals("orders process"));
        SpanData post = span(traceId, span -> span.getKind() == SpanKind.SERVER && span.getName().contains("/orders"))
                .orElseThrow(() -> new AssertionError("no server span for POST /orders in " + names(traceId)));
        SpanData sent = span(traceId, span -> span.getKind() == SpanKind.PRODUCER)
                .orElseThrow(() -> new AssertionError("no send span in " + names(traceId)));
        assertEquals("succeeded", processing.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("errand.outcome")).findFirst().orElseThrow().getValue());
        // Each hop is a descendant of the one before: the POST, the relay's send, the handler's run.
        assertTrue(descendsFrom(sent, post, traceId), "the send descends from the POST: " + names(traceId));
        assertTrue(descendsFrom(processing, sent, traceId), "the handler descends from the send: " + names(traceId));
    }

    @Test
    void aSendersTraceContextReachesTheHandlersDownstreamCall() {
        long campaign = Campaigns.anEmptyCampaign();
        String traceId = randomTraceId();
        try (AnySender sender = new AnySender()) {
            GrantMessages.aGrant(campaign).withTraceparent("00-" + traceId + "-b7ad6b7169203331-01").sendWith(sender);
        }

        SpanData processing = awaitSpan(traceId,
                span -> span.getName().equals(CouponChannels.GRANTS + " process"));
        // The promotions API call made by the handler, and the simulator's side of it.
        SpanData call = awaitSpan(traceId, span -> span.getKind() == SpanKind.CLIENT);
        SpanData served = awaitSpan(traceId,
                span -> span.getKind() == SpanKind.SERVER && span.getName().contains("/simulator/promo/grants"));
        assertTrue(descendsFrom(call, processing, traceId), "the call descends from the handler: " + names(traceId));
        assertTrue(descendsFrom(served, call, traceId), "the simulator serves that call: " + names(traceId));
    }

    private SpanData awaitSpan(String traceId, Predicate<SpanData> which) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> span(traceId, which), Optional::isPresent)
                .orElseThrow();
    }

    private Optional<SpanData> span(String traceId, Predicate<SpanData> which) {
        return inTrace(traceId).stream().filter(which).findFirst();
    }

    private List<SpanData> inTrace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    private boolean descendsFrom(SpanData child, SpanData ancestor, String traceId) {
        List<SpanData> trace = inTrace(traceId);
        String parent = child.getParentSpanId();
        for (int hops = 0; hops < 20 && parent != null; hops++) {
            if (parent.equals(ancestor.getSpanId())) {
                return true;
            }
            String current = parent;
            parent = trace.stream().filter(span -> span.getSpanId().equals(current)).findFirst()
                    .map(SpanData::getParentSpanId).orElse(null);
        }
        return false;
    }

    private String names(String traceId) {
        return inTrace(traceId).stream().map(span -> span.getKind() + " " + span.getName() + " " + span.getSpanId()
                + "<-" + span.getParentSpanId()).toList().toString();
    }

    private static String randomTraceId() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }
}
