package dev.errand.internal.contract;

import java.util.Map;

import dev.errand.Origin;
import dev.errand.WireContract;

/**
 * What Errand read from one delivery, whether or not it follows the contract: enough to process it,
 * or to dead-letter it faithfully.
 *
 * @param messageId     the AMQP message-id as text, or null when absent
 * @param address       the address the message was received from
 * @param subject       the AMQP subject: the task type
 * @param correlationId the AMQP correlation-id as text, or null
 * @param priority      AMQP priority, 0 to 9
 * @param contentType   the AMQP content-type, or null
 * @param body          the body as text (JSON when the message follows the contract)
 * @param properties    application properties
 * @param origin        who wrote it: {@link Origin#OUTSIDE} until its signature has been checked
 */
public record Envelope(String messageId, String address, String subject, String correlationId, int priority,
        String contentType, String body, Map<String, Object> properties, Origin origin) {

    /** The same envelope, received from {@code queue}. */
    public Envelope fromQueue(String queue) {
        return new Envelope(messageId, queue, subject, correlationId, priority, contentType, body, properties, origin);
    }

    /** The same envelope once its signature is checked: its origin, and the properties that count. */
    public Envelope admitted(Origin checkedOrigin, Map<String, Object> checkedProperties) {
        return new Envelope(messageId, address, subject, correlationId, priority, contentType, body,
                checkedProperties, checkedOrigin);
    }

    /** The key its idempotency (processed-message marker, steps) is kept under. */
    public String idempotencyId() {
        return origin.idempotencyId(messageId);
    }

    /** Attempts made before this delivery, as carried by {@link WireContract#ATTEMPTS}. */
    public int previousAttempts() {
        Object value = properties.get(WireContract.ATTEMPTS);
        if (value instanceof Number number) {
            return Math.max(0, number.intValue());
        }
        if (value instanceof String text) {
            try {
                return Math.max(0, Integer.parseInt(text.trim()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * The application properties that can be sent on again as they came (strings, numbers,
     * booleans), for the copies Errand makes: scheduled retries and dead letters.
     */
    public Map<String, Object> forwardableProperties() {
        Map<String, Object> forwardable = new java.util.LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                forwardable.put(name, value);
            }
        });
        return forwardable;
    }

    public String property(String name) {
        Object value = properties.get(name);
        return value == null ? null : value.toString();
    }
}
