package dev.errand.internal.tracing;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.errand.internal.contract.Envelope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.smallrye.reactive.messaging.TracingMetadata;

/**
 * Carries the W3C trace context ({@code traceparent}, {@code tracestate} application properties)
 * across Errand's own hops, where the connector's tracing cannot see it: a message written to the
 * outbox in a REST call and sent later by the relay, a handler run on a consumer's thread rather
 * than the one that received the message, and the copies Errand sends for retries and dead letters.
 * <p>
 * With the SDK off ({@code quarkus.otel.sdk.disabled=true}, the default until the service names an
 * OTLP endpoint: {@link TracingDefaults}) the propagator is a no-op and all of this costs nothing.
 */
@ApplicationScoped
public class Tracing {

    private static final TextMapGetter<Map<String, Object>> PROPERTIES = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, Object> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, Object> carrier, String key) {
            Object value = carrier == null ? null : carrier.get(key);
            return value == null ? null : value.toString();
        }
    };

    private final TextMapPropagator propagator;
    private final Tracer tracer;

    public Tracing(OpenTelemetry openTelemetry) {
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.tracer = openTelemetry.getTracer("dev.errand");
    }

    /** The properties carrying the current trace context, for a message stored now and sent later. */
    public Map<String, Object> withCurrentContext(Map<String, Object> properties) {
        return carrying(Context.current(), properties);
    }

    /**
     * The trace a message about to be sent belongs to: the current span's when there is one (a REST
     * call, a handler sending a retry copy), else the one its properties carry (the outbox relay).
     */
    public Context parentOf(Map<String, Object> properties) {
        Context current = Context.current();
        if (Span.fromContext(current).getSpanContext().isValid()
                || propagator.fields().stream().noneMatch(properties::containsKey)) {
            return current;
        }
        return propagator.extract(Context.root(), properties, PROPERTIES);
    }

    /**
     * The properties carrying {@code parent}, replacing a context they carried before, so that even a
     * sender without tracing of its own passes the trace on. Unchanged when {@code parent} has no span.
     */
    public Map<String, Object> carrying(Context parent, Map<String, Object> properties) {
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return properties;
        }
        Map<String, Object> carried = new LinkedHashMap<>(properties);
        propagator.fields().forEach(carried::remove);
        propagator.inject(parent, carried, (carrier, key, value) -> carrier.put(key, value));
        return carried;
    }

    /**
     * Starts the span of one send, a child of {@link #parentOf}; it ends when the broker has stored
     * the message. Errand makes this span itself rather than leave it to the connector, whose tracing
     * decodes every JSON body it sends and so cannot send the dead letter of a body that is not JSON.
     */
    public Span startSending(String address, String messageId, Map<String, Object> properties) {
        return tracer.spanBuilder(address + " publish")
                .setParent(parentOf(properties))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "amqp")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", address)
                .setAttribute("messaging.message.id", messageId == null ? "" : messageId)
                .startSpan();
    }

    /** Ends a send span; {@code error} is why the broker did not store the message, or null. */
    public static void endSending(Span span, Throwable error) {
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, "not stored");
        }
        span.end();
    }

    /**
     * Starts the span of one run of a handler, a child of the connector's receive span (or of the
     * context in the message's properties), so the handler's downstream calls join the producer's trace.
     */
    public Span startProcessing(String consumer, Message<?> message, Envelope envelope, int attempt) {
        Context parent = TracingMetadata.fromMessage(message)
                .map(TracingMetadata::getCurrentContext)
                .orElseGet(() -> propagator.extract(Context.root(), envelope.properties(), PROPERTIES));
        return tracer.spanBuilder(consumer + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "amqp")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", envelope.address() == null ? consumer : envelope.address())
                .setAttribute("messaging.message.id", envelope.messageId() == null ? "" : envelope.messageId())
                .setAttribute("errand.consumer", consumer)
                .setAttribute("errand.attempt", attempt)
                .startSpan();
    }

    /** Ends a processing span with the outcome's name, marking failures as errors. */
    public static void end(Span span, String outcome, boolean failed) {
        span.setAttribute("errand.outcome", outcome);
        if (failed) {
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }
}
