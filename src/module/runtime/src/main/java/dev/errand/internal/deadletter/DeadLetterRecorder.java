package dev.errand.internal.deadletter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.WireContract;
import dev.errand.internal.contract.Envelope;
import dev.errand.internal.contract.EnvelopeReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps every message that reaches the dead-letter queue in the database, where it can be listed,
 * replayed or discarded. Acknowledged only once stored; storing is keyed by (original address,
 * message-id), so a redelivered dead letter updates its record rather than adding one.
 */
@ApplicationScoped
public class DeadLetterRecorder {

    public static final String CHANNEL = "errand-dead-letters";
    private static final Logger LOG = Logger.getLogger(DeadLetterRecorder.class);

    private final EnvelopeReader reader;
    private final DeadLetterRepository deadLetters;

    public DeadLetterRecorder(EnvelopeReader reader, DeadLetterRepository deadLetters) {
        this.reader = reader;
        this.deadLetters = deadLetters;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> record(Message<?> message) {
        Envelope envelope = reader.read(message);
        try {
            QuarkusTransaction.requiringNew().run(() -> store(envelope));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not store dead letter %s; the broker will deliver it again", envelope.messageId());
            return message.nack(e);
        }
        return message.ack();
    }

    private void store(Envelope envelope) {
        String originalAddress = envelope.property(WireContract.DL_ORIGINAL_ADDRESS);
        String address = originalAddress == null || originalAddress.isBlank() ? "unknown" : originalAddress;
        String messageId = envelope.messageId() == null ? "unknown" : envelope.messageId();
        DeadLetter letter = deadLetters.findByMessage(address, messageId).orElseGet(DeadLetter::new);
        letter.messageId = messageId;
        letter.originalAddress = address;
        letter.consumer = envelope.property(WireContract.DL_CONSUMER);
        letter.subject = envelope.subject();
        letter.correlationId = envelope.correlationId();
        letter.priority = envelope.priority();
        letter.contentType = envelope.contentType();
        letter.body = envelope.body();
        letter.reason = envelope.property(WireContract.DL_REASON);
        letter.errorClass = envelope.property(WireContract.DL_ERROR_CLASS);
        letter.errorMessage = envelope.property(WireContract.DL_ERROR_MESSAGE);
        letter.attempts = envelope.previousAttempts();
        letter.firstFailureAt = instant(envelope.property(WireContract.DL_FIRST_FAILURE));
        letter.lastFailureAt = instant(envelope.property(WireContract.DL_LAST_FAILURE));
        letter.history = envelope.property(WireContract.HISTORY);
        letter.deadLetteredAt = Instant.now();
        letter.status = DeadLetterStatus.DEAD_LETTERED;
        if (letter.id == null) {
            deadLetters.persist(letter);
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
