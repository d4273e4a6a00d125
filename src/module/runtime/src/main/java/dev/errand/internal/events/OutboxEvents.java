package dev.errand.internal.events;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.internal.contract.EventsConfig;
import dev.errand.internal.contract.EventTypes;
import dev.errand.Events;
import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.WireContract;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** {@link Events} through the {@link Outbox}. */
@ApplicationScoped
public class OutboxEvents implements Events {

    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final EventsConfig config;

    OutboxEvents(Outbox outbox, ObjectMapper mapper, EventsConfig config) {
        this.outbox = outbox;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public String publish(String type, Object payload) {
        return publish(type, "event:" + UUID.randomUUID(), payload);
    }

    @Override
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
