package dev.errand.internal.handling;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.OutboundMessage;
import dev.errand.WireContract;
import dev.errand.internal.contract.DeadLettersConfig;
import dev.errand.internal.contract.Envelope;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.sending.ErrandSender;
import dev.errand.internal.trust.MessageSigner;

/** Puts a copy of a failed message on the dead-letter queue, its reasons as application properties. */
@ApplicationScoped
public class DeadLetterPublisher {

    /** The channel that records dead letters (the dead-letter queue's consumer): never one of the service's. */
    public static final String RECORDER_CHANNEL = "errand-dead-letters";

    /** What went wrong, for the dead-letter properties. */
    public record Failure(FailureKind kind, Throwable error, int attempts, Instant firstFailure, Instant lastFailure,
            String historyJson) {
    }

    private static final int MAX_ERROR_MESSAGE = 2000;

    private final ErrandSender sender;
    private final MessageSigner signer;
    private final String address;

    public DeadLetterPublisher(ErrandSender sender, MessageSigner signer, DeadLettersConfig config) {
        this.sender = sender;
        this.signer = signer;
        this.address = config.address();
    }

    public CompletionStage<Void> publish(String consumer, Envelope envelope, Failure failure) {
        Map<String, Object> properties = envelope.forwardableProperties();
        properties.put(WireContract.DL_REASON, failure.kind().wireName());
        properties.put(WireContract.DL_ERROR_CLASS, failure.error().getClass().getName());
        properties.put(WireContract.DL_ERROR_MESSAGE, truncate(String.valueOf(failure.error().getMessage())));
        properties.put(WireContract.ATTEMPTS, failure.attempts());
        properties.put(WireContract.DL_FIRST_FAILURE, failure.firstFailure().toString());
        properties.put(WireContract.DL_LAST_FAILURE, failure.lastFailure().toString());
        properties.put(WireContract.DL_ORIGINAL_ADDRESS, envelope.address() == null ? "" : envelope.address());
        properties.put(WireContract.DL_CONSUMER, consumer);
        if (failure.historyJson() != null) {
            properties.put(WireContract.HISTORY, failure.historyJson());
        }
        // A message without an id still needs one on the dead-letter queue to be told apart.
        String messageId = envelope.messageId() == null || envelope.messageId().isBlank()
                ? "errand-missing-id-" + UUID.randomUUID()
                : envelope.messageId();
        // Its origin was written on it at intake (outside) or is absent (the service's): it is signed with the rest.
        properties.remove(WireContract.SIGNATURE);
        properties.put(WireContract.SIGNATURE, signer.sign(MessageSigner.Purpose.DEAD_LETTER, messageId,
                envelope.subject(), envelope.correlationId(), envelope.body(), properties));
        return sender.sendSigned(new OutboundMessage(address, messageId, envelope.subject(), envelope.correlationId(),
                envelope.priority(), envelope.body(),
                envelope.contentType() == null ? "text/plain" : envelope.contentType(), properties));
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_MESSAGE ? text : text.substring(0, MAX_ERROR_MESSAGE) + "...";
    }
}
