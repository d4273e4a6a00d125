package dev.errand.core.sending;

import java.util.Map;
import java.util.Objects;

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
 */
public record OutboundMessage(String address, String messageId, String subject, String correlationId, int priority,
        String body, String contentType, Map<String, Object> properties) {

    public static final int DEFAULT_PRIORITY = 4;

    public OutboundMessage {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(messageId, "messageId");
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority must be between 0 and 9, was " + priority);
        }
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** A JSON task with the default priority and no extra properties. */
    public static OutboundMessage json(String address, String messageId, String subject, String correlationId,
            String body) {
        return new OutboundMessage(address, messageId, subject, correlationId, DEFAULT_PRIORITY, body,
                dev.errand.core.contract.WireContract.CONTENT_TYPE, Map.of());
    }
}
