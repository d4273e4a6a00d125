package dev.errand.internal.deadletter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.DeadLetterStatus;
import dev.errand.Origin;
import dev.errand.WireContract;
import dev.errand.internal.contract.Envelope;
import dev.errand.internal.contract.EnvelopeReader;
import dev.errand.internal.contract.SafeText;
import dev.errand.internal.handling.DeadLetterPublisher;
import dev.errand.internal.trust.MessageSigner;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps every message that reaches the dead-letter queue in the database, where it can be listed,
 * replayed or discarded. Acknowledged only once stored; storing is keyed by (original address,
 * message-id), so a redelivered dead letter updates its record rather than adding one.
 */
@ApplicationScoped
public class DeadLetterRecorder {

    public static final String CHANNEL = DeadLetterPublisher.RECORDER_CHANNEL;
    private static final Logger LOG = Logger.getLogger(DeadLetterRecorder.class);

    private final EnvelopeReader reader;
    private final DeadLetterRepository deadLetters;
    private final MessageSigner signer;
    private final Event<DeadLetterRecorded> recorded;

    public DeadLetterRecorder(EnvelopeReader reader, DeadLetterRepository deadLetters,
            MessageSigner signer, Event<DeadLetterRecorded> recorded) {
        this.recorded = recorded;
        this.reader = reader;
        this.deadLetters = deadLetters;
        this.signer = signer;
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> record(Message<?> message) {
        Envelope envelope = reader.read(message);
        boolean genuine;
        try {
            genuine = signer.verify(MessageSigner.Purpose.DEAD_LETTER, envelope.messageId(), envelope.subject(),
                    envelope.correlationId(), envelope.body(), envelope.properties());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not check dead letter %s; the broker will deliver it again",
                    SafeText.forLog(envelope.messageId()));
            return message.nack(e);
        }
        if (!genuine) {
            // Not Errand's: someone with send rights made it up. Recording it would let them mark work
            // as failed and have an administrator replay it.
            LOG.warnf("Refused a message on the dead-letter queue that Errand did not send (message-id %s,"
                    + " original address %s): it has no valid signature", SafeText.forLog(envelope.messageId()),
                    SafeText.forLog(envelope.property(WireContract.DL_ORIGINAL_ADDRESS)));
            return message.ack();
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> store(envelope));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not store dead letter %s; the broker will deliver it again",
                    SafeText.forLog(envelope.messageId()));
            return message.nack(e);
        }
        return message.ack();
    }

    /**
     * Every text is stored in its {@link SafeText} form: PostgreSQL refuses a NUL in text, and a dead
     * letter that cannot be stored would come back from the broker forever, never to be seen.
     */
    private void store(Envelope envelope) {
        String originalAddress = SafeText.of(envelope.property(WireContract.DL_ORIGINAL_ADDRESS));
        String address = originalAddress == null || originalAddress.isBlank() ? "unknown" : originalAddress;
        String messageId = envelope.messageId() == null ? "unknown" : SafeText.of(envelope.messageId());
        // Signed with the rest: which side wrote the message that failed.
        String origin = Origin.ofWireName(envelope.property(WireContract.ORIGIN)).wireName();
        DeadLetter letter = deadLetters.findByMessage(address, messageId, origin).orElseGet(DeadLetter::new);
        if (letter.id != null && letter.status == DeadLetterStatus.DISCARDED && Origin.OUTSIDE.wireName().equals(origin)) {
            // An operator discarded it: the same outside message sent again does not bring it back.
            return;
        }
        letter.origin = origin;
        letter.messageId = messageId;
        letter.originalAddress = address;
        letter.consumer = SafeText.of(envelope.property(WireContract.DL_CONSUMER));
        letter.subject = SafeText.of(envelope.subject());
        letter.correlationId = SafeText.of(envelope.correlationId());
        letter.priority = envelope.priority();
        letter.contentType = SafeText.of(envelope.contentType());
        letter.body = SafeText.of(envelope.body());
        letter.reason = SafeText.of(envelope.property(WireContract.DL_REASON));
        letter.errorClass = SafeText.of(envelope.property(WireContract.DL_ERROR_CLASS));
        letter.errorMessage = SafeText.of(envelope.property(WireContract.DL_ERROR_MESSAGE));
        letter.attempts = envelope.previousAttempts();
        letter.firstFailureAt = instant(envelope.property(WireContract.DL_FIRST_FAILURE));
        letter.lastFailureAt = instant(envelope.property(WireContract.DL_LAST_FAILURE));
        letter.history = SafeText.of(envelope.property(WireContract.HISTORY));
        letter.deadLetteredAt = Instant.now();
        letter.status = DeadLetterStatus.DEAD_LETTERED;
        letter.resolvedAt = null;
        if (letter.id == null) {
            deadLetters.persist(letter);
        }
        // Synchronous observers run in this transaction: what follows a dead letter (a durable call's
        // failure) commits with it, crash or not.
        recorded.fire(new DeadLetterRecorded(messageId, letter.consumer, letter.reason, letter.errorMessage,
                Origin.ofWireName(origin)));
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
