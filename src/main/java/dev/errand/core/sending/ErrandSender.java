package dev.errand.core.sending;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import dev.errand.core.contract.WireContract;
import dev.errand.core.metrics.ErrandMetrics;
import dev.errand.core.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.amqp.OutgoingAmqpMetadata;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Sends messages to any address through one anonymous-relay AMQP link. The returned stage completes
 * only when the broker has accepted (stored) the message, and fails when it refused it or could not
 * be reached: callers never report success for a message the broker did not store.
 */
@ApplicationScoped
public class ErrandSender {

    /** The outgoing channel; configured with {@code use-anonymous-sender=true}. */
    public static final String CHANNEL = "errand-outbound";

    private final Emitter<Object> emitter;
    private final ErrandMetrics metrics;
    private final Tracing tracing;

    // The emitter buffers what the link has no credit for yet; callers bound what they have in flight.
    public ErrandSender(@Channel(CHANNEL) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<Object> emitter,
            ErrandMetrics metrics, Tracing tracing) {
        this.emitter = emitter;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    public CompletionStage<Void> send(OutboundMessage outbound) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        OutgoingAmqpMetadata.OutgoingAmqpMetadataBuilder metadata = OutgoingAmqpMetadata.builder()
                .withAddress(outbound.address())
                .withMessageId(outbound.messageId())
                .withDurable(true)
                .withPriority((short) outbound.priority())
                .withContentType(WireContract.sentContentType(outbound.contentType()))
                // The broker measures a queue's lag (its oldest message's age) from this.
                .withCreationTime(System.currentTimeMillis());
        if (outbound.subject() != null) {
            metadata.withSubject(outbound.subject());
        }
        if (outbound.correlationId() != null) {
            metadata.withCorrelationId(outbound.correlationId());
        }
        Object orderingKey = outbound.properties().get(WireContract.ORDERING_KEY);
        if (orderingKey != null) {
            // On Artemis a message group keeps a key on one consumer when several share the queue; the
            // consumer keeps the order among its own threads.
            metadata.withGroupId(orderingKey.toString());
        }
        if (outbound.deliverAt() != null) {
            metadata.withMessageAnnotations(WireContract.DELIVERY_TIME_ANNOTATION, outbound.deliverAt().toEpochMilli());
        }
        Span span = tracing.startSending(outbound.address(), outbound.messageId(), outbound.properties());
        Map<String, Object> properties = tracing.carrying(Context.current().with(span), outbound.properties());
        if (!properties.isEmpty()) {
            metadata.withApplicationProperties(new JsonObject(new java.util.LinkedHashMap<>(properties)));
        }
        Object payload = body(outbound);
        Message<Object> message = Message.of(payload)
                .addMetadata(metadata.build())
                .withAck(() -> {
                    metrics.sent(outbound.address());
                    Tracing.endSending(span, null);
                    stored.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(error -> {
                    Tracing.endSending(span, error);
                    stored.completeExceptionally(error);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            Tracing.endSending(span, e);
            stored.completeExceptionally(e);
        }
        return stored;
    }

    /**
     * The body goes out as a data section of UTF-8 bytes under the message's own content-type, as the
     * wire contract asks; passing bytes keeps the connector from parsing and re-encoding the JSON.
     */
    private static Object body(OutboundMessage outbound) {
        return Buffer.buffer(outbound.body() == null ? "" : outbound.body());
    }
}
