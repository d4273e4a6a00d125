package dev.errand;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.errand.WireContract;

/**
 * A message Errand sends, following the wire contract.
 *
 * @param address       target address (queue)
 * @param messageId     the idempotency key; stable across resends
 * @param subject       the task type, may be null
 * @param correlationId groups work, may be null
 * @param priority      AMQP priority 0 to 9
 * @param body          the body; JSON when {@code contentType} is application/json
 * @param contentType   content-type written on the message
 * @param properties    application properties
 * @param deliverAt     when the broker may deliver it at the earliest; null for now
 */
public record OutboundMessage(String address, String messageId, String subject, String correlationId, int priority,
        String body, String contentType, Map<String, Object> properties, Instant deliverAt) {

    public static final int DEFAULT_PRIORITY = 4;

    public OutboundMessage {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(messageId, "messageId");
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority must be between 0 and 9, was " + priority);
        }
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public OutboundMessage(String address, String messageId, String subject, String correlationId, int priority,
            String body, String contentType, Map<String, Object> properties) {
        this(address, messageId, subject, correlationId, priority, body, contentType, properties, null);
    }

    /** The same message, delivered no earlier than {@code at}. */
    public OutboundMessage deliverAt(Instant at) {
        return new OutboundMessage(address, messageId, subject, correlationId, priority, body, contentType, properties,
                at);
    }

    /** The same message with another priority. */
    public OutboundMessage withPriority(int newPriority) {
        return new OutboundMessage(address, messageId, subject, correlationId, newPriority, body, contentType,
                properties, deliverAt);
    }

    /** The same message in the ordered lane of {@code key} (see {@link WireContract#ORDERING_KEY}). */
    public OutboundMessage orderedBy(String key) {
        Map<String, Object> withKey = new LinkedHashMap<>(properties);
        withKey.put(WireContract.ORDERING_KEY, key);
        return new OutboundMessage(address, messageId, subject, correlationId, priority, body, contentType, withKey,
                deliverAt);
    }

    /** A JSON task with the default priority and no extra properties. */
    public static OutboundMessage json(String address, String messageId, String subject, String correlationId,
            String body) {
        return new OutboundMessage(address, messageId, subject, correlationId, DEFAULT_PRIORITY, body,
                WireContract.CONTENT_TYPE, Map.of());
    }
}
