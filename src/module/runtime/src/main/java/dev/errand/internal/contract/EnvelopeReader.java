package dev.errand.internal.contract;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.OutboundMessage;
import dev.errand.Origin;
import dev.errand.WireContract;
import io.smallrye.reactive.messaging.amqp.IncomingAmqpMetadata;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads an incoming AMQP message into an {@link Envelope}, then into the handler's payload type,
 * enforcing the wire contract. Every breach becomes a {@link ContractViolation} with a message
 * that tells the sender what to fix.
 */
@ApplicationScoped
public class EnvelopeReader {

    private final ObjectMapper mapper;
    private final Validator validator;

    public EnvelopeReader(ObjectMapper mapper, Validator validator) {
        // A copy: the service's own mapper, and so its REST endpoints, keep their behaviour.
        this.mapper = StrictJson.configure(mapper.copy());
        this.validator = validator;
    }

    /** Never throws: whatever arrived is captured so it can be dead-lettered as it was. */
    public Envelope read(Message<?> message) {
        IncomingAmqpMetadata amqp = message.getMetadata(IncomingAmqpMetadata.class).orElse(null);
        Map<String, Object> properties = new LinkedHashMap<>();
        if (amqp != null && amqp.getProperties() != null) {
            properties.putAll(amqp.getProperties().getMap());
        }
        String body;
        try {
            body = bodyAsText(message.getPayload());
        } catch (RuntimeException e) {
            body = null;
        }
        return new Envelope(
                amqp == null || amqp.getId() == null ? null : amqp.getId().toString(),
                amqp == null ? null : amqp.getAddress(),
                amqp == null ? null : amqp.getSubject(),
                amqp == null || amqp.getCorrelationId() == null ? null : amqp.getCorrelationId().toString(),
                amqp == null || amqp.getPriority() < 0 ? OutboundMessage.DEFAULT_PRIORITY : amqp.getPriority(),
                amqp == null ? null : amqp.getContentType(),
                body,
                properties,
                // Nothing is the service's until its signature says so (MessageAdmission).
                Origin.OUTSIDE);
    }

    /** Checks the envelope against the contract and maps its body to {@code type}. */
    public <T> T payload(Envelope envelope, Class<T> type) {
        if (envelope.messageId() == null || envelope.messageId().isBlank()) {
            throw new ContractViolation("message-id is missing: it is the idempotency key and is required");
        }
        if (envelope.messageId().length() > WireContract.MAX_MESSAGE_ID_LENGTH) {
            throw new ContractViolation("message-id is longer than " + WireContract.MAX_MESSAGE_ID_LENGTH
                    + " characters");
        }
        requireNoControl("message-id", envelope.messageId());
        requireNoControl("correlation-id", envelope.correlationId());
        requireNoControl("subject", envelope.subject());
        requireNoControl(WireContract.ORDERING_KEY, envelope.property(WireContract.ORDERING_KEY));
        if (!isJson(envelope.contentType())) {
            throw new ContractViolation("content-type must be " + WireContract.CONTENT_TYPE + ", was "
                    + (envelope.contentType() == null ? "absent" : envelope.contentType()));
        }
        if (envelope.body() == null) {
            throw new ContractViolation("body is missing or is not text");
        }
        int size = envelope.body().getBytes(StandardCharsets.UTF_8).length;
        if (size > WireContract.MAX_BODY_BYTES) {
            throw new ContractViolation("body is " + size + " bytes, more than the limit of "
                    + WireContract.MAX_BODY_BYTES);
        }
        T payload;
        try {
            payload = mapper.readValue(envelope.body(), type);
        } catch (JsonProcessingException e) {
            throw new ContractViolation("body is not a valid " + type.getSimpleName() + " JSON object: "
                    + e.getOriginalMessage(), e);
        }
        if (payload == null) {
            throw new ContractViolation("body is JSON null");
        }
        if (payload instanceof BusinessKeyed<?> keyed && envelope.property(WireContract.BUSINESS_KEY) != null) {
            payload = type.cast(keyed.withBusinessKey(envelope.property(WireContract.BUSINESS_KEY)));
        }
        Set<ConstraintViolation<T>> violations = validator.validate(payload);
        if (!violations.isEmpty()) {
            throw new ContractViolation("body is invalid: " + violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .sorted()
                    .collect(Collectors.joining(", ")));
        }
        return payload;
    }

    /** Ids are stored and logged: a control character (NUL above all) breaks both. */
    private static void requireNoControl(String field, String value) {
        if (value == null) {
            return;
        }
        int at = SafeText.firstControl(value);
        if (at >= 0) {
            throw new ContractViolation(field + " contains the control character U+"
                    + String.format("%04X", (int) value.charAt(at)) + " at index " + at + "; ids must be printable text");
        }
        if (SafeText.firstUnsafe(value) >= 0) {
            throw new ContractViolation(field + " contains an unpaired surrogate; ids must be valid Unicode text");
        }
    }

    private static boolean isJson(String contentType) {
        return contentType != null
                && contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim().equals(WireContract.CONTENT_TYPE);
    }

    /**
     * The connector hands a JSON body over already decoded, an AMQP string value as a String and a
     * data section of another content type as bytes; Errand keeps the text.
     */
    private static String bodyAsText(Object payload) {
        if (payload == null) {
            return null;
        }
        if (payload instanceof JsonObject json) {
            return json.encode();
        }
        if (payload instanceof JsonArray json) {
            return json.encode();
        }
        if (payload instanceof String text) {
            return text;
        }
        if (payload instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (payload instanceof Map<?, ?> map) {
            return new JsonObject(new LinkedHashMap<>(castMap(map))).encode();
        }
        return payload.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
