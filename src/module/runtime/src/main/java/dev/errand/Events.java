package dev.errand;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.internal.events.EventTypes;
import dev.errand.internal.events.EventsConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Publishes events to every subscriber of their type ({@link Subscribe}).
 * <p>
 * An event goes through the outbox: published inside a transaction, it is sent if and only if that
 * transaction commits; published outside one, it is stored at once in a transaction of its own. Either
 * way it is on its way when {@code publish} returns, and it survives a crash before it is sent.
 * <pre>{@code
 * @Transactional
 * public long place(Order order) {
 *     order.persist();
 *     events.publish("lemonade.order-placed", new OrderPlaced(order.id, order.customer, order.cups));
 *     return order.id;
 * }
 * }</pre>
 */
@ApplicationScoped
public class Events {

    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final EventsConfig config;

    Events(Outbox outbox, ObjectMapper mapper, EventsConfig config) {
        this.outbox = outbox;
        this.mapper = mapper;
        this.config = config;
    }

    /**
     * Publishes {@code payload}, as JSON, under {@code type}, with a new event id.
     *
     * @return the event id: the message-id each subscriber's idempotency is keyed by
     * @throws IllegalArgumentException when the type is not a valid event type, or the payload cannot
     *                                  be written as JSON
     */
    public String publish(String type, Object payload) {
        return publish(type, "event:" + UUID.randomUUID(), payload);
    }

    /**
     * Publishes under an id of the caller's: publishing the same event again (a retried request)
     * reaches each subscriber once, as its idempotency is keyed by this id.
     */
    public String publish(String type, String eventId, Object payload) {
        EventTypes.requireType(type);
        if (eventId == null || eventId.isBlank() || eventId.length() > WireContract.MAX_MESSAGE_ID_LENGTH) {
            throw new IllegalArgumentException("an event id is 1 to " + WireContract.MAX_MESSAGE_ID_LENGTH
                    + " characters, was " + (eventId == null ? "null" : eventId.length()));
        }
        String body;
        try {
            body = payload instanceof String text ? text : mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the payload of " + type + " cannot be written as JSON", e);
        }
        OutboundMessage event = new OutboundMessage(config.address(), eventId, type, null,
                OutboundMessage.DEFAULT_PRIORITY, body, WireContract.CONTENT_TYPE, Map.of());
        // The caller's transaction when there is one; otherwise one of its own, committed before this returns.
        QuarkusTransaction.joiningExisting().run(() -> outbox.enqueue(event));
        return eventId;
    }
}
