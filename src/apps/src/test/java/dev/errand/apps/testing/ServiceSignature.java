package dev.errand.apps.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.errand.WireContract;
import dev.errand.internal.trust.MessageSigner;
import io.quarkus.arc.Arc;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.json.JsonObject;

/**
 * Signs a test's message as the service itself would (its outbox, a campaign's enqueuer): what a
 * consumer that takes no outside senders accepts, and whose correlation-id counts. Tests of what an
 * outside sender can do send without it.
 */
public final class ServiceSignature {

    private ServiceSignature() {
    }

    /** The message with the service's signature added to its application properties. */
    public static AmqpMessage signed(AmqpMessage message) {
        Map<String, Object> properties = message.applicationProperties() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(message.applicationProperties().getMap());
        String body = message.isBodyNull() ? null : asReceived(message.contentType(), body(message));
        String id = message.id() == null ? null : message.id().toString();
        String correlation = message.correlationId() == null ? null : message.correlationId().toString();
        MessageSigner signer = Arc.container().instance(MessageSigner.class).get();
        properties.put(WireContract.SIGNATURE, signer.sign(MessageSigner.Purpose.MESSAGE, id, message.subject(),
                correlation, body, properties));
        return AmqpMessage.create(message).applicationProperties(new JsonObject(properties)).build();
    }

    /**
     * The body as the service will read it: SmallRye's AMQP connector (Artemis) decodes a body labelled
     * exactly {@code application/json} and Errand encodes it again (Errand itself always sends the
     * {@code charset} form, whose text arrives as sent).
     */
    private static String asReceived(String contentType, String body) {
        // Errand's own receiver (RabbitMQ) hands every body over as it came.
        boolean decodedByConnector = "smallrye-amqp".equals(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("errand.broker.inbound-connector", String.class).orElse("smallrye-amqp"));
        if (!decodedByConnector || !WireContract.CONTENT_TYPE.equals(contentType)) {
            return body;
        }
        try {
            Object value = io.vertx.core.json.Json.decodeValue(body);
            return value instanceof JsonObject || value instanceof io.vertx.core.json.JsonArray ? value.toString() : body;
        } catch (RuntimeException notJson) {
            return body;
        }
    }

    private static String body(AmqpMessage message) {
        try {
            return message.bodyAsBinary().toString();
        } catch (RuntimeException notData) {
            return message.bodyAsString();
        }
    }
}
