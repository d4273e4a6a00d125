package dev.errand.internal.sending;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.errand.OutboundMessage;
import dev.errand.Sender;
import dev.errand.WireContract;
import dev.errand.internal.broker.BrokerAddresses;
import dev.errand.internal.broker.BrokerConfig;
import dev.errand.internal.contract.EventTypes;
import dev.errand.internal.contract.EventsConfig;
import dev.errand.internal.broker.BrokerProbe;
import dev.errand.internal.broker.RecentFlow;
import dev.errand.internal.metrics.ErrandMetrics;
import dev.errand.internal.tracing.Tracing;
import dev.errand.internal.time.ErrandClock;
import dev.errand.internal.trust.MessageSigner;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.amqp.OutgoingAmqpMetadata;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpMessageBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Sends messages to any address. The returned stage completes only when the broker has accepted
 * (stored) the message, and fails when it refused it or could not be reached: callers never report
 * success for a message the broker did not store.
 * <p>
 * On a broker with an anonymous relay (Artemis) everything goes through the connector's one link
 * without a target. On one without (RabbitMQ's AMQP 1.0 plugin before 4.0) it goes through
 * {@link LinkPerAddressSender}, one link per address.
 */
@ApplicationScoped
public class ErrandSender implements Sender {

    /** The outgoing channel; configured with {@code use-anonymous-sender=true}. */
    public static final String CHANNEL = "errand-outbound";

    private final Instance<OutboundChannel> connector;
    private final RecentFlow recent;
    private final ErrandMetrics metrics;
    private final Tracing tracing;
    private final BrokerProbe broker;
    private final LinkPerAddressSender links;
    private final String addressPrefix;
    private final EventsConfig events;
    private final MessageSigner signer;
    private final ErrandClock clock;

    public ErrandSender(Instance<OutboundChannel> connector, RecentFlow recent, ErrandMetrics metrics, Tracing tracing, BrokerProbe broker, LinkPerAddressSender links,
            BrokerConfig config, EventsConfig events, MessageSigner signer, ErrandClock clock) {
        this.signer = signer;
        this.clock = clock;
        this.events = events;
        this.connector = connector;
        this.recent = recent;
        this.metrics = metrics;
        this.tracing = tracing;
        this.broker = broker;
        this.links = links;
        this.addressPrefix = config.addressPrefix().orElse("");
    }

    /**
     * Sends a message signed as the service's own ({@link MessageSigner}): what a consumer of this
     * service trusts. Any signature it carried is replaced.
     */
    @Override
    public CompletionStage<Void> send(OutboundMessage outbound) {
        Map<String, Object> properties = new LinkedHashMap<>(outbound.properties());
        properties.remove(WireContract.SIGNATURE);
        properties.put(WireContract.SIGNATURE, signer.sign(MessageSigner.Purpose.MESSAGE, outbound.messageId(),
                outbound.subject(), outbound.correlationId(), outbound.body(), properties));
        return sendSigned(new OutboundMessage(outbound.address(), outbound.messageId(), outbound.subject(),
                outbound.correlationId(), outbound.priority(), outbound.body(), outbound.contentType(), properties,
                outbound.deliverAt()));
    }

    /** Sends a message that already carries its signature (a dead letter's, signed for the recorder). */
    public CompletionStage<Void> sendSigned(OutboundMessage outbound) {
        String address = address(outbound.address());
        Span span = tracing.startSending(address, outbound.messageId(), outbound.properties());
        Map<String, Object> properties = tracing.carrying(Context.current().with(span), outbound.properties());
        CompletionStage<Void> stored;
        try {
            stored = broker.capabilities().anonymousRelay()
                    ? throughConnector(outbound, address, properties)
                    : links.send(address, amqpMessage(outbound, address, properties));
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.whenComplete((done, error) -> {
            Tracing.endSending(span, error);
            if (error == null) {
                metrics.sent(outbound.address());
                recent.sent(outbound.address());
                // An event lands in each matching subscription's queue: that is what their depths (and
                // backpressure on them, where readings lag) must count.
                EventTypes.queuesReached(events, outbound.address(), outbound.subject()).forEach(recent::sent);
            }
        });
    }

    /**
     * The broker's form of an address: a queue name gets {@code errand.broker.address-prefix}
     * ({@code /amq/queue/} on RabbitMQ); an address that already has a form (starts with {@code /}) is
     * left as it is.
     */
    public String address(String address) {
        return BrokerAddresses.onBroker(addressPrefix, address);
    }

    private CompletionStage<Void> throughConnector(OutboundMessage outbound, String address,
            Map<String, Object> properties) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        OutgoingAmqpMetadata.OutgoingAmqpMetadataBuilder metadata = OutgoingAmqpMetadata.builder()
                .withAddress(address)
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
        String group = groupId(outbound);
        if (group != null) {
            metadata.withGroupId(group);
        }
        if (outbound.deliverAt() != null) {
            // The broker keeps the wall clock; a test that skipped time (ErrandClock) keeps the due time beside it.
            java.time.Instant onBroker = clock.onBroker(outbound.deliverAt());
            metadata.withMessageAnnotations(WireContract.DELIVERY_TIME_ANNOTATION, onBroker.toEpochMilli());
            if (!onBroker.equals(outbound.deliverAt())) {
                metadata.withMessageAnnotations(ErrandClock.DUE_ANNOTATION, outbound.deliverAt().toEpochMilli());
            }
        }
        if (!properties.isEmpty()) {
            metadata.withApplicationProperties(new JsonObject(new LinkedHashMap<>(properties)));
        }
        Message<Object> message = Message.of((Object) body(outbound))
                .addMetadata(metadata.build())
                .withAck(() -> {
                    stored.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(error -> {
                    stored.completeExceptionally(error);
                    return CompletableFuture.completedFuture(null);
                });
        connector.get().emitter().send(message);
        return stored;
    }

    /** The same message for a plain link: the fields the connector's metadata would have set. */
    private static AmqpMessage amqpMessage(OutboundMessage outbound, String address, Map<String, Object> properties) {
        AmqpMessageBuilder message = AmqpMessage.create()
                .address(address)
                .id(outbound.messageId())
                .durable(true)
                .priority((short) outbound.priority())
                .contentType(WireContract.sentContentType(outbound.contentType()))
                .creationTime(System.currentTimeMillis())
                .withBufferAsBody(body(outbound));
        if (outbound.subject() != null) {
            message.subject(outbound.subject());
        }
        if (outbound.correlationId() != null) {
            message.correlationId(outbound.correlationId());
        }
        String group = groupId(outbound);
        if (group != null) {
            message.groupId(group);
        }
        if (!properties.isEmpty()) {
            message.applicationProperties(new JsonObject(new LinkedHashMap<>(properties)));
        }
        // No delivery time: a broker without an anonymous relay (RabbitMQ's plugin) has no scheduled
        // delivery either, and retries wait in the consumer (see Delivery).
        return message.build();
    }

    /**
     * On Artemis a message group keeps a key on one consumer when several share the queue; the
     * consumer keeps the order among its own threads.
     */
    private static String groupId(OutboundMessage outbound) {
        Object orderingKey = outbound.properties().get(WireContract.ORDERING_KEY);
        return orderingKey == null ? null : orderingKey.toString();
    }

    /**
     * The body goes out as a data section of UTF-8 bytes under the message's own content-type, as the
     * wire contract asks; passing bytes keeps the connector from parsing and re-encoding the JSON.
     */
    private static Buffer body(OutboundMessage outbound) {
        return Buffer.buffer(outbound.body() == null ? "" : outbound.body());
    }
}
